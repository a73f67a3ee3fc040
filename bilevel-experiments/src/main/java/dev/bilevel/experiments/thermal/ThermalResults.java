package dev.bilevel.experiments.thermal;

import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.plot.Palette;
import dev.bilevel.experiments.plot.Plots;
import dev.bilevel.experiments.run.MetricsTable;
import dev.bilevel.experiments.run.RunDirectory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The thermal results table with the reference notebook's statistics
 * ({@code experiment_visualization_bilevel_lqr.ipynb}, reference-configurable-mdp.md §5.3), from run directories
 * laid out as {@code ROOT/METHOD/lr-LR/seed-S/metrics.csv} ({@code scripts/thermal-results.sh}) or from a sweep's
 * output directory {@code ROOT/trials/ID/} ({@code bilevel sweep}):
 *
 * <ul>
 *   <li>per iteration, the seed mean with the best and the worst seed dropped (with at least 5 seeds; plain
 *       mean below that);</li>
 *   <li>selection: the learning rate with the largest mean of that curve over the last 10 iterations, computed
 *       on the seeds that every learning rate of the method has (so grid points with more seeds are not
 *       favoured);</li>
 *   <li>reported: the trimmed curve's mean over the last 50 iterations (the paper's rolling 50 at the end),
 *       ± the standard deviation (ddof 0) of the per-seed last-50 means over the kept seeds divided by √(all
 *       seeds), as the notebook divides by √10.</li>
 * </ul>
 *
 * Usage: {@code java -cp bilevel.jar dev.bilevel.experiments.thermal.ThermalResults ROOT [FIGURE_DIR [NAME]]};
 * prints markdown to stdout and, with a figure directory, writes {@code NAME.png/svg} (default
 * {@code thermal-return}; best learning rate per method, trimmed mean, rolling window 50, ± SE band).
 */
public final class ThermalResults {

    /** The paper's end values (trimmed mean of the last 50) per method and learning rate, §5.3. */
    static final Map<String, Map<String, Double>> PAPER = Map.of(
            "bchg", Map.of("0.1", -196.2, "0.01", -221.6, "0.001", -255.4),
            "naive", Map.of("0.1", -211.2, "0.01", -243.1, "0.001", -257.4),
            "hpgd-mc", Map.of("0.1", -410.9, "0.01", -300.7, "0.001", -267.0),
            "hpgd-td", Map.of("0.1", -435.3, "0.01", -236.8, "0.001", -256.0));
    static final List<String> METHODS = List.of("bchg", "naive", "hpgd-td", "hpgd-mc");

    private ThermalResults() {
    }

    private static String label(String method) {
        return ThermalMethod.parse(method, "method").label();
    }

    /** The paper's best learning rate for a method (the shipped configs' default), as the tables print it. */
    private static String paperBestLr(String method) {
        return lrText(ThermalProtocol.paperBestLearningRate(ThermalMethod.parse(method, "method")));
    }

    private static String lrText(double lr) {
        return BigDecimal.valueOf(lr).stripTrailingZeros().toPlainString();
    }

    /** The paper's end value at its best learning rate (the acceptance target). */
    private static double paperBest(String method) {
        return PAPER.get(method).get(paperBestLr(method));
    }

    /** One grid point's seeds. */
    record Point(String method, String lr, List<String> seeds, List<double[]> objective, List<double[]> exact,
            List<double[][]> components) {

        int n() {
            return objective.size();
        }

        int length() {
            return objective.stream().mapToInt(a -> a.length).min().orElse(0);
        }
    }

