package dev.bilevel.experiments.aggregate;

import dev.bilevel.experiments.DoubleText;
import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.experiments.run.AtomicFiles;
import dev.bilevel.experiments.run.MetricsTable;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.experiments.run.StagedDirectory;
import dev.bilevel.experiments.stats.SampleStat;
import dev.bilevel.experiments.stats.TwoSampleTest;
import dev.bilevel.experiments.sweep.FlatYaml;
import dev.bilevel.experiments.sweep.SweepDirectory;
import dev.bilevel.experiments.sweep.SweepLock;
import dev.bilevel.experiments.sweep.TrialRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The numbers of a sweep directory: its trials grouped into grid points (equal configs but for the
 * seed), per point the mean ± SE over seeds of every metric (last-window mean, final value, mean over
 * all iterations, and the curve), and per setting and method the best point by a named
 * {@link SelectionRule}, beside the paper's number where the profile has one.
 *
 * <p>Grid points are ordered by their setting (numbers as numbers), the method's display order and the
 * other keys, and numbered {@code point-001, …} in that order; the same directory gives the same
 * numbers, files and names.
 *
 * @param directory the sweep directory
 * @param profile the problem's profile
 * @param metric the objective metric (a {@code metrics.csv} column)
 * @param rule the selection rule
 * @param window the last-window length
 * @param settingKeys the keys that make a setting
 * @param methodKeys the keys naming the method (empty: one method, {@code "-"})
 * @param hyperKeys the other keys that vary between points
 * @param selectedOver the keys of {@code hyperKeys} that vary between points of one setting and method:
 *     what selection chooses (keys that only follow the setting, such as tuned defaults, are not in it)
 * @param curveMetrics the metrics whose curves were written
 * @param points every grid point with at least one finished trial
 * @param selected the best point per setting and method
 * @param expected the number of trials the sweep's index lists, or -1 when unknown
 * @param completed completed trials
 * @param failures failed trials
 */
