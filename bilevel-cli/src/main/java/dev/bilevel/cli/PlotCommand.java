package dev.bilevel.cli;

import dev.bilevel.experiments.plot.Curves;
import dev.bilevel.experiments.plot.Palette;
import dev.bilevel.experiments.plot.Plots;
import dev.bilevel.experiments.plot.RunCurve;
import dev.bilevel.experiments.run.MetricsTable;
import dev.bilevel.experiments.run.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel plot RUN_DIR…}: the learning curves of several runs on one chart, PNG and SVG.
 */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Overlay the learning curves of run directories (bilevel run --out, or a",
            "sweep's trials/ID): one colour per run, each run's values per iteration drawn",
            "thin under their rolling mean. Writes FILE.png and FILE.svg. Bad input (a",
            "missing directory, no metrics.csv, an unknown --metric) writes nothing.", ""})
final class PlotCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "Run directories, each with a metrics.csv.")
    private List<Path> runs;

    @Option(names = "--out", paramLabel = "FILE.png", required = true,
            description = "The PNG to write; the SVG goes beside it (FILE.svg).")
    private Path out;

    @Option(names = "--label", paramLabel = "TEXT",
            description = "Legend entry of each run, in order, once per RUN_DIR (default: the directory's name).")
    private List<String> labels;

    @Option(names = "--metric", paramLabel = "COLUMN", defaultValue = RunCurve.METRIC,
            description = "The metrics.csv column to draw (default: ${DEFAULT-VALUE}).")
    private String metric;

    @Option(names = "--rolling", paramLabel = "N",
            description = "Rolling-mean window in iterations (default: 1%% of the longest run; 1: none).")
    private Integer rolling;

    @Option(names = "--title", paramLabel = "TEXT", description = "Chart title (default: the metric).")
    private String title;

    @Override
    public Integer call() {
        String file = out.getFileName() == null ? "" : out.getFileName().toString();
        if (!file.endsWith(".png") || file.length() == ".png".length()) {
            throw new IllegalArgumentException("--out: " + out + " must name a .png file");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new IllegalArgumentException("--out: directory " + parent + " does not exist");
        }
        if (labels != null && labels.size() != runs.size()) {
            throw new IllegalArgumentException("--label: " + labels.size() + " labels for " + runs.size() + " runs");
        }
        if (rolling != null && rolling < 1) {
            throw new IllegalArgumentException("--rolling: " + rolling + " must be ≥ 1");
        }
        List<Plots.Curve> curves = new ArrayList<>();
        int longest = 0;
        for (int i = 0; i < runs.size(); i++) {
            Path run = runs.get(i);
            MetricsTable table = read(run);
            double[] y = table.column(metric);
            if (y == null) {
                throw new IllegalArgumentException("--metric: " + run.resolve(RunDirectory.METRICS_FILE)
                        + " has no column '" + metric + "' (it has " + String.join(", ", table.columns()) + ")");
            }
            String label = labels != null ? labels.get(i) : name(run);
            curves.add(new Plots.Curve(label, Palette.ordinal(i), table.column(RunCurve.X_COLUMN), y));
            longest = Math.max(longest, table.rows());
        }
        int window = rolling != null ? rolling : Curves.defaultWindow(longest);
        String base = file.substring(0, file.length() - ".png".length());
        List<Path> written = Plots.write(Plots.curveChart(title != null ? title : metric, RunCurve.X_COLUMN, metric,
                curves, window), parent, base);
        PrintWriter stdout = spec.commandLine().getOut();
        written.forEach(p -> stdout.println("wrote " + p));
        stdout.flush();
        return 0;
    }

    /** A run's metrics, which must have an iteration column and a row. */
    private static MetricsTable read(Path run) {
        if (!Files.isDirectory(run)) {
            throw new IllegalArgumentException("RUN_DIR: " + run + " is not a directory");
        }
        Path metrics = run.resolve(RunDirectory.METRICS_FILE);
        if (!Files.isRegularFile(metrics)) {
            throw new IllegalArgumentException("RUN_DIR: " + run + " has no " + RunDirectory.METRICS_FILE);
        }
        MetricsTable table = MetricsTable.read(metrics);
        if (table.column(RunCurve.X_COLUMN) == null || table.rows() == 0) {
            throw new IllegalArgumentException("RUN_DIR: " + metrics + " has no " + RunCurve.X_COLUMN
                    + " column or no rows");
        }
        return table;
    }

    /** A run's default legend entry: its directory's name. */
    private static String name(Path run) {
        Path name = run.toAbsolutePath().normalize().getFileName();
        return name == null ? run.toString() : name.toString();
    }
}
