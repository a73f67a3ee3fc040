package dev.bilevel.experiments.thermal;

import dev.bilevel.core.lqr.SoftLqr;
import dev.bilevel.core.lqr.SoftLqrSolution;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.job.Checkpointing;
import dev.bilevel.experiments.job.Ending;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.job.RunState;
import dev.bilevel.experiments.plot.Plots;
import dev.bilevel.experiments.run.AtomicFiles;
import dev.bilevel.experiments.run.MetricColumn;
import dev.bilevel.experiments.run.MetricsWriter;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.learn.follower.GaussianResponse;
import dev.bilevel.learn.follower.planning.SoftLqrFollower;
import dev.bilevel.learn.sampling.ContinuousBatch;
import dev.bilevel.learn.sampling.ContinuousSampler;
import dev.bilevel.problems.thermal.BuildingThermalControl;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The thermal random-search baseline (reference-configurable-mdp.md §5.3, {@code random_search_bilevel_lqr.ipynb}):
 * draw the 8 levels {@code (il, aa)} uniformly from {@code [0,1]⁸}, solve the follower's soft LQR for each, and
 * evaluate the leader's {@code γ_L}-discounted return on 50 Monte-Carlo episodes (5,000 steps), or in closed
 * form on the linear model. Writes one metrics row per draw and a 30-bin histogram ({@code histogram.png},
 * {@code histogram.svg}, {@code histogram.csv}) beside the reference's bin counts (mean ≈ −273).
 */
public final class ThermalRandomSearchJob implements ExperimentJob {

    /** The reference histogram's left edge. */
    static final double REFERENCE_LEFT = -640.9;
    /** The reference histogram's bin width (30 bins to ≈ −137). */
    static final double REFERENCE_WIDTH = (-136.9 - REFERENCE_LEFT) / 30.0;
    /** The reference histogram's bin counts (10,000 draws), read off the paper's figure. */
    static final int[] REFERENCE_COUNTS = {3, 1, 2, 2, 1, 2, 7, 10, 13, 15, 17, 36, 62, 76, 120, 175, 281, 351, 531,
        746, 944, 1123, 1328, 1319, 1178, 881, 513, 206, 50, 7};
    /** The reference histogram's mean. */
    static final double REFERENCE_MEAN = -273.0;

    /** Every key a random search accepts. */
    public static final ConfigSchema SCHEMA = ConfigSchema.builder()
            .choice("problem", "thermal-random-search", List.of("thermal-random-search"), "problem")
            .integer("draws", 10_000, 1, 100_000_000, "uniform draws of the 8 levels")
            .longInt("seed", 42L, "random seed (the notebook uses 42)")
            .choice("evaluation", "mc", List.of("mc", "exact"),
                    "mc: Monte-Carlo return over eval_episodes (the notebook); exact: closed form on the linear model")
            .integer("eval_episodes", 50, 1, 1_000_000, "Monte-Carlo episodes per draw (50 × 100 = 5,000 steps)")
            .integer("bins", 30, 1, 10_000, "histogram bins")
            .real("follower.tolerance", SoftLqr.DEFAULT_TOLERANCE, dev.bilevel.experiments.config.Bound.POSITIVE,
                    "Riccati tolerance")
            .integer("follower.max_iterations", SoftLqr.DEFAULT_MAX_ITERATIONS, 1, Integer.MAX_VALUE,
                    "Riccati iteration budget")
            .build();