    /**
     * @param args the results root, optionally a directory for the figure
     * @throws IOException when reading fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ThermalResults ROOT [FIGURE_DIR [FIGURE_NAME]]");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        List<Point> points = read(root);
        System.out.print(table(points));
        if (args.length > 1) {
            Path figures = Path.of(args[1]);
            Files.createDirectories(figures);
            figure(points, figures, args.length > 2 ? args[2] : "thermal-return");
        }
    }

    /**
     * Reads the finished runs under {@code root}: either the grid script's layout
     * {@code METHOD/lr-LR/seed-S/} or a sweep's output directory ({@code trials/ID/}, method, learning rate and
     * seed read from each trial's {@code config.yaml}).
     */
    static List<Point> read(Path root) throws IOException {
        Map<String, TreeMap<Double, TreeMap<String, Path>>> runs = Files.isDirectory(root.resolve("trials"))
                ? sweepRuns(root.resolve("trials")) : gridRuns(root);
        List<Point> points = new ArrayList<>();
        for (String method : METHODS) {
            for (Map.Entry<Double, TreeMap<String, Path>> lr : runs.getOrDefault(method, new TreeMap<>()).entrySet()) {
                List<String> seeds = new ArrayList<>();
                List<double[]> objective = new ArrayList<>();
                List<double[]> exact = new ArrayList<>();
                List<double[][]> components = new ArrayList<>();
                for (Map.Entry<String, Path> seed : lr.getValue().entrySet()) {
                    MetricsTable table = MetricsTable.read(seed.getValue().resolve(RunDirectory.METRICS_FILE));
                    seeds.add(seed.getKey());
                    objective.add(table.column("leader_objective"));
                    exact.add(table.column("exact_leader_return"));
                    components.add(new double[][] {table.column("return_UL_stability"),
                        table.column("return_UL_energy_cost"), table.column("return_UL_insulation_cost"),
                        table.column("return_UL_airflow_cost")});
                }
                points.add(new Point(method, lrText(lr.getKey()), seeds, objective, exact, components));
            }
        }
        return points;
    }

    /** Learning rates in descending order, as the paper's tables list them. */
    private static TreeMap<Double, TreeMap<String, Path>> byLearningRate() {
        return new TreeMap<>((a, b) -> Double.compare(b, a));
    }

    private static Map<String, TreeMap<Double, TreeMap<String, Path>>> gridRuns(Path root) throws IOException {
        Map<String, TreeMap<Double, TreeMap<String, Path>>> runs = new LinkedHashMap<>();
        for (String method : METHODS) {
            Path m = root.resolve(method);
            if (!Files.isDirectory(m)) {
                continue;
            }
            List<Path> lrDirs;
            try (Stream<Path> s = Files.list(m)) {
                lrDirs = s.filter(p -> p.getFileName().toString().startsWith("lr-")).toList();
            }
            for (Path lrDir : lrDirs) {
                double lr = Double.parseDouble(lrDir.getFileName().toString().substring(3));
                try (Stream<Path> s = Files.list(lrDir)) {
                    s.filter(p -> Files.isRegularFile(p.resolve(RunDirectory.SUMMARY_FILE))).forEach(p -> runs
                            .computeIfAbsent(method, k -> byLearningRate())
                            .computeIfAbsent(lr, k -> new TreeMap<>()).put(p.getFileName().toString(), p));
                }
            }
        }
        return runs;
    }

