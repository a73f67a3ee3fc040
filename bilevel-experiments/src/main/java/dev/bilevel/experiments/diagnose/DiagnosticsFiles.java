package dev.bilevel.experiments.diagnose;

import dev.bilevel.experiments.DoubleText;
import dev.bilevel.experiments.plot.Palette;
import dev.bilevel.experiments.plot.Plots;
import dev.bilevel.experiments.run.AtomicFiles;
import dev.bilevel.experiments.method.TabularEstimators.Kind;
import dev.bilevel.experiments.stats.SampleStat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Tables and plots of {@link EstimatorDiagnostics} and {@link DimensionScaling} results: markdown for
 * people, CSV for programs (doubles as {@link DoubleText}, shortest exact text), PNG and SVG charts.
 * Every file is written atomically ({@link AtomicFiles}) into an existing directory.
 */
public final class DiagnosticsFiles {

    /** The diagnostics table. */
    public static final String DIAGNOSTICS_CSV = "diagnostics.csv";
    /** The diagnostics report. */
    public static final String DIAGNOSTICS_MD = "diagnostics.md";
    /** The scaling table. */
    public static final String SCALING_CSV = "scaling.csv";
    /** The scaling report. */
    public static final String SCALING_MD = "scaling.md";
    /** The observed-access table. */
    public static final String OBSERVED_CSV = "observed.csv";
    /** The observed-access report. */
    public static final String OBSERVED_MD = "observed.md";

    private DiagnosticsFiles() {
    }

    // ---------------------------------------------------------------- diagnostics

    /**
     * The diagnostics as markdown: a heading, what was run, and one table row per (estimator, budget).
     *
     * @param report the result
     * @return markdown text ending with a newline
     */
    public static String markdown(EstimatorDiagnostics.Report report) {
        EstimatorDiagnostics.Settings s = report.settings();
        StringBuilder md = new StringBuilder();
        md.append("## Estimator diagnostics: ").append(report.problem()).append("\n\n");
        md.append(String.format(Locale.ROOT, "d = %d, F(x) = %s, ‖g‖ = %s; one exact hypergradient takes %s ms "
                + "(follower solve included). %d repeats per cell, horizon %d, critic %s, seed %d.%n%n",
                report.dimension(), g4(report.objective()), g4(report.gradientNorm()), g3(report.exactSeconds() * 1e3),
                s.repeats(), s.horizon(), s.critic(), s.seed()));
        md.append("| estimator | episodes | samples | cosine | relative error | bias | bias floor | tr Σ/‖g‖² "
                + "| ms / estimate | ns / sample |\n");
        md.append("|---|---:|---:|---|---|---:|---:|---:|---|---:|\n");
        for (EstimatorDiagnostics.Row r : report.rows()) {
            Accuracy a = r.accuracy();
            md.append("| ").append(r.estimator().id())
                    .append(" | ").append(r.episodes())
                    .append(" | ").append(samples(r.samples(), r.sampleUnit()))
                    .append(" | ").append(pm(a.cosine(), "%.3f"))
                    .append(" | ").append(pmG(a.relativeError()))
                    .append(" | ").append(g3(a.bias()))
                    .append(" | ").append(g3(a.biasFloor()))
                    .append(" | ").append(g3(a.normalizedVariance()))
                    .append(" | ").append(pmG(r.estimateSeconds().scaled(1e3)))
                    .append(" | ").append(g3(r.secondsPerSample() * 1e9))
                    .append(" |\n");
        }
        md.append("\nCosine, relative error ‖ĝ−g‖/‖g‖ and time: mean ± standard error over repeats. "
                + "Bias ‖mean ĝ − g‖/‖g‖; an unbiased estimator still shows about the bias floor √(tr Σ/R)/‖g‖. "
                + "tr Σ/‖g‖²: trace of the covariance over repeats, normalised. Samples: mean transitions per "
                + "estimate (zero-order: objective evaluations, two per direction). Time: the estimator alone, "
                + "sampling excluded.\n");
        return md.toString();
    }

