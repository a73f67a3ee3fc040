package dev.bilevel.experiments.report;

import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.experiments.aggregate.Aggregate;
import dev.bilevel.experiments.aggregate.AggregateFiles;
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
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
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
 *
 * <p>The page is the Mustache template {@code report.mustache}, a resource beside this class with the CSS
 * inline, rendered by Mustache.java from a view model of display text (numbers formatted here); Mustache
 * HTML-escapes every value. The same aggregate and options give the same page, byte for byte.
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
    /** The page, {@code report.mustache} beside this class. */
    private static final Mustache TEMPLATE = template();

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
        List<String> settingKeys = a.settingKeys().stream().map(profile::keyLabel).toList();
        List<String> hyperKeys = a.hyperKeys().stream().map(profile::keyLabel).toList();
        List<String> selectedOver = a.selectedOver().stream().map(profile::keyLabel).toList();
        boolean paper = a.selected().stream().anyMatch(s -> s.paper() != null);
        Failures failures = a.failures().isEmpty() ? null : new Failures(a.failures().stream()
                .map(r -> new FailedTrial(r.id().substring(0, Math.min(16, r.id().length())), r.label(), r.error()))
                .toList());
        Page page = new Page(options.title() != null ? options.title() : profile.title(), options.note(),
                profile.problem(), a.completed(), a.expected() >= 0 ? a.expected() : null, a.failures().size(),
                a.points().size(), settingKeys.isEmpty() ? null : String.join(", ", settingKeys),
                selectedOver.isEmpty() ? null : String.join(", ", selectedOver), settingKeys, hyperKeys,
                results(a, paper), profile.objectiveLabel(), a.metric(), a.rule().describe(a.window()),
                profile.maximize(), paper ? profile.paperSource() : null, comparisons(a),
                hyperKeys.isEmpty() ? null : new Selected(selections(a)), figureGroups(a, rolling, figuresDir),
                failures, points(a), AggregateFiles.SELECTED_CSV, AggregateFiles.POINTS_CSV, AggregateFiles.JSON_FILE);
        StringWriter html = new StringWriter();
        TEMPLATE.execute(html, page);
        AtomicFiles.writeString(reportDir.resolve(INDEX), html.toString());
    }

    private static Mustache template() {
        String name = "report.mustache";
        try (InputStream in = Report.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing beside " + Report.class.getName());
            }
            return new DefaultMustacheFactory().compile(new InputStreamReader(in, StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /*
     * The view model of report.mustache: display text only (numbers formatted here, in Locale.ROOT); the template
     * escapes it. A null record or string leaves its section out.
     */

    /** The page; {@code expected}, {@code settingsBy}, {@code selectedOver}, {@code paperSource} may be null. */
    private record Page(String title, String note, String problem, int completed, Integer expected, int failed,
            int pointCount, String settingsBy, String selectedOver, List<String> settingKeys, List<String> hyperKeys,
            Results results, String objective, String metric, String rule, boolean maximize, String paperSource,
            List<Comparison> comparisons, Selected selected, List<FigureGroup> figureGroups, Failures failures,
            List<PointRow> points, String selectedCsv, String pointsCsv, String jsonFile) {
    }

    /** The results table: setting labels span {@code headerRows} rows; with {@code paper}, two columns a method. */
    private record Results(int headerRows, boolean paper, List<String> methods, List<ResultRow> rows) {
    }

    private record ResultRow(List<String> values, List<ResultCell> cells) {
    }

    /** A method's cell: {@code score} null without a point; {@code paperText} null without a paper column. */
    private record ResultCell(Score score, String paperText) {
    }

    /** {@code seeds}: the seeds in the mean, and the failed ones if any. */
    private record Score(String meanSe, String seeds, boolean best) {
    }

    /** A row of the method comparisons; {@code test} null when the method is not tested. */
    private record Comparison(List<String> values, String method, String mean, String ci, int n, boolean best,
            VersusBest test) {
    }

    private record VersusBest(String versus, String design, String t, String df, String p, String g) {
    }

    private record Selected(List<SelectionRow> selections) {
    }

    private record SelectionRow(List<String> values, String method, List<String> hyper, String point, int candidates,
            String score) {
    }

    /** The figures of a setting; {@code heading} null for the only, empty, setting. */
    private record FigureGroup(String heading, List<FigureView> figures) {
    }

    /** {@code png}: the PNG's bytes in base64, embedded as a data URI. */
    private record FigureView(String caption, String png, String svgHref, String pngHref) {
    }

    private record Failures(List<FailedTrial> trials) {
    }

    private record FailedTrial(String id, String label, String error) {
    }

    private record PointRow(String name, List<String> values, String method, Collection<String> hyper, int seeds,
            int failed, String score, String last) {
    }

    private static Results results(Aggregate a, boolean paper) {
        ProblemProfile profile = a.profile();
        List<String> methods = a.methods();
        List<ResultRow> rows = new ArrayList<>();
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
            List<ResultCell> cells = new ArrayList<>();
            for (String m : methods) {
                Aggregate.Selection s = row.getValue().stream().filter(x -> x.method().equals(m)).findFirst().orElse(null);
                Score score = null;
                if (s != null && s.point() != null) {
                    SampleStat st = s.point().score();
                    score = new Score(meanSe(st), st.n()
                            + (s.point().failed().isEmpty() ? "" : ", " + s.point().failed().size() + " failed"),
                            st.mean() == best);
                }
                String paperText = null;
                if (paper) {
                    paperText = s == null || s.paper() == null ? "–" : s.paper().text();
                }
                cells.add(new ResultCell(score, paperText));
            }
            rows.add(new ResultRow(profile.valueLabels(row.getKey()), cells));
        }
        return new Results(paper ? 2 : 1, paper, methods.stream().map(profile::methodLabel).toList(), rows);
    }

    /**
     * Per setting and method: the mean with its 95 % confidence interval, and the t-test against the
     * setting's best method.
     */
    private static List<Comparison> comparisons(Aggregate a) {
        ProblemProfile profile = a.profile();
        List<Comparison> rows = new ArrayList<>();
        for (Aggregate.Selection s : a.selected()) {
            SampleStat st = s.point() == null ? SampleStat.EMPTY : s.point().score();
            TwoSampleTest test = s.versusBest();
            rows.add(new Comparison(profile.valueLabels(s.setting()), profile.methodLabel(s.method()),
                    num("%.3f", st.mean()), Double.isNaN(st.ciHalfWidth()) ? "–"
                            : String.format(Locale.ROOT, "[%.3f, %.3f]", st.ciLow(), st.ciHigh()),
                    st.n(), s.method().equals(s.best()),
                    test == null ? null : new VersusBest(profile.methodLabel(s.best()), test.design().label(),
                            num("%.2f", test.t()), num("%.1f", test.df()), num("%.2g", test.p()),
                            num("%.2f", test.hedgesG()))));
        }
        return rows;
    }

    /** A number, {@code –} when not finite. */
    private static String num(String format, double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "–";
    }

    private static List<SelectionRow> selections(Aggregate a) {
        ProblemProfile profile = a.profile();
        List<SelectionRow> rows = new ArrayList<>();
        for (Aggregate.Selection s : a.selected()) {
            Aggregate.Point p = s.point();
            rows.add(new SelectionRow(profile.valueLabels(s.setting()), profile.methodLabel(s.method()),
                    a.hyperKeys().stream().map(k -> p == null ? "–" : p.hyper().get(k)).toList(),
                    p == null ? "–" : p.name(), s.candidates(), p == null ? "–" : meanSe(p.score())));
        }
        return rows;
    }

    private static List<PointRow> points(Aggregate a) {
        ProblemProfile profile = a.profile();
        return a.points().stream().map(p -> {
            Aggregate.MetricSummary m = p.metric(a.metric());
            return new PointRow(p.name(), profile.valueLabels(p.setting()), profile.methodLabel(p.method()),
                    p.hyper().values(), p.seeds().size(), p.failed().size(), meanSe(p.score()),
                    m == null ? "–" : meanSe(m.last()));
        }).toList();
    }

    /** Per setting: draws its figures (the learning curves, then the problem's own) and embeds them. */
    private static List<FigureGroup> figureGroups(Aggregate a, int rolling, Path figuresDir) {
        ProblemProfile profile = a.profile();
        ProblemFigures extra = PROBLEM_FIGURES.stream().filter(f -> f.problem().equals(profile.problem())).findFirst()
                .orElse(null);
        List<FigureGroup> groups = new ArrayList<>();
        for (Map.Entry<Map<String, String>, List<Aggregate.Selection>> e : a.selectionsBySetting().entrySet()) {
            Map<String, String> setting = e.getKey();
            List<Aggregate.Selection> selections = new ArrayList<>(e.getValue());
            selections.sort((x, y) -> Integer.compare(profile.methodRank(x.method()), profile.methodRank(y.method())));
            List<FigureView> figures = new ArrayList<>();
            Figure curves = curves(a, setting, selections, rolling, figuresDir);
            if (curves != null) {
                figures.add(figure(figuresDir, curves));
            }
            if (extra != null) {
                for (Figure f : extra.draw(a, setting, selections, figuresDir)) {
                    figures.add(figure(figuresDir, f));
                }
            }
            groups.add(new FigureGroup(setting.isEmpty() ? null : describe(profile, setting), figures));
        }
        return groups;
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

    private static FigureView figure(Path figuresDir, Figure f) {
        byte[] png;
        try {
            png = Files.readAllBytes(figuresDir.resolve(f.base() + ".png"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f.base() + ".png: " + e.getMessage(), e);
        }
        return new FigureView(f.caption(), Base64.getEncoder().encodeToString(png),
                FIGURES + "/" + f.base() + ".svg", FIGURES + "/" + f.base() + ".png");
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
}