    private static Map<String, TreeMap<Double, TreeMap<String, Path>>> sweepRuns(Path trials) throws IOException {
        Map<String, TreeMap<Double, TreeMap<String, Path>>> runs = new LinkedHashMap<>();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(trials)) {
            dirs = s.filter(p -> Files.isRegularFile(p.resolve(RunDirectory.SUMMARY_FILE))).toList();
        }
        for (Path dir : dirs) {
            ResolvedConfig config = ThermalJob.SCHEMA.resolve(dir.resolve(RunDirectory.CONFIG_FILE), List.of());
            runs.computeIfAbsent(config.string("method"), k -> byLearningRate())
                    .computeIfAbsent(config.optionalReal("learning_rate").orElseThrow(), k -> new TreeMap<>())
                    .put("seed-" + config.longInt("seed"), dir);
        }
        return runs;
    }

    /** Per iteration, the mean over seeds without the largest and the smallest (with ≥ 5 seeds). */
    static double[] trimmedCurve(List<double[]> curves, int length) {
        double[] out = new double[length];
        double[] v = new double[curves.size()];
        for (int t = 0; t < length; t++) {
            for (int s = 0; s < v.length; s++) {
                v[s] = curves.get(s)[t];
            }
            out[t] = trimmedMean(v);
        }
        return out;
    }

    /** Seeds needed before the best and the worst are dropped (the notebook has 10). */
    static final int TRIM_FROM = 5;

    static double trimmedMean(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int from = v.length >= TRIM_FROM ? 1 : 0;
        int to = v.length >= TRIM_FROM ? v.length - 1 : v.length;
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }

    /** The notebook-style ± for per-seed numbers: std (ddof 0) over the kept seeds / √(all seeds). */
    static double trimmedSe(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int from = v.length >= TRIM_FROM ? 1 : 0;
        int to = v.length >= TRIM_FROM ? v.length - 1 : v.length;
        double mean = 0;
        for (int i = from; i < to; i++) {
            mean += v[i];
        }
        mean /= to - from;
        double ss = 0;
        for (int i = from; i < to; i++) {
            ss += (v[i] - mean) * (v[i] - mean);
        }
        return Math.sqrt(ss / (to - from)) / Math.sqrt(v.length);
    }

    static double tailMean(double[] curve, int window) {
        int from = Math.max(0, curve.length - window);
        double s = 0;
        for (int i = from; i < curve.length; i++) {
            s += curve[i];
        }
        return s / (curve.length - from);
    }

    static double windowMean(double[] curve, int at, int window) {
        int from = Math.max(0, at - window + 1);
        double s = 0;
        for (int i = from; i <= at; i++) {
            s += curve[i];
        }
        return s / (at - from + 1);
    }

    /** The selection statistic of each grid point, on the seeds common to the method's learning rates. */
    static Map<Point, Double> selections(List<Point> points) {
        Map<String, java.util.Set<String>> common = new LinkedHashMap<>();
        for (Point p : points) {
            common.computeIfAbsent(p.method(), k -> new java.util.TreeSet<>(p.seeds())).retainAll(p.seeds());
        }
        Map<Point, Double> out = new LinkedHashMap<>();
        for (Point p : points) {
            List<double[]> curves = new ArrayList<>();
            for (int i = 0; i < p.n(); i++) {
                if (common.get(p.method()).contains(p.seeds().get(i))) {
                    curves.add(p.objective().get(i));
                }
            }
            out.put(p, curves.isEmpty() ? Double.NaN : tailMean(trimmedCurve(curves, p.length()), 10));
        }
        return out;
    }

    static String table(List<Point> points) {
        Map<Point, Double> selections = selections(points);
        StringBuilder sb = new StringBuilder();
        sb.append("| method | lr | seeds | it0 | it500 | it1000 | end (trimmed, last 50) ± SE | paper end | "
                + "selection (last 10) | plain mean ± SE (last 50) | exact return (last 50) | stability / energy / "
                + "insulation / airflow (end) |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Point> best = new LinkedHashMap<>();
        Map<String, Double> bestSelection = new LinkedHashMap<>();
        for (Point p : points) {
            int len = p.length();
            double[] trimmed = trimmedCurve(p.objective(), len);
            double[] perSeed = p.objective().stream().mapToDouble(c -> tailMean(Arrays.copyOf(c, len), 50)).toArray();
            double[] exactSeed = p.exact().stream().mapToDouble(c -> tailMean(Arrays.copyOf(c, len), 50)).toArray();
            double selection = selections.get(p);
            double plain = Arrays.stream(perSeed).average().orElse(Double.NaN);
            double plainSe = std(perSeed) / Math.sqrt(perSeed.length);
            double exactMean = Arrays.stream(exactSeed).average().orElse(Double.NaN);
            double exactSe = std(exactSeed) / Math.sqrt(exactSeed.length);
            double[] comps = new double[4];
            for (int c = 0; c < 4; c++) {
                int k = c;
                List<double[]> curves = p.components().stream().map(a -> a[k]).toList();
                comps[c] = tailMean(trimmedCurve(curves, len), 50);
            }
            Double paper = PAPER.getOrDefault(p.method(), Map.of()).get(p.lr());
            sb.append(String.format(Locale.ROOT,
                    "| %s | %s | %d | %.1f | %s | %s | **%.1f ± %.1f** | %s | %.1f | %.1f ± %.1f | %.1f ± %.1f | "
                            + "%.1f / %.1f / %.1f / %.1f |%n",
                    label(p.method()), p.lr(), p.n(), windowMean(trimmed, 0, 1),
                    len > 500 ? String.format(Locale.ROOT, "%.1f", windowMean(trimmed, 500, 50)) : "–",
                    len > 1000 ? String.format(Locale.ROOT, "%.1f", windowMean(trimmed, 1000, 50)) : "–",
                    tailMean(trimmed, 50), trimmedSe(perSeed), paper == null ? "–" : String.format(Locale.ROOT,
                            "%.1f", paper), selection, plain, plainSe, exactMean, exactSe, comps[0], comps[1], comps[2],
                    comps[3]));
            if (!bestSelection.containsKey(p.method()) || selection > bestSelection.get(p.method())) {
                bestSelection.put(p.method(), selection);
                best.put(p.method(), p);
            }
        }
        sb.append("\nBest learning rate per method (selection: last-10 mean of the (trimmed) seed-mean curve on the seeds"
                + " every learning rate has):\n\n");
        sb.append("| method | best lr | seeds | ours: end ± SE | paper (best lr) |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, Point> e : best.entrySet()) {
            Point p = e.getValue();
            int len = p.length();
            double[] trimmed = trimmedCurve(p.objective(), len);
            double[] perSeed = p.objective().stream().mapToDouble(c -> tailMean(Arrays.copyOf(c, len), 50)).toArray();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f ± %.1f | %s |%n", label(p.method()),
                    p.lr(), p.n(), tailMean(trimmed, 50), trimmedSe(perSeed), String.format(Locale.ROOT, "%.1f (lr %s)",
                    paperBest(p.method()), paperBestLr(p.method())).replace('-', '−')));
        }
        return sb.toString();
    }

    private static double std(double[] v) {
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / v.length);
    }

    static void figure(List<Point> points, Path dir, String name) {
        Map<String, Point> best = new LinkedHashMap<>();
        Map<String, Double> sel = new LinkedHashMap<>();
        Map<Point, Double> selections = selections(points);
        for (Point p : points) {
            double s = selections.get(p);
            if (!sel.containsKey(p.method()) || s > sel.get(p.method())) {
                sel.put(p.method(), s);
                best.put(p.method(), p);
            }
        }
        List<Plots.Band> bands = new ArrayList<>();
        for (Point p : best.values()) {
            int len = p.length();
            double[] trimmed = trimmedCurve(p.objective(), len);
            double[] x = new double[len];
            double[] mean = new double[len];
            double[] se = new double[len];
            double[] perIterationSe = new double[len];
            double[] v = new double[p.n()];
            for (int t = 0; t < len; t++) {
                for (int s = 0; s < v.length; s++) {
                    v[s] = p.objective().get(s)[t];
                }
                perIterationSe[t] = trimmedSe(v);
            }
            for (int t = 0; t < len; t++) {
                x[t] = t;
                mean[t] = windowMean(trimmed, t, 50);
                se[t] = windowMean(perIterationSe, t, 50);
            }
            bands.add(new Plots.Band(String.format(Locale.ROOT, "%s (lr %s, %d seeds)", label(p.method()), p.lr(),
                    p.n()), Palette.method(p.method()), x, mean, se, new Plots.Reference(String.format(Locale.ROOT,
                    "paper: %s %.1f", label(p.method()), paperBest(p.method())), paperBest(p.method()))));
        }
        org.knowm.xchart.XYChart chart = Plots.bandChart(
                "Thermal: return_UL, trimmed seed mean, rolling 50 (dashed: paper, best lr)",
                "outer iteration", "return_UL", bands, 1500);
        chart.getStyler().setXAxisDecimalPattern("#").setXAxisTickMarkSpacingHint(120);
        Plots.write(chart, dir, name);
    }
}