public record Aggregate(Path directory, ProblemProfile profile, String metric, SelectionRule rule, int window,
        List<String> settingKeys, List<String> methodKeys, List<String> hyperKeys, List<String> selectedOver,
        List<String> curveMetrics,
        List<Point> points, List<Selection> selected, int expected, int completed, List<TrialRecord> failures) {

    /** Where aggregation writes, inside the sweep directory. */
    public static final String OUTPUT = "aggregate";
    /** Curves, one file per point, inside {@link #OUTPUT}. */
    public static final String CURVES = "curves";

    /**
     * What to compute; {@code null} fields take the profile's defaults.
     *
     * @param metric the objective metric
     * @param rule the selection rule
     * @param window the last-window length
     * @param settingKeys the keys that make a setting
     * @param curveMetrics metrics whose curves to write ({@code null}: the objective only; empty: all)
     */
    public record Options(String metric, SelectionRule rule, Integer window, List<String> settingKeys,
            List<String> curveMetrics) {

        /**
         * Checks the window, before anything is read or written.
         *
         * @throws ExperimentInputException for a window below 1 ({@code --window})
         */
        public Options {
            if (window != null && window < 1) {
                throw new ExperimentInputException("--window: " + window + " must be ≥ 1");
            }
        }

        /** Everything from the profile. */
        public static final Options DEFAULTS = new Options(null, null, null, null, null);
    }

    /**
     * One seed of a grid point.
     *
     * @param id the trial id
     * @param dir the trial directory, relative to the sweep directory
     * @param seed the seed, as written in the config
     * @param score the selection rule's number for this seed (NaN for a failed trial)
     * @param error the failure, or {@code null}
     */
    public record Seed(String id, String dir, String seed, double score, String error) {
    }

    /**
     * A metric of a point: three numbers per seed, each averaged over seeds.
     *
     * @param metric the column name
     * @param lastWindow the last-window mean
     * @param last the final value
     * @param all the mean over all iterations
     */
    public record MetricSummary(String metric, SampleStat lastWindow, SampleStat last, SampleStat all) {
    }

    /**
     * One grid point.
     *
     * @param name {@code point-001}, …
     * @param config every config value but the seed, as text
     * @param setting the values of the setting keys
     * @param method the method, or {@code "-"} without a method key
     * @param hyper the values of the other keys that vary
     * @param seeds the completed seeds, by seed
     * @param failed the failed seeds
     * @param metrics per metric, in column order
     * @param score the selection rule on the objective, over seeds
     * @param curveFile the curve file, relative to the sweep directory
     */
    public record Point(String name, Map<String, String> config, Map<String, String> setting, String method,
            Map<String, String> hyper, List<Seed> seeds, List<Seed> failed, List<MetricSummary> metrics,
            SampleStat score, String curveFile) {

        /**
         * A metric's summary.
         *
         * @param metric the column
         * @return the summary, or {@code null}
         */
        public MetricSummary metric(String metric) {
            return metrics.stream().filter(m -> m.metric().equals(metric)).findFirst().orElse(null);
        }
    }

    /**
     * The best point of a method in a setting.
     *
     * @param setting the setting
     * @param method the method
     * @param point the selected point, or {@code null} when no point of the method has a finite score
     * @param candidates how many points were compared
     * @param paper the paper's number, or {@code null}
     * @param best the best method of the setting (see {@link BestVersusOthers}), or {@code null} when no
     *     method of the setting has a finite score
     * @param versusBest this method's per-seed scores against the best method's (paired or Welch t-test,
     *     Hedges' g; positive when this method's mean is larger), or {@code null} for the best method itself
     *     and when either has fewer than two seeds with a finite score
     */
    public record Selection(Map<String, String> setting, String method, Point point, int candidates,
            PaperValues.Value paper, String best, TwoSampleTest versusBest) {
    }

    /**
     * Aggregates a sweep directory and writes {@code aggregate/points.csv}, {@code selected.csv},
     * {@code aggregate.json} and {@code curves/point-NNN.csv}. The folder is written whole or not at all
     * ({@link StagedDirectory}), under the directory's aggregate lock ({@link SweepLock#aggregate}): every
     * check fails before the old {@code aggregate/} is touched, and a kill leaves it as it was.
     *
     * @param sweepDir the sweep directory
     * @param label how the user named it, for messages
     * @param options what to compute
     * @return the result
     * @throws ExperimentInputException for a directory that is not a sweep, has no finished trials, or
     *     lacks the metric
     */
    public static Aggregate compute(Path sweepDir, String label, Options options) {
        SweepDirectory directory = SweepDirectory.existing(sweepDir, label);
        Map<String, TrialRecord> records = directory.scan();
        if (records.isEmpty()) {
            throw new ExperimentInputException(label + " " + sweepDir + ": no finished trials in it yet");
        }
        // Read every trial's config; group by everything but the seed.
        Map<String, List<Map.Entry<TrialRecord, Map<String, String>>>> groups = new LinkedHashMap<>();
        List<TrialRecord> failures = new ArrayList<>();
        String problem = null;
        int completed = 0;
        for (TrialRecord record : records.values()) {
            if (record.completed()) {
                completed++;
            } else {
                failures.add(record);
            }
            Path config = directory.trialDir(record.id()).resolve(RunDirectory.CONFIG_FILE);
            if (!Files.isRegularFile(config)) {
                continue; // a trial that failed before writing its config counts as a failure only
            }
            Map<String, String> values = readConfig(config);
            String p = values.getOrDefault("problem", "");
            if (problem != null && !problem.equals(p)) {
                throw new ExperimentInputException(label + " " + sweepDir + ": holds trials of several problems ('"
                        + problem + "', '" + p + "'); aggregate one sweep at a time");
            }
            problem = p;
            Map<String, String> key = new LinkedHashMap<>(values);
            key.remove("seed");
            groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(Map.entry(record, values));
        }
        if (problem == null) {
            throw new ExperimentInputException(label + " " + sweepDir + ": no trial wrote its config.yaml");
        }
        ProblemProfile profile = ProblemProfile.forProblem(problem);
        String metric = options.metric() != null ? options.metric() : profile.objective();
        SelectionRule rule = options.rule() != null ? options.rule() : profile.rule();
        int window = options.window() != null ? options.window() : profile.window();

        // Keys: which vary, which make the setting, the method, the rest.
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<Map.Entry<TrialRecord, Map<String, String>>> g : groups.values()) {
            Map<String, String> c = new LinkedHashMap<>(g.get(0).getValue());
            c.remove("seed");
            configs.add(c);
        }
        Set<String> allKeys = new LinkedHashSet<>();
        configs.forEach(c -> allKeys.addAll(c.keySet()));
        List<String> varying = new ArrayList<>();
        for (String k : allKeys) {
            String first = configs.get(0).get(k);
            if (configs.stream().anyMatch(c -> !Objects.equals(c.get(k), first))) {
                varying.add(k);
            }
        }
        List<String> settingKeys = new ArrayList<>();
        for (String k : options.settingKeys() != null ? options.settingKeys() : profile.settingKeys()) {
            if (!allKeys.contains(k)) {
                if (options.settingKeys() != null) {
                    throw new ExperimentInputException("--by: no config key '" + k + "' in the trials of " + sweepDir);
                }
                continue;
            }
            settingKeys.add(k);
        }
        List<String> methodKeys = profile.methodKeys().stream()
                .filter(k -> allKeys.contains(k) && !settingKeys.contains(k)).toList();
        List<String> hyperKeys = new ArrayList<>();
        for (String k : varying) {
            if (!settingKeys.contains(k) && !methodKeys.contains(k)) {
                hyperKeys.add(k);
            }
        }

        // Order the points.
        List<List<Map.Entry<TrialRecord, Map<String, String>>>> ordered = new ArrayList<>(groups.values());
        Comparator<Map<String, String>> bySetting = (a, b) -> compareValues(a, b, settingKeys);
        Comparator<Map<String, String>> byMethod = Comparator.comparingInt(
                (Map<String, String> c) -> profile.methodRank(methodId(c, methodKeys)))
                .thenComparing(c -> methodId(c, methodKeys));
        Comparator<Map<String, String>> byHyper = (a, b) -> compareValues(a, b, hyperKeys);
        Comparator<Map<String, String>> order = bySetting.thenComparing(byMethod).thenComparing(byHyper);
        ordered.sort((a, b) -> order.compare(a.get(0).getValue(), b.get(0).getValue()));

        try (SweepLock lock = SweepLock.aggregate(sweepDir);
                StagedDirectory out = StagedDirectory.create(sweepDir.resolve(OUTPUT))) {
            Aggregate result = compute(directory, profile, metric, rule, window, settingKeys, methodKeys, hyperKeys,
                    ordered, options.curveMetrics(), out.path(), completed, failures);
            AggregateFiles.write(result, out.path());
            out.commit();
            return result;
        }
    }

    /** The points, their curves (written into {@code out}) and the selection, once the keys are known. */
    private static Aggregate compute(SweepDirectory directory, ProblemProfile profile, String metric,
            SelectionRule rule, int window, List<String> settingKeys, List<String> methodKeys, List<String> hyperKeys,
            List<List<Map.Entry<TrialRecord, Map<String, String>>>> ordered, List<String> curveOption, Path out,
            int completed, List<TrialRecord> failures) {
        Path sweepDir = directory.path();
        Path curvesDir = out.resolve(CURVES);
        try {
            Files.createDirectories(curvesDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + curvesDir + ": " + e.getMessage(), e);
        }
        List<String> curveMetrics = curveOption == null ? List.of(metric) : curveOption;
        List<String> writtenCurveMetrics = null;
        List<Point> points = new ArrayList<>();
        int index = 0;
        for (List<Map.Entry<TrialRecord, Map<String, String>>> group : ordered) {
            index++;
            String name = String.format(Locale.ROOT, "point-%03d", index);
            group.sort(Comparator.comparing(e -> e.getValue().getOrDefault("seed", ""), Aggregate::compareText));
            Map<String, String> config = new LinkedHashMap<>(group.get(0).getValue());
            config.remove("seed");
            List<Seed> seeds = new ArrayList<>();
            List<Seed> failed = new ArrayList<>();
            List<MetricsTable> tables = new ArrayList<>();
            for (Map.Entry<TrialRecord, Map<String, String>> e : group) {
                TrialRecord record = e.getKey();
                String dir = SweepDirectory.TRIALS + "/" + SweepDirectory.dirName(record.id());
                String seed = e.getValue().getOrDefault("seed", "");
                if (!record.completed()) {
                    failed.add(new Seed(record.id(), dir, seed, Double.NaN, record.error()));
                    continue;
                }
                Path metricsFile = directory.trialDir(record.id()).resolve(RunDirectory.METRICS_FILE);
                MetricsTable table = MetricsTable.read(metricsFile);
                if (table.column(metric) == null) {
                    throw new ExperimentInputException("--metric: no column '" + metric + "' in " + metricsFile
                            + " (columns: " + String.join(", ", table.columns()) + ")");
                }
                tables.add(table);
                seeds.add(new Seed(record.id(), dir, seed, rule.apply(table.column(metric), window), null));
            }
            List<MetricSummary> metrics = new ArrayList<>();
            String curveFile = null;
            if (!tables.isEmpty()) {
                for (String column : tables.get(0).columns()) {
                    if (column.equals(profile.xColumn())) {
                        continue;
                    }
                    double[] lw = new double[tables.size()];
                    double[] last = new double[tables.size()];
                    double[] all = new double[tables.size()];
                    for (int s = 0; s < tables.size(); s++) {
                        double[] v = tables.get(s).column(column);
                        lw[s] = v == null ? Double.NaN : SelectionRule.LAST_WINDOW_MEAN.apply(v, window);
                        last[s] = v == null ? Double.NaN : SelectionRule.FINAL.apply(v, window);
                        all[s] = v == null ? Double.NaN : SelectionRule.CURVE_MEAN.apply(v, window);
                    }
                    metrics.add(new MetricSummary(column, SampleStat.ofFinite(lw), SampleStat.ofFinite(last), SampleStat.ofFinite(all)));
                }
                List<String> cm = curveMetrics.isEmpty() ? metrics.stream().map(MetricSummary::metric).toList()
                        : curveMetrics;
                for (String m : cm) {
                    if (tables.get(0).column(m) == null) {
                        throw new ExperimentInputException("--curves: no column '" + m + "' in the metrics of "
                                + sweepDir + " (columns: " + String.join(", ", tables.get(0).columns()) + ")");
                    }
                }
                writtenCurveMetrics = cm;
                curveFile = OUTPUT + "/" + CURVES + "/" + name + ".csv";
                AtomicFiles.writeString(curvesDir.resolve(name + ".csv"), curveCsv(tables, profile.xColumn(), cm));
            }
            double[] scores = seeds.stream().mapToDouble(Seed::score).toArray();
            points.add(new Point(name, config, pick(config, settingKeys), methodId(config, methodKeys),
                    pick(config, hyperKeys), seeds, failed, metrics, SampleStat.ofFinite(scores), curveFile));
        }

        // The best point per setting and method.
        Map<String, List<Point>> bySettingMethod = new LinkedHashMap<>();
        for (Point p : points) {
            bySettingMethod.computeIfAbsent(p.setting() + "\u0000" + p.method(), k -> new ArrayList<>()).add(p);
        }
        List<String> selectedOver = new ArrayList<>();
        for (String k : hyperKeys) {
            for (List<Point> candidates : bySettingMethod.values()) {
                String first = candidates.get(0).hyper().get(k);
                if (candidates.stream().anyMatch(p -> !Objects.equals(p.hyper().get(k), first))) {
                    selectedOver.add(k);
                    break;
                }
            }
        }
        Map<String, Point> bestPoints = new LinkedHashMap<>();
        for (Map.Entry<String, List<Point>> e : bySettingMethod.entrySet()) {
            Point best = null;
            for (Point p : e.getValue()) {
                double s = p.score().mean();
                if (Double.isNaN(s)) {
                    continue;
                }
                if (best == null || (profile.maximize() ? s > best.score().mean() : s < best.score().mean())) {
                    best = p;
                }
            }
            bestPoints.put(e.getKey(), best);
        }
        Map<Map<String, String>, Map<String, Point>> bySetting = new LinkedHashMap<>();
        for (Map.Entry<String, List<Point>> e : bySettingMethod.entrySet()) {
            Point first = e.getValue().get(0);
            bySetting.computeIfAbsent(first.setting(), k -> new LinkedHashMap<>())
                    .put(first.method(), bestPoints.get(e.getKey()));
        }
        Map<Map<String, String>, BestVersusOthers> comparisons = new LinkedHashMap<>();
        bySetting.forEach((setting, best) -> comparisons.put(setting, BestVersusOthers.of(best, profile.maximize())));
        List<Selection> selected = new ArrayList<>();
        for (Map.Entry<String, List<Point>> e : bySettingMethod.entrySet()) {
            Point first = e.getValue().get(0);
            BestVersusOthers comparison = comparisons.get(first.setting());
            PaperValues.Value paper = profile.paper().lookup(first.setting(), first.method()).orElse(null);
            selected.add(new Selection(first.setting(), first.method(), bestPoints.get(e.getKey()),
                    e.getValue().size(), paper, comparison.best(), comparison.tests().get(first.method())));
        }
        return new Aggregate(sweepDir, profile, metric, rule, window, settingKeys, methodKeys, hyperKeys,
                selectedOver, writtenCurveMetrics == null ? List.of() : writtenCurveMetrics, points, selected,
                expectedTrials(sweepDir), completed, failures);
    }

    /** The method id of a config: the values of the method keys joined by {@code /}, or {@code -}. */
    static String methodId(Map<String, String> config, List<String> methodKeys) {
        if (methodKeys.isEmpty()) {
            return "-";
        }
        List<String> values = new ArrayList<>();
        for (String k : methodKeys) {
            values.add(config.getOrDefault(k, "null"));
        }
        return String.join("/", values);
    }

    /**
     * The header of the method column: the method keys joined by {@code /}. When {@code --by} made {@code method} a
     * setting key there is one method per setting, and the column is {@code method_group} so that no header is
     * written twice.
     *
     * @return e.g. {@code method}, {@code method/off_policy} or {@code method_group}
     */
    public String methodColumn() {
        if (!methodKeys.isEmpty()) {
            return String.join("/", methodKeys);
        }
        return settingKeys.contains("method") ? "method_group" : "method";
    }

    /** Every config value of a trial, flattened, as text. */
    static Map<String, String> readConfig(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Map<String, String> values = new LinkedHashMap<>();
            for (FlatYaml.Entry e : FlatYaml.parse(text, "config file " + file)) {
                values.put(e.key(), e.list() ? String.join(";", e.values()) : Objects.toString(e.scalar(), "null"));
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static int expectedTrials(Path sweepDir) {
        Path index = sweepDir.resolve(SweepDirectory.INDEX);
        try {
            return Files.isRegularFile(index) ? Math.max(0, Files.readAllLines(index).size() - 1) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String curveCsv(List<MetricsTable> tables, String xColumn, List<String> metrics) {
        int rows = 0;
        for (MetricsTable t : tables) {
            rows = Math.max(rows, t.rows());
        }
        StringBuilder csv = new StringBuilder(xColumn);
        for (String m : metrics) {
            csv.append(',').append(m).append("_mean,").append(m).append("_se");
        }
        csv.append(",n\n");
        double[] values = new double[tables.size()];
        for (int r = 0; r < rows; r++) {
            double x = Double.NaN;
            int n = 0;
            for (MetricsTable t : tables) {
                if (r < t.rows()) {
                    n++;
                    if (Double.isNaN(x)) {
                        double[] xs = t.column(xColumn);
                        x = xs == null ? r : xs[r];
                    }
                }
            }
            csv.append(cell(x));
            for (String m : metrics) {
                for (int s = 0; s < tables.size(); s++) {
                    double[] v = tables.get(s).column(m);
                    values[s] = v == null || r >= v.length ? Double.NaN : v[r];
                }
                SampleStat stat = SampleStat.ofFinite(values);
                csv.append(',').append(cell(stat.mean())).append(',').append(cell(stat.populationSe()));
            }
            csv.append(',').append(n).append('\n');
        }
        return csv.toString();
    }

    static String cell(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return DoubleText.format(v);
    }

    private static Map<String, String> pick(Map<String, String> config, List<String> keys) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : keys) {
            out.put(k, config.getOrDefault(k, "null"));
        }
        return out;
    }

    private static int compareValues(Map<String, String> a, Map<String, String> b, List<String> keys) {
        for (String k : keys) {
            int c = compareText(a.getOrDefault(k, ""), b.getOrDefault(k, ""));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Numbers as numbers (before any text), text as text. */
    static int compareText(String a, String b) {
        Double x = number(a);
        Double y = number(b);
        if (x != null && y != null) {
            int c = Double.compare(x, y);
            return c != 0 ? c : a.compareTo(b);
        }
        if (x != null) {
            return -1;
        }
        if (y != null) {
            return 1;
        }
        return a.compareTo(b);
    }

    private static Double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The settings in order, each with its selections in method order.
     *
     * @return setting → selections
     */
    public Map<Map<String, String>, List<Selection>> selectionsBySetting() {
        Map<Map<String, String>, List<Selection>> out = new LinkedHashMap<>();
        for (Selection s : selected) {
            out.computeIfAbsent(s.setting(), k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    /**
     * The methods that appear, in display order.
     *
     * @return method ids
     */
    public List<String> methods() {
        Set<String> seen = new LinkedHashSet<>();
        points.forEach(p -> seen.add(p.method()));
        List<String> list = new ArrayList<>(seen);
        list.sort(Comparator.comparingInt(profile::methodRank).thenComparing(Comparator.naturalOrder()));
        return list;
    }

    /** Points by name. */
    public Map<String, Point> pointsByName() {
        Map<String, Point> map = new TreeMap<>();
        points.forEach(p -> map.put(p.name(), p));
        return map;
    }
}