    /**
     * The diagnostics as CSV, one row per (estimator, budget).
     *
     * @param report the result
     * @return CSV text with a header line
     */
    public static String csv(EstimatorDiagnostics.Report report) {
        EstimatorDiagnostics.Settings s = report.settings();
        StringBuilder csv = new StringBuilder("problem,dimension,estimator,critic,episodes,repeats,horizon,seed,"
                + "samples,sample_unit,cosine_mean,cosine_se,relative_error_mean,relative_error_se,bias,bias_floor,"
                + "relative_mse,total_variance,normalized_variance,estimate_seconds_mean,estimate_seconds_se,"
                + "estimate_seconds_median,seconds_per_sample,sampling_seconds_mean,gradient_norm,objective,exact_seconds\n");
        for (EstimatorDiagnostics.Row r : report.rows()) {
            Accuracy a = r.accuracy();
            csv.append(String.join(",", report.problem(), Integer.toString(report.dimension()), r.estimator().id(),
                    s.critic(), Integer.toString(r.episodes()), Integer.toString(r.repeats()),
                    Integer.toString(s.horizon()), Long.toString(s.seed()), num(r.samples()), unit(r.sampleUnit()),
                    num(a.cosine().mean()), num(a.cosine().se()), num(a.relativeError().mean()),
                    num(a.relativeError().se()), num(a.bias()), num(a.biasFloor()), num(a.relativeMse()),
                    num(a.totalVariance()), num(a.normalizedVariance()), num(r.estimateSeconds().mean()),
                    num(r.estimateSeconds().se()), num(r.medianEstimateSeconds()), num(r.secondsPerSample()),
                    num(r.samplingSeconds()),
                    num(report.gradientNorm()), num(report.objective()), num(report.exactSeconds())));
            csv.append('\n');
        }
        return csv.toString();
    }

    /**
     * Writes {@code diagnostics.csv}, {@code diagnostics.md}, {@code cosine.png|svg} and
     * {@code relative_error.png|svg} (against episodes, log x, one line per estimator, SE error bars).
     *
     * @param report the result
     * @param dir an existing directory
     * @return the files written
     */
    public static List<Path> write(EstimatorDiagnostics.Report report, Path dir) {
        List<Path> files = new ArrayList<>();
        files.add(text(dir.resolve(DIAGNOSTICS_CSV), csv(report)));
        files.add(text(dir.resolve(DIAGNOSTICS_MD), markdown(report)));
        String title = report.problem() + ", d = " + report.dimension() + ", " + report.settings().repeats()
                + " repeats, critic " + report.settings().critic();
        files.addAll(Plots.write(Plots.chart(title, "episodes per estimate (zero-order: directions)",
                "cosine to exact hypergradient (mean ± SE)", true, false,
                perEstimator(report, a -> a.cosine().mean(), a -> a.cosine().se())), dir, "cosine"));
        files.addAll(Plots.write(Plots.chart(title, "episodes per estimate (zero-order: directions)",
                "relative error ‖ĝ − g‖/‖g‖ (mean ± SE)", true, true,
                perEstimator(report, a -> a.relativeError().mean(), a -> a.relativeError().se())), dir,
                "relative_error"));
        return files;
    }

