package dev.bilevel.experiments.plot;

import dev.bilevel.experiments.run.MetricsTable;
import dev.bilevel.experiments.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The learning curve a run draws of itself when it ends, completed, diverged or interrupted: {@code curve.png} and
 * {@code curve.svg} in its directory, the leader objective of every iteration with its rolling mean over
 * {@link Curves#defaultWindow 1% of the run}, read back from {@code metrics.csv} (which it leaves as it is). A run
 * that logged the accuracy diagnostic ({@value #COSINE}, and {@value #COSINE_CURRENT} for a suboptimal follower)
 * also draws {@code accuracy.png} and {@code accuracy.svg}: those cosines per iteration, with their rolling means.
 */
public final class RunCurve {

    /** The file name of the figure, without extension. */
    public static final String BASE = "curve";
    /** The abscissa column. */
    public static final String X_COLUMN = "iteration";
    /** The column drawn. */
    public static final String METRIC = "leader_objective";
    /** The file name of the accuracy figure, without extension. */
    public static final String ACCURACY_BASE = "accuracy";
    /** The estimate's cosine to the exact hypergradient (at the converged follower). */
    public static final String COSINE = "cosine_to_exact";
    /** The estimate's cosine to the exact hypergradient formula at the follower's current policy. */
    public static final String COSINE_CURRENT = "cosine_to_exact_current";

    private RunCurve() {
    }

    /**
     * Draws the curve of a run directory, if its {@code metrics.csv} has a finite leader objective to draw.
     *
     * @param runDir the run directory
     * @param title the chart title (what ran)
     * @return the files written: the PNG and the SVG, or none
     */
    public static List<Path> write(Path runDir, String title) {
        Path metrics = runDir.resolve(RunDirectory.METRICS_FILE);
        if (!Files.isRegularFile(metrics)) {
            return List.of();
        }
        MetricsTable table = MetricsTable.read(metrics);
        double[] x = table.column(X_COLUMN);
        double[] y = table.column(METRIC);
        if (x == null || y == null || Arrays.stream(y).noneMatch(Double::isFinite)) {
            return List.of();
        }
        Plots.Curve curve = new Plots.Curve("leader objective", Palette.ordinal(0), x, y);
        int window = Curves.defaultWindow(table.rows());
        List<Path> files = new ArrayList<>(Plots.write(Plots.curveChart(title, X_COLUMN, "leader objective",
                List.of(curve), window), runDir, BASE));
        List<Plots.Curve> cosines = new ArrayList<>();
        double[] converged = table.column(COSINE);
        if (converged != null && Arrays.stream(converged).anyMatch(Double::isFinite)) {
            cosines.add(new Plots.Curve("at the converged follower", Palette.ordinal(0), x, converged));
            double[] current = table.column(COSINE_CURRENT);
            if (current != null) {
                cosines.add(new Plots.Curve("at the follower's current policy", Palette.ordinal(1), x, current));
            }
            files.addAll(Plots.write(Plots.curveChart(title, X_COLUMN, "cosine of the estimate to the exact"
                    + " hypergradient", cosines, window), runDir, ACCURACY_BASE));
        }
        return files;
    }
}
