package dev.bilevel.experiments.report;

import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.experiments.aggregate.Aggregate;
import dev.bilevel.experiments.aggregate.AggregateFiles;
import dev.bilevel.experiments.aggregate.PaperValues;
import dev.bilevel.experiments.aggregate.ProblemProfile;
import dev.bilevel.experiments.aggregate.SelectionRule;
import dev.bilevel.experiments.job.InputFile;
import dev.bilevel.experiments.plot.Curves;
import dev.bilevel.experiments.plot.Palette;
import dev.bilevel.experiments.plot.Plots;
import dev.bilevel.experiments.run.AtomicFiles;
import dev.bilevel.experiments.run.StagedDirectory;
import dev.bilevel.experiments.stats.SampleStat;
import dev.bilevel.experiments.stats.TwoSampleTest;
import dev.bilevel.experiments.sweep.SweepLock;
import dev.bilevel.experiments.sweep.TrialRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a sweep, {@code DIR/report/index.html}: one self-contained static page (styles inline,
 * figures embedded as PNG, nothing fetched) with the results table (our numbers beside the paper's), the
 * method comparisons (95 % confidence intervals, each method's t-test against the best), the selected grid
 * points, per setting the learning curves of every method (mean ± SE bands, optional
 * rolling mean) and the problem's own figures ({@link ProblemFigures}), the failures, and every grid
 * point. Every figure is also written as PNG and SVG under {@code DIR/report/figures/}.
 */
public final class Report {

    /** The report folder inside a sweep directory. */
    public static final String DIR = "report";
    /** The page. */
    public static final String INDEX = "index.html";
    /** The figures folder inside {@link #DIR}. */
    public static final String FIGURES = "figures";

    private static final int MAX_PLOT_POINTS = 300;
    /** The longest setting part of a figure's file name. */
    static final int MAX_SLUG = 80;
    private static final List<ProblemFigures> PROBLEM_FIGURES = List.of(new FourRoomsFigures());

    /**
     * A figure of the report.
     *
     * @param base the file name without extension, in {@code figures/}
     * @param caption what it shows
     */
    public record Figure(String base, String caption) {
    }

    /**
     * How to draw the report.
     *
     * @param title the page title, or {@code null} for the profile's
     * @param rolling the rolling-mean window of the curves, or {@code null} for the profile's (1: none)
     * @param note a paragraph under the title (how it was made), or {@code null}
     */
    public record Options(String title, Integer rolling, String note) {

        /** The profile's defaults. */
        public static final Options DEFAULTS = new Options(null, null, null);

        /**
         * Checks the rolling mean, before anything is computed or written.
         *
         * @throws ExperimentInputException for a rolling mean below 1 ({@code --rolling})
         */
        public Options {
            if (rolling != null && rolling < 1) {
                throw new ExperimentInputException("--rolling: " + rolling + " must be ≥ 1");
            }
        }
    }

    private Report() {
    }

    /**
     * Writes the report of an aggregate, whole or not at all ({@link StagedDirectory}, under the sweep
     * directory's aggregate lock, {@link SweepLock#aggregate}).
     *
     * @param a the aggregate
     * @param options title, rolling mean, note
     * @return the page
     */
    public static Path write(Aggregate a, Options options) {
        ProblemProfile profile = a.profile();
        int rolling = options.rolling() != null ? options.rolling() : profile.rolling();
        try (SweepLock lock = SweepLock.aggregate(a.directory());
                StagedDirectory staged = StagedDirectory.create(a.directory().resolve(DIR))) {
            write(a, options, rolling, staged.path());
            staged.commit();
        }
        return a.directory().resolve(DIR).resolve(INDEX);
    }

    private static void write(Aggregate a, Options options, int rolling, Path reportDir) {
        ProblemProfile profile = a.profile();
        Path figuresDir = reportDir.resolve(FIGURES);
        try {
            Files.createDirectories(figuresDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + figuresDir + ": " + e.getMessage(), e);
        }
        String title = options.title() != null ? options.title() : profile.title();
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        html.append("<h1>").append(esc(title)).append("</h1>\n");
        if (options.note() != null) {
            html.append("<p>").append(esc(options.note())).append("</p>\n");
        }
        html.append("<p class=\"meta\">").append(esc(summaryLine(a))).append("</p>\n");

        html.append("<h2>Results</h2>\n").append(resultsTable(a));
        html.append("<p class=\"note\">").append(esc(profile.objectiveLabel() + " (" + a.metric() + "), "
                + a.rule().describe(a.window()) + ", mean ± SE over seeds (SE = population standard deviation / √seeds, "
                + "as the reference). Per method and setting the grid point with the "
                + (profile.maximize() ? "largest" : "smallest") + " mean is shown; bold: the best method of the row."));
        if (profile.paperSource() != null && a.selected().stream().anyMatch(s -> s.paper() != null)) {
            html.append(" Paper: ").append(esc(profile.paperSource())).append('.');
        }
        html.append("</p>\n");
        html.append("<h2>Method comparisons</h2>\n").append(comparisonTable(a));
        if (!a.hyperKeys().isEmpty()) {
            html.append("<h2>").append(a.selectedOver().isEmpty() ? "Grid points" : "Selected grid points")
                    .append("</h2>\n").append(selectedTable(a));
        }

        html.append("<h2>Figures</h2>\n");
        ProblemFigures extra = PROBLEM_FIGURES.stream().filter(f -> f.problem().equals(profile.problem())).findFirst()
                .orElse(null);
        for (Map.Entry<Map<String, String>, List<Aggregate.Selection>> e : a.selectionsBySetting().entrySet()) {
            Map<String, String> setting = e.getKey();
            List<Aggregate.Selection> selections = new ArrayList<>(e.getValue());
            selections.sort((x, y) -> Integer.compare(profile.methodRank(x.method()), profile.methodRank(y.method())));
            if (!setting.isEmpty()) {
                html.append("<h3>").append(esc(describe(profile, setting))).append("</h3>\n");
            }
            html.append("<div class=\"figures\">\n");
            Figure curves = curves(a, setting, selections, rolling, figuresDir);
            if (curves != null) {
                html.append(figure(figuresDir, curves));
            }
            if (extra != null) {
                for (Figure f : extra.draw(a, setting, selections, figuresDir)) {
                    html.append(figure(figuresDir, f));
                }
            }
            html.append("</div>\n");
        }

        if (!a.failures().isEmpty()) {
            html.append("<h2>Failed trials</h2>\n<table>\n<tr><th>trial</th><th>grid values</th><th>error</th></tr>\n");
            for (TrialRecord r : a.failures()) {
                html.append("<tr><td><code>").append(esc(r.id().substring(0, Math.min(16, r.id().length()))))
                        .append("</code></td><td>").append(esc(r.label())).append("</td><td>").append(esc(r.error()))
                        .append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        html.append("<details>\n<summary>All grid points (").append(a.points().size()).append(")</summary>\n")
                .append(pointsTable(a)).append("</details>\n");
        html.append("<footer>Written by <code>bilevel aggregate</code>. Tables: <code>aggregate/")
                .append(AggregateFiles.SELECTED_CSV).append("</code>, <code>aggregate/").append(AggregateFiles.POINTS_CSV)
                .append("</code>, <code>aggregate/").append(AggregateFiles.JSON_FILE)
                .append("</code>; curves: <code>aggregate/curves/</code>; figures (PNG, SVG): <code>report/figures/</code>.")
                .append("</footer>\n</body>\n</html>\n");
        AtomicFiles.writeString(reportDir.resolve(INDEX), html.toString());
    }

    private static String summaryLine(Aggregate a) {
        StringBuilder s = new StringBuilder();
        s.append("Problem ").append(a.profile().problem()).append(" · ").append(a.completed()).append(" trials completed");
        if (a.expected() >= 0) {
            s.append(" of ").append(a.expected());
        }
        s.append(", ").append(a.failures().size()).append(" failed · ").append(a.points().size()).append(" grid points");
        if (!a.settingKeys().isEmpty()) {
            s.append(" · settings by ").append(String.join(", ", a.settingKeys().stream().map(a.profile()::keyLabel).toList()));
        }
        if (!a.selectedOver().isEmpty()) {
            s.append(" · best point selected over ")
                    .append(String.join(", ", a.selectedOver().stream().map(a.profile()::keyLabel).toList()));
        } else {
            s.append(" · one grid point per method and setting");
        }
        return s.toString();
    }

    private static String resultsTable(Aggregate a) {
        ProblemProfile profile = a.profile();
        List<String> methods = a.methods();
        boolean paper = a.selected().stream().anyMatch(s -> s.paper() != null);
        StringBuilder t = new StringBuilder("<table>\n<tr>");
        for (String k : a.settingKeys()) {
            t.append("<th rowspan=\"").append(paper ? 2 : 1).append("\">").append(esc(profile.keyLabel(k))).append("</th>");
        }
        for (String m : methods) {
            t.append("<th").append(paper ? " colspan=\"2\"" : "").append(">").append(esc(profile.methodLabel(m)))
                    .append("</th>");
        }
        t.append("</tr>\n");
        if (paper) {
            t.append("<tr>");
            for (int i = 0; i < methods.size(); i++) {
                t.append("<th>ours</th><th class=\"paper\">paper</th>");
            }
            t.append("</tr>\n");
        }
        for (Map.Entry<Map<String, String>, List<Aggregate.Selection>> row : a.selectionsBySetting().entrySet()) {
            double best = Double.NaN;
            for (Aggregate.Selection s : row.getValue()) {
                if (s.point() != null) {
                    double v = s.point().score().mean();
                    if (Double.isNaN(best) || (profile.maximize() ? v > best : v < best)) {
                        best = v;
                    }
                }
            }
            t.append("<tr>");
            for (String v : profile.valueLabels(row.getKey())) {
                t.append("<td>").append(esc(v)).append("</td>");
            }
            for (String m : methods) {
                Aggregate.Selection s = row.getValue().stream().filter(x -> x.method().equals(m)).findFirst().orElse(null);
                if (s == null || s.point() == null) {
                    t.append("<td class=\"none\">–</td>");
                } else {
                    SampleStat st = s.point().score();
                    boolean isBest = st.mean() == best;
                    t.append("<td class=\"num\">").append(isBest ? "<b>" : "").append(esc(meanSe(st)))
                            .append(isBest ? "</b>" : "").append("<span class=\"n\"> (").append(st.n())
                            .append(s.point().failed().isEmpty() ? "" : ", " + s.point().failed().size() + " failed")
                            .append(")</span></td>");
                }
                if (paper) {
                    PaperValues.Value pv = s == null ? null : s.paper();
                    t.append("<td class=\"num paper\">").append(pv == null ? "–" : esc(pv.text())).append("</td>");
                }
            }
            t.append("</tr>\n");
        }
        t.append("</table>\n<p class=\"note\">(n): seeds in the mean.</p>\n");
        return t.toString();
    }

    /**
     * Per setting and method: the mean with its 95 % confidence interval, and the t-test against the
     * setting's best method.
     */
    private static String comparisonTable(Aggregate a) {
        ProblemProfile profile = a.profile();
        StringBuilder t = new StringBuilder("<table>\n<tr>");
        for (String k : a.settingKeys()) {
            t.append("<th>").append(esc(profile.keyLabel(k))).append("</th>");
        }
        t.append("<th>method</th><th>mean</th><th>95 % CI</th><th>n</th><th>versus</th><th>test</th><th>t</th>")
                .append("<th>df</th><th>p</th><th>Hedges' g</th></tr>\n");
        for (Aggregate.Selection s : a.selected()) {
            t.append("<tr>");
            profile.valueLabels(s.setting()).forEach(v -> t.append("<td>").append(esc(v)).append("</td>"));
            t.append("<td>").append(esc(profile.methodLabel(s.method()))).append("</td>");
            SampleStat st = s.point() == null ? SampleStat.EMPTY : s.point().score();
            t.append(num("%.3f", st.mean())).append("<td class=\"num\">")
                    .append(Double.isNaN(st.ciHalfWidth()) ? "–" : String.format(Locale.ROOT, "[%.3f, %.3f]",
                            st.ciLow(), st.ciHigh()))
                    .append("</td><td class=\"num\">").append(st.n()).append("</td>");
            TwoSampleTest test = s.versusBest();
            if (s.method().equals(s.best())) {
                t.append("<td colspan=\"6\">best of the setting</td>");
            } else if (test == null) {
                t.append("<td colspan=\"6\" class=\"none\">–</td>");
            } else {
                t.append("<td>").append(esc(profile.methodLabel(s.best()))).append("</td><td>")
                        .append(test.design().label()).append("</td>").append(num("%.2f", test.t()))
                        .append(num("%.1f", test.df())).append(num("%.2g", test.p()))
                        .append(num("%.2f", test.hedgesG()));
            }
            t.append("</tr>\n");
        }
        return t.append("</table>\n<p class=\"note\">Mean and 95 % confidence interval over seeds (Student t, "
                + "seeds − 1 degrees of freedom, sample standard deviation). Each method is tested against the best "
                + "method of its setting: a paired t-test on per-seed differences where every method of the setting "
                + "has the same seeds, Welch's t-test otherwise; two-sided p-value. Hedges' g: the difference of the "
                + "means (this method − best) over their pooled standard deviation, with the small-sample correction "
                + "1 − 3/(4(n₁ + n₂) − 9). A method with fewer than two seeds is not tested.</p>\n").toString();
    }

    /** A number cell, {@code –} when not finite. */
    private static String num(String format, double v) {
        return "<td class=\"num\">" + (Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "–") + "</td>";
    }

    private static String selectedTable(Aggregate a) {
        ProblemProfile profile = a.profile();
        StringBuilder t = new StringBuilder("<table>\n<tr>");
        for (String k : a.settingKeys()) {
            t.append("<th>").append(esc(profile.keyLabel(k))).append("</th>");
        }
        t.append("<th>method</th>");
        for (String k : a.hyperKeys()) {
            t.append("<th>").append(esc(profile.keyLabel(k))).append("</th>");
        }
        t.append("<th>point</th><th title=\"grid points compared\">candidates</th><th>score</th></tr>\n");
        for (Aggregate.Selection s : a.selected()) {
            t.append("<tr>");
            profile.valueLabels(s.setting()).forEach(v -> t.append("<td>").append(esc(v)).append("</td>"));
            t.append("<td>").append(esc(profile.methodLabel(s.method()))).append("</td>");
            for (String k : a.hyperKeys()) {
                t.append("<td>").append(s.point() == null ? "–" : esc(s.point().hyper().get(k))).append("</td>");
            }
            t.append("<td>").append(s.point() == null ? "–" : esc(s.point().name())).append("</td><td>")
                    .append(s.candidates()).append("</td><td class=\"num\">")
                    .append(s.point() == null ? "–" : esc(meanSe(s.point().score()))).append("</td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    private static String pointsTable(Aggregate a) {
        ProblemProfile profile = a.profile();
        StringBuilder t = new StringBuilder("<table>\n<tr><th>point</th>");
        for (String k : a.settingKeys()) {
            t.append("<th>").append(esc(profile.keyLabel(k))).append("</th>");
        }
        t.append("<th>method</th>");
        for (String k : a.hyperKeys()) {
            t.append("<th>").append(esc(profile.keyLabel(k))).append("</th>");
        }
        t.append("<th>seeds</th><th>failed</th><th>").append(esc(a.rule().describe(a.window())))
                .append("</th><th>final</th></tr>\n");
        for (Aggregate.Point p : a.points()) {
            t.append("<tr><td>").append(esc(p.name())).append("</td>");
            profile.valueLabels(p.setting()).forEach(v -> t.append("<td>").append(esc(v)).append("</td>"));
            t.append("<td>").append(esc(profile.methodLabel(p.method()))).append("</td>");
            p.hyper().values().forEach(v -> t.append("<td>").append(esc(v)).append("</td>"));
            Aggregate.MetricSummary m = p.metric(a.metric());
            t.append("<td>").append(p.seeds().size()).append("</td><td>").append(p.failed().size())
                    .append("</td><td class=\"num\">").append(esc(meanSe(p.score()))).append("</td><td class=\"num\">")
                    .append(m == null ? "–" : esc(meanSe(m.last()))).append("</td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    /** The learning curves of one setting: each method's selected point, mean ± SE band. */
    private static Figure curves(Aggregate a, Map<String, String> setting, List<Aggregate.Selection> selections,
            int rolling, Path figuresDir) {
        ProblemProfile profile = a.profile();
        List<Plots.Band> bands = new ArrayList<>();
        double maxX = Double.NEGATIVE_INFINITY;
        for (Aggregate.Selection s : selections) {
            if (s.point() == null || s.point().curveFile() == null) {
                continue;
            }
            double[][] curve = readCurve(a.directory().resolve(s.point().curveFile()), a.metric());
            if (curve == null) {
                continue;
            }
            double[] mean = Curves.rollingMean(curve[1], rolling);
            double[] se = Curves.rollingMean(curve[2], rolling);
            double[][] thin = Curves.thin(MAX_PLOT_POINTS, curve[0], mean, se);
            for (double x : thin[0]) {
                maxX = Math.max(maxX, x);
            }
            String label = profile.methodLabel(s.method());
            Plots.Reference reference = s.paper() == null ? null
                    : new Plots.Reference("paper: " + label + " " + s.paper().meanText(), s.paper().mean());
            bands.add(new Plots.Band(label, Palette.method(s.method()), thin[0], thin[1], thin[2], reference));
        }
        if (bands.isEmpty()) {
            return null;
        }
        String base = "curves-" + slug(setting);
        String title = (setting.isEmpty() ? profile.title() : describe(profile, setting))
                + (rolling > 1 ? ", rolling mean " + rolling : "");
        double refFrom = a.rule() == SelectionRule.LAST_WINDOW_MEAN ? maxX - a.window() + 1 : maxX;
        Plots.write(Plots.bandChart(title, profile.xColumn(), profile.objectiveLabel() + " (mean ± SE)", bands, refFrom),
                figuresDir, base);
        boolean anyPaper = bands.stream().anyMatch(b -> b.reference() != null);
        String caption = "Learning curves, " + (setting.isEmpty() ? "" : describe(profile, setting) + ", ")
                + "the selected point of each method: seed mean with a ± SE band"
                + (rolling > 1 ? ", rolling mean over " + rolling + " iterations (expanding at the start)" : "")
                + (anyPaper ? "; dashed: the paper's number over the window the table reports" : "") + ".";
        return new Figure(base, caption);
    }

    private static String figure(Path figuresDir, Figure f) {
        byte[] png;
        try {
            png = Files.readAllBytes(figuresDir.resolve(f.base() + ".png"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f.base() + ".png: " + e.getMessage(), e);
        }
        return "<figure>\n<img alt=\"" + esc(f.caption()) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\">\n<figcaption>" + esc(f.caption())
                + " <a href=\"" + FIGURES + "/" + f.base() + ".svg\">SVG</a> · <a href=\"" + FIGURES + "/" + f.base()
                + ".png\">PNG</a></figcaption>\n</figure>\n";
    }

    /** Reads {@code x, METRIC_mean, METRIC_se} from a curve file. */
    static double[][] readCurve(Path file, String metric) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                return null;
            }
            List<String> names = Arrays.asList(header.split(",", -1));
            int mi = names.indexOf(metric + "_mean");
            int si = names.indexOf(metric + "_se");
            if (mi < 0 || si < 0) {
                return null;
            }
            List<double[]> rows = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String[] cells = line.split(",", -1);
                rows.add(new double[] {num(cells[0]), num(cells[mi]), num(cells[si])});
            }
            double[][] out = new double[3][rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                for (int c = 0; c < 3; c++) {
                    out[c][i] = rows.get(i)[c];
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static double num(String cell) {
        return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
    }

    /**
     * A setting in words: {@code λ = 0.003, samples = 100}.
     *
     * @param profile labels
     * @param setting the values
     * @return the text
     */
    public static String describe(ProblemProfile profile, Map<String, String> setting) {
        List<String> parts = new ArrayList<>();
        setting.forEach((k, v) -> parts.add(profile.keyLabel(k) + " = " + profile.valueLabel(k, v)));
        return String.join(", ", parts);
    }

    /**
     * A file-name part for a setting: {@code reg_lambda-0.003_samples-100} ({@code all} when empty). Longer than
     * {@value #MAX_SLUG} characters (a setting holding a file path), it is cut and ends with a hash of the
     * whole, so that different settings keep different names.
     *
     * @param setting the values
     * @return letters, digits and {@code . _ -} only
     */
    public static String slug(Map<String, String> setting) {
        if (setting.isEmpty()) {
            return "all";
        }
        List<String> parts = new ArrayList<>();
        setting.forEach((k, v) -> parts.add(k + "-" + v));
        String slug = String.join("_", parts).replaceAll("[^A-Za-z0-9._-]", "_");
        if (slug.length() <= MAX_SLUG) {
            return slug;
        }
        String hash = InputFile.sha256(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8));
        return slug.substring(0, MAX_SLUG - 13) + "-" + hash.substring(0, 12);
    }

    private static String meanSe(SampleStat s) {
        return Double.isNaN(s.mean()) ? "–" : String.format(Locale.ROOT, "%.3f ± %.3f", s.mean(), s.populationSe());
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = """
            body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1500px;
                   padding: 0 1.5em; color: #222; line-height: 1.45; }
            h1 { font-size: 1.6em; margin-bottom: .2em; }
            h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
            h3 { font-size: 1.05em; margin: 1.2em 0 .4em; }
            .meta, .note, footer { color: #555; font-size: .9em; }
            table { border-collapse: collapse; margin: .6em 0; font-size: .92em; }
            th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; }
            th { background: #f3f3f3; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .paper { color: #666; background: #fafafa; }
            .n { color: #888; font-size: .85em; }
            .none { color: #aaa; text-align: center; }
            .figures { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
            figure { margin: 0; max-width: 100%; }
            figure img { max-width: 100%; border: 1px solid #eee; }
            figcaption { font-size: .85em; color: #555; max-width: 800px; }
            details { margin: 1.5em 0; }
            footer { margin-top: 2em; border-top: 1px solid #ddd; padding-top: .5em; }
            """;
}