    private static List<Plots.Series> perEstimator(EstimatorDiagnostics.Report report, ToDoubleFunction<Accuracy> y,
            ToDoubleFunction<Accuracy> error) {
        List<Plots.Series> lines = new ArrayList<>();
        for (Kind kind : report.settings().estimators()) {
            List<EstimatorDiagnostics.Row> rows = report.rows().stream().filter(r -> r.estimator() == kind).toList();
            double[] xs = new double[rows.size()];
            double[] ys = new double[rows.size()];
            double[] es = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                xs[i] = rows.get(i).episodes();
                ys[i] = y.applyAsDouble(rows.get(i).accuracy());
                es[i] = error.applyAsDouble(rows.get(i).accuracy());
            }
            lines.add(new Plots.Series(kind.id(), xs, ys, es, false, Palette.method(kind.id())));
        }
        return lines;
    }

    // ---------------------------------------------------------------- observed access

    /**
     * The observed-access study as markdown: per estimator and budget, the cosines pooled over the problems
     * (the mean of each problem's mean, ± the SE across problems) and their ratio; then every problem's row.
     *
     * @param rows the result of {@link ObservedAccess#run}
     * @param settings what was run
     * @return markdown text ending with a newline
     */
    public static String observedMarkdown(List<ObservedAccess.Row> rows, ObservedAccess.Settings settings) {
        StringBuilder md = new StringBuilder("## Observed-only access against the white-box response\n\n");
        md.append(String.format(Locale.ROOT, "%d problems, %d repeats each, horizon %d, critic %s, the fit's "
                + "pseudo-count %s and TD step %s, seed %d. Both accesses see the same batches.%n%n",
                problems(rows).size(), settings.repeats(), settings.horizon(), settings.critic(),
                g3(settings.pseudoCount()), g3(settings.valueStep()), settings.seed()));
        md.append("| estimator | transitions | cosine, white-box | cosine, observed | observed / white-box "
                + "| TV(π̂, π) |\n|---|---:|---|---|---:|---:|\n");
        for (Pooled p : pooled(rows, settings)) {
            md.append("| ").append(p.estimator().id())
                    .append(" | ").append(p.budget())
                    .append(" | ").append(pm(p.whiteBox(), "%.3f"))
                    .append(" | ").append(pm(p.observed(), "%.3f"))
                    .append(" | ").append(String.format(Locale.ROOT, "%.3f", p.observed().mean() / p.whiteBox().mean()))
                    .append(" | ").append(g3(p.policyError()))
                    .append(" |\n");
        }
        md.append("\nPooled over problems: the mean of the problems' mean cosines ± the SE across problems. "
                + "TV(π̂, π): the fit's total-variation error, averaged over the batch's visits.\n\n");
        md.append("| problem | estimator | transitions | cosine, white-box | cosine, observed | ratio |\n"
                + "|---|---|---:|---|---|---:|\n");
        for (ObservedAccess.Row r : rows) {
            md.append("| ").append(r.problem())
                    .append(" | ").append(r.estimator().id())
                    .append(" | ").append(r.budget())
                    .append(" | ").append(pm(r.whiteBox(), "%.3f"))
                    .append(" | ").append(pm(r.observed(), "%.3f"))
                    .append(" | ").append(String.format(Locale.ROOT, "%.3f", r.ratio()))
                    .append(" |\n");
        }
        md.append("\nPer problem: mean ± SE over repeats.\n");
        return md.toString();
    }

    /**
     * The observed-access study as CSV, one row per (problem, estimator, budget).
     *
     * @param rows the result of {@link ObservedAccess#run}
     * @param settings what was run
     * @return CSV text with a header line
     */
    public static String observedCsv(List<ObservedAccess.Row> rows, ObservedAccess.Settings settings) {
        StringBuilder csv = new StringBuilder("problem,estimator,critic,budget,transitions,repeats,horizon,seed,"
                + "cosine_white_box_mean,cosine_white_box_se,cosine_observed_mean,cosine_observed_se,ratio,"
                + "policy_tv_mean,policy_tv_se\n");
        for (ObservedAccess.Row r : rows) {
            csv.append(String.join(",", r.problem(), r.estimator().id(), settings.critic(),
                    Integer.toString(r.budget()), num(r.transitions()), Integer.toString(r.whiteBox().n()),
                    Integer.toString(settings.horizon()), Long.toString(settings.seed()), num(r.whiteBox().mean()),
                    num(r.whiteBox().se()), num(r.observed().mean()), num(r.observed().se()), num(r.ratio()),
                    num(r.policyError().mean()), num(r.policyError().se())));
            csv.append('\n');
        }
        return csv.toString();
    }

    /**
     * Writes {@code observed.csv}, {@code observed.md} and {@code observed_cosine.png|svg}: the pooled cosine
     * against transitions (log x), per estimator a solid white-box line and a dashed observed one.
     *
     * @param rows the result of {@link ObservedAccess#run}
     * @param settings what was run
     * @param dir an existing directory
     * @return the files written
     */
    public static List<Path> writeObserved(List<ObservedAccess.Row> rows, ObservedAccess.Settings settings,
            Path dir) {
        List<Path> files = new ArrayList<>();
        files.add(text(dir.resolve(OBSERVED_CSV), observedCsv(rows, settings)));
        files.add(text(dir.resolve(OBSERVED_MD), observedMarkdown(rows, settings)));
        List<Pooled> pooled = pooled(rows, settings);
        List<Plots.Series> lines = new ArrayList<>();
        for (Kind kind : settings.estimators()) {
            List<Pooled> line = pooled.stream().filter(p -> p.estimator() == kind).toList();
            double[] x = line.stream().mapToDouble(Pooled::budget).toArray();
            lines.add(new Plots.Series(kind.id() + ", white-box", x,
                    line.stream().mapToDouble(p -> p.whiteBox().mean()).toArray(),
                    line.stream().mapToDouble(p -> p.whiteBox().se()).toArray(), false, Palette.method(kind.id())));
            lines.add(new Plots.Series(kind.id() + ", observed", x,
                    line.stream().mapToDouble(p -> p.observed().mean()).toArray(),
                    line.stream().mapToDouble(p -> p.observed().se()).toArray(), true, Palette.method(kind.id())));
        }
        files.addAll(Plots.write(Plots.chart(problems(rows).size() + " problems, " + settings.repeats()
                + " repeats, critic " + settings.critic(), "observed transitions per estimate",
                "cosine to exact hypergradient (mean ± SE over problems)", true, false, lines), dir,
                "observed_cosine"));
        return files;
    }

    /** One (estimator, budget), pooled over problems. */
    private record Pooled(Kind estimator, int budget, SampleStat whiteBox, SampleStat observed, double policyError) {
    }

    private static List<Pooled> pooled(List<ObservedAccess.Row> rows, ObservedAccess.Settings settings) {
        List<Pooled> out = new ArrayList<>();
        for (Kind kind : settings.estimators()) {
            for (int budget : settings.transitions()) {
                List<ObservedAccess.Row> cell = rows.stream()
                        .filter(r -> r.estimator() == kind && r.budget() == budget).toList();
                out.add(new Pooled(kind, budget,
                        SampleStat.of(cell.stream().mapToDouble(r -> r.whiteBox().mean()).toArray()),
                        SampleStat.of(cell.stream().mapToDouble(r -> r.observed().mean()).toArray()),
                        cell.stream().mapToDouble(r -> r.policyError().mean()).average().orElse(Double.NaN)));
            }
        }
        return out;
    }

    private static Set<String> problems(List<ObservedAccess.Row> rows) {
        Set<String> names = new LinkedHashSet<>();
        rows.forEach(r -> names.add(r.problem()));
        return names;
    }

    // ---------------------------------------------------------------- scaling

    /**
     * The scaling study as markdown.
     *
     * @param rows the result of {@link DimensionScaling#run}
     * @return markdown text ending with a newline
     */
    public static String scalingMarkdown(List<DimensionScaling.Row> rows) {
        StringBuilder md = new StringBuilder("## Dimension scaling\n\n");
        if (!rows.isEmpty()) {
            DimensionScaling.Row first = rows.get(0);
            md.append(String.format(Locale.ROOT, "%d episodes per estimate (zero-order: directions), %d repeats.%n%n",
                    first.episodes(), first.repeats()));
        }
        md.append("| problem | d | S×A | estimator | samples | ms / estimate | ns / sample | fixed ms "
                + "| marginal ns / sample | exact ms | cosine | relative error |\n");
        md.append("|---|---:|---:|---|---:|---|---:|---:|---:|---:|---|---|\n");
        for (DimensionScaling.Row r : rows) {
            md.append("| ").append(r.problem())
                    .append(" | ").append(r.dimension())
                    .append(" | ").append(r.states()).append('×').append(r.actions())
                    .append(" | ").append(r.estimator().id())
                    .append(" | ").append(samples(r.samples(), r.sampleUnit()))
                    .append(" | ").append(pmG(r.estimateSeconds().scaled(1e3)))
                    .append(" | ").append(g3(r.secondsPerSample() * 1e9))
                    .append(" | ").append(g3(r.fixedSeconds() * 1e3))
                    .append(" | ").append(g3(r.marginalSecondsPerSample() * 1e9))
                    .append(" | ").append(g3(r.exactSeconds() * 1e3))
                    .append(" | ").append(pm(r.cosine(), "%.3f"))
                    .append(" | ").append(pmG(r.relativeError()))
                    .append(" |\n");
        }
        md.append("\nTimes are wall-clock on one thread, mean ± SE over repeats. ns / sample: estimate time over "
                + "samples (transitions; zero-order: objective evaluations). Marginal: the slope of the median estimate "
                + "time against samples between a quarter of the budget and the budget. Fixed: the rest, "
                + "time − marginal × samples, paid once per estimate (e.g. the S·A×d reward Jacobian contraction). "
                + "Exact: one exact hypergradient from scratch, follower solve included.\n");
        return md.toString();
    }

    /**
     * The scaling study as CSV.
     *
     * @param rows the result of {@link DimensionScaling#run}
     * @return CSV text with a header line
     */
    public static String scalingCsv(List<DimensionScaling.Row> rows) {
        StringBuilder csv = new StringBuilder("family,problem,dimension,states,actions,estimator,episodes,repeats,"
                + "samples,sample_unit,estimate_seconds_mean,estimate_seconds_se,seconds_per_sample,fixed_seconds,"
                + "marginal_seconds_per_sample,sampling_seconds_mean,exact_seconds,cosine_mean,cosine_se,"
                + "relative_error_mean,relative_error_se\n");
        for (DimensionScaling.Row r : rows) {
            csv.append(String.join(",", r.family(), r.problem(), Integer.toString(r.dimension()),
                    Integer.toString(r.states()), Integer.toString(r.actions()), r.estimator().id(),
                    Integer.toString(r.episodes()), Integer.toString(r.repeats()), num(r.samples()),
                    unit(r.sampleUnit()), num(r.estimateSeconds().mean()), num(r.estimateSeconds().se()),
                    num(r.secondsPerSample()), num(r.fixedSeconds()), num(r.marginalSecondsPerSample()),
                    num(r.samplingSeconds()), num(r.exactSeconds()), num(r.cosine().mean()), num(r.cosine().se()),
                    num(r.relativeError().mean()), num(r.relativeError().se())));
            csv.append('\n');
        }
        return csv.toString();
    }

    /**
     * Writes {@code scaling.csv}, {@code scaling.md}, {@code time_per_sample.png|svg} (time per sample
     * against {@code d}, log–log: per estimator and problem family, the total as a solid line and, for
     * sampling estimators, the marginal cost dashed) and {@code scaling_cosine.png|svg} (cosine against
     * {@code d}, log x).
     *
     * @param rows the result of {@link DimensionScaling#run}
     * @param dir an existing directory
     * @return the files written
     */
    public static List<Path> writeScaling(List<DimensionScaling.Row> rows, Path dir) {
        List<Path> files = new ArrayList<>();
        files.add(text(dir.resolve(SCALING_CSV), scalingCsv(rows)));
        files.add(text(dir.resolve(SCALING_MD), scalingMarkdown(rows)));
        List<Plots.Series> time = new ArrayList<>();
        List<Plots.Series> cosine = new ArrayList<>();
        Set<Kind> kinds = new LinkedHashSet<>();
        Set<String> families = new LinkedHashSet<>();
        rows.forEach(r -> {
            kinds.add(r.estimator());
            families.add(r.family());
        });
        for (Kind kind : kinds) {
            for (String family : families) {
                List<DimensionScaling.Row> line = rows.stream()
                        .filter(r -> r.estimator() == kind && r.family().equals(family)).toList();
                if (line.isEmpty()) {
                    continue;
                }
                double[] d = line.stream().mapToDouble(DimensionScaling.Row::dimension).toArray();
                String name = kind.id() + " (" + family + ")";
                time.add(new Plots.Series(name, d,
                        line.stream().mapToDouble(r -> r.secondsPerSample() * 1e9).toArray(), null, false, null));
                time.add(new Plots.Series(name + " marginal", d,
                        line.stream().mapToDouble(r -> r.marginalSecondsPerSample() * 1e9).toArray(), null, true,
                        null));
                cosine.add(new Plots.Series(name, d, line.stream().mapToDouble(r -> r.cosine().mean()).toArray(),
                        line.stream().mapToDouble(r -> r.cosine().se()).toArray(), false, null));
            }
        }
        files.addAll(Plots.write(Plots.chart("Estimator time per sample vs leader dimension d", "d",
                "ns per sample", true, true, time), dir, "time_per_sample"));
        String budget = rows.isEmpty() ? "" : " (" + rows.get(0).episodes() + " episodes)";
        files.addAll(Plots.write(Plots.chart("Cosine similarity at a fixed budget" + budget + " vs d", "d",
                "cosine (mean ± SE)", true, false, cosine), dir, "scaling_cosine"));
        return files;
    }

    // ---------------------------------------------------------------- formatting

    private static Path text(Path file, String content) {
        AtomicFiles.writeString(file, content);
        return file;
    }

    private static String num(double v) {
        return DoubleText.format(v);
    }

    private static String unit(String sampleUnit) {
        return sampleUnit.replace(' ', '-');
    }

    private static String samples(double samples, String unit) {
        if (unit.equals("none")) {
            return "—";
        }
        String n = String.format(Locale.ROOT, "%,.0f", samples);
        return unit.equals("transitions") ? n : n + " evals";
    }

    private static String pm(SampleStat s, String format) {
        String mean = Double.isFinite(s.mean()) ? String.format(Locale.ROOT, format, s.mean()) : "—";
        return Double.isFinite(s.se()) ? mean + " ± " + String.format(Locale.ROOT, format, s.se()) : mean;
    }

    private static String pmG(SampleStat s) {
        return Double.isFinite(s.se()) ? g3(s.mean()) + " ± " + g3(s.se()) : g3(s.mean());
    }

    /** Three significant digits, without exponent for ordinary magnitudes. */
    static String g3(double v) {
        if (!Double.isFinite(v)) {
            return "—";
        }
        double a = Math.abs(v);
        if (a != 0.0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static String g4(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "—";
    }
}
