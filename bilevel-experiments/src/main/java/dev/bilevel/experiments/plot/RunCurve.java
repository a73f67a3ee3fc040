package dev.bilevel.experiments.plot;

import dev.bilevel.experiments.run.MetricsTable;
import dev.bilevel.experiments.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The learning curve a run draws of itself when it ends, completed, diverged or interrupted: {@code curve.png} and
 * {@code curve.svg} in its directory, the leader objective of every iteration with its rolling mean over
 * {@link Curves#defaultWindow 1% of the run}, read back from {@code metrics.csv} (which it leaves as it is).
 */
public final class RunCurve {

    /** The file name of the figure, without extension. */
    public static final String BASE = "curve";
    /** The abscissa column. */
    public static final String X_COLUMN = "iteration";
    /** The column drawn. */
    public static final String METRIC = "leader_objective";

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
        return Plots.write(Plots.curveChart(title, X_COLUMN, "leader objective", List.of(curve),
                Curves.defaultWindow(table.rows())), runDir, BASE);
    }
}