    @Override
    public String problem() {
        return "thermal-random-search";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public ResolvedConfig complete(ResolvedConfig config) {
        return config;
    }

    @Override
    public String runName(ResolvedConfig config) {
        return String.format(Locale.ROOT, "%s-%d-draws-seed%d", config.string("evaluation"), config.integer("draws"),
                config.longInt("seed"));
    }

    @Override
    public String describe(ResolvedConfig config) {
        return String.format(Locale.ROOT, "thermal random search  draws = %d  evaluation = %s  seed = %d",
                config.integer("draws"), config.string("evaluation"), config.longInt("seed"));
    }

    @Override
    public Map<String, Object> run(ResolvedConfig config, RunDirectory directory, ProgressReporter progress) {
        BuildingThermalControl env = new BuildingThermalControl();
        int draws = config.integer("draws");
        boolean monteCarlo = config.string("evaluation").equals("mc");
        int episodes = config.integer("eval_episodes");
        SoftLqr solver = new SoftLqr(config.real("follower.tolerance"), config.integer("follower.max_iterations"));
        SplitMixRandom root = new SplitMixRandom(config.longInt("seed"));
        SplitMixRandom drawRng = root.split();
        SplitMixRandom evalRng = root.split();
        List<String> names = new ArrayList<>(List.of("iteration", "leader_objective", "exact_leader_return"));
        for (String c : env.leaderRewardComponents()) {
            names.add("return_UL_" + c);
        }
        names.addAll(List.of("lqr_iterations", "lqr_converged"));
        for (int i = 0; i < BuildingThermalControl.ZONES; i++) {
            names.add("insulation_" + i);
        }
        for (int i = 0; i < BuildingThermalControl.ZONES; i++) {
            names.add("airflow_" + i);
        }
        List<MetricColumn> columns = MetricColumn.of(names,
                name -> name.equals("iteration") || name.startsWith("lqr_"));
        Tally tally = new Tally(draws);
        int done = 0;
        Ending ending = Ending.completed();
        progress.start(describe(config), draws);
        MetricsWriter metrics = directory == null ? null : directory.openMetrics(columns);
        Checkpointing checkpoints = new Checkpointing(directory, metrics,
                new RunState(Stateful.of(), Stateful.of(tally, Stateful.streams(drawRng, evalRng))));
        try {
            if (directory != null) {
                directory.writeConfig(config);
                done = checkpoints.restore(draws, (k, row) -> { });
                progress.step(done);
            }
            int c = env.leaderRewardComponents().size();
            for (int k = done; k < draws; k++) {
                double[] il = new double[BuildingThermalControl.ZONES];
                double[] aa = new double[BuildingThermalControl.ZONES];
                for (int i = 0; i < il.length; i++) {
                    il[i] = drawRng.nextDouble();
                }
                for (int i = 0; i < aa.length; i++) {
                    aa[i] = drawRng.nextDouble();
                }
                BuildingThermalControl.Design design = env.configureLevels(il, aa);
                SoftLqrSolution solution = solver.solve(design.followerModel());
                double[] row = new double[names.size()];
                row[0] = k;
                double[] comps = new double[c];
                double objective;
                double exact;
                if (solution.status() == SoftLqrSolution.Status.DIVERGED) {
                    tally.diverged++;
                    objective = Double.NaN;
                    exact = Double.NaN;
                    Arrays.fill(comps, Double.NaN);
                } else {
                    if (!solution.converged()) {
                        tally.unconverged++;
                    }
                    exact = design.expectedLeaderReturn(solution, env.horizon(), monteCarlo ? null : comps);
                    if (monteCarlo) {
                        GaussianResponse response = SoftLqrFollower.response(solution, env.temperature(),
                                env.followerDiscount());
                        ContinuousBatch batch = ContinuousSampler.sample(env, design, response, episodes, evalRng,
                                false);
                        objective = batch.discountedLeaderReturn(env.leaderDiscount());
                        for (int j = 0; j < c; j++) {
                            comps[j] = batch.discountedComponent(j, env.leaderDiscount());
                        }
                    } else {
                        objective = exact;
                    }
                }
                tally.objectives[k] = objective;
                row[1] = objective;
                row[2] = exact;
                System.arraycopy(comps, 0, row, 3, c);
                row[3 + c] = solution.iterations();
                row[4 + c] = solution.converged() ? 1 : 0;
                System.arraycopy(il, 0, row, 5 + c, il.length);
                System.arraycopy(aa, 0, row, 5 + c + il.length, aa.length);
                checkpoints.prepare(k);
                if (metrics != null) {
                    metrics.row(row);
                }
                if (objective > tally.best) {
                    tally.best = objective;
                    tally.bestLevels = new double[8];
                    System.arraycopy(il, 0, tally.bestLevels, 0, 4);
                    System.arraycopy(aa, 0, tally.bestLevels, 4, 4);
                }
                if ((k + 1) % 100 == 0 || k + 1 == draws) {
                    progress.step(k + 1, String.format(Locale.ROOT, "best %.1f", tally.best));
                }
                done = k + 1;
                if (checkpoints.commit(k, draws)) {
                    progress.step(done);
                    ending = Ending.interrupted("interrupted after draw " + done + " of " + draws);
                    break;
                }
            }
        } finally {
            if (metrics != null) {
                metrics.close();
            }
            progress.close();
        }
        checkpoints.end(ending);
        double[] objectives = tally.objectives;
        double[] bestLevels = tally.bestLevels;
        int unconverged = tally.unconverged;
        int diverged = tally.diverged;
        double[] finite = Arrays.stream(objectives, 0, done).filter(Double::isFinite).sorted().toArray();
        Histogram histogram = Histogram.of(finite, config.integer("bins"));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("problem", problem());
        summary.put("evaluation", config.string("evaluation"));
        summary.put("seed", config.longInt("seed"));
        summary.put("draws", draws);
        summary.put("status", ending.status());
        if (!ending.isCompleted()) {
            summary.put("error", ending.message());
        }
        summary.put("leader_objective_meaning", monteCarlo
                ? "Monte-Carlo gamma_L-discounted leader return per episode over " + episodes + " episodes, per draw"
                : "closed-form expected gamma_L-discounted leader return on the linear model, per draw");
        double mean = mean(finite);
        summary.put("leader_objective_initial", done == 0 ? Double.NaN : objectives[0]);
        summary.put("leader_objective_final", done == 0 ? Double.NaN : objectives[done - 1]);
        summary.put("leader_objective_last_window", mean);
        summary.put("last_window", draws);
        summary.put("mean", mean);
        summary.put("std", std(finite, mean));
        summary.put("min", finite.length == 0 ? Double.NaN : finite[0]);
        summary.put("median", finite.length == 0 ? Double.NaN : finite[finite.length / 2]);
        summary.put("max", finite.length == 0 ? Double.NaN : finite[finite.length - 1]);
        summary.put("best_levels", bestLevels);
        summary.put("lqr_unconverged", unconverged);
        summary.put("lqr_diverged", diverged);
        summary.put("histogram_edges", histogram.edges());
        summary.put("histogram_counts", histogram.counts());
        summary.put("reference_mean", REFERENCE_MEAN);
        summary.put("reference_histogram_left", REFERENCE_LEFT);
        summary.put("reference_histogram_width", REFERENCE_WIDTH);
        summary.put("reference_histogram_counts", REFERENCE_COUNTS);
        if (directory != null) {
            writeHistogram(directory, histogram, mean, ending.isCompleted());
            directory.writeSummary(summary);
        }
        ending.rethrow();
        return summary;
    }

    /** The draws' mean beside the paper's, and the best, median and worst design. */
    @Override
    public List<String> closingLines(Map<String, Object> summary) {
        return List.of(String.format(Locale.ROOT, "random search over %s designs: mean %.2f (paper: %.0f), best %.2f,"
                + " median %.2f, worst %.2f", summary.get("draws"), summary.get("mean"), REFERENCE_MEAN,
                summary.get("max"), summary.get("median"), summary.get("min")));
    }

    /** Equal-width bins over {@code [min, max]} (matplotlib's default {@code hist} range). */
    record Histogram(double[] edges, int[] counts) {
        static Histogram of(double[] sorted, int bins) {
            double[] edges = new double[bins + 1];
            int[] counts = new int[bins];
            if (sorted.length == 0) {
                return new Histogram(edges, counts);
            }
            double lo = sorted[0];
            double hi = sorted[sorted.length - 1];
            double width = hi > lo ? (hi - lo) / bins : 1.0;
            for (int i = 0; i <= bins; i++) {
                edges[i] = lo + i * width;
            }
            for (double v : sorted) {
                int b = (int) ((v - lo) / width);
                counts[Math.min(Math.max(b, 0), bins - 1)]++;
            }
            return new Histogram(edges, counts);
        }
    }

    /**
     * Writes {@code histogram.csv} and, for a completed search, its figure (an interrupted one skips the figure:
     * the JVM is shutting down, and Java2D cannot start then).
     */
    private static void writeHistogram(RunDirectory directory, Histogram histogram, double mean, boolean figure) {
        StringBuilder csv = new StringBuilder("series,bin_left,bin_right,count\n");
        for (int i = 0; i < histogram.counts().length; i++) {
            csv.append(String.format(Locale.ROOT, "ours,%.6f,%.6f,%d%n", histogram.edges()[i],
                    histogram.edges()[i + 1], histogram.counts()[i]));
        }
        for (int i = 0; i < REFERENCE_COUNTS.length; i++) {
            csv.append(String.format(Locale.ROOT, "reference,%.6f,%.6f,%d%n", REFERENCE_LEFT + i * REFERENCE_WIDTH,
                    REFERENCE_LEFT + (i + 1) * REFERENCE_WIDTH, REFERENCE_COUNTS[i]));
        }
        AtomicFiles.write(directory.path().resolve("histogram.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        if (!figure) {
            return;
        }
        double[] refEdges = new double[REFERENCE_COUNTS.length + 1];
        for (int i = 0; i < refEdges.length; i++) {
            refEdges[i] = REFERENCE_LEFT + i * REFERENCE_WIDTH;
        }
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title("Thermal control: random search over [0,1]^8 (leader return per draw)")
                .xAxisTitle("discounted leader return (return_UL)").yAxisTitle("draws per bin").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW).setMarkerSize(0);
        addOutline(chart, String.format(Locale.ROOT, "ours (mean %.1f)", mean), histogram.edges(),
                histogram.counts(), new Color(31, 119, 180), false);
        addOutline(chart, String.format(Locale.ROOT, "reference (mean %.0f)", REFERENCE_MEAN), refEdges,
                REFERENCE_COUNTS, new Color(214, 39, 40), true);
        Plots.write(chart, directory.path(), "histogram");
    }

    private static void addOutline(XYChart chart, String name, double[] edges, int[] counts, Color colour,
            boolean dashed) {
        int bins = counts.length;
        double[] x = new double[2 * bins + 2];
        double[] y = new double[2 * bins + 2];
        x[0] = edges[0];
        y[0] = 0;
        for (int i = 0; i < bins; i++) {
            x[1 + 2 * i] = edges[i];
            y[1 + 2 * i] = counts[i];
            x[2 + 2 * i] = edges[i + 1];
            y[2 + 2 * i] = counts[i];
        }
        x[2 * bins + 1] = edges[bins];
        y[2 * bins + 1] = 0;
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(colour);
        series.setLineStyle(dashed ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
    }

    private static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v, double mean) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** What the search has found so far: every draw's objective, the best draw and the solver's failures. */
    private static final class Tally implements Stateful {

        final double[] objectives;
        int unconverged;
        int diverged;
        double best = Double.NEGATIVE_INFINITY;
        double[] bestLevels;

        Tally(int draws) {
            objectives = new double[draws];
        }

        @Override
        public void saveState(StateWriter out) {
            out.begin("random search").writeDoubles(objectives).writeInt(unconverged).writeInt(diverged)
                    .writeDouble(best).writeDoubles(bestLevels);
        }

        @Override
        public void restoreState(StateReader in) {
            in.begin("random search").readDoubles(objectives);
            unconverged = in.readInt();
            diverged = in.readInt();
            best = in.readDouble();
            bestLevels = in.readDoubles();
        }
    }
}
