package dev.bilevel.cli;

import dev.bilevel.experiments.aggregate.Aggregate;
import dev.bilevel.experiments.aggregate.AggregateFiles;
import dev.bilevel.experiments.aggregate.SelectionRule;
import dev.bilevel.experiments.report.Report;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel aggregate DIR}: per grid point the mean ± SE over seeds of every metric, the best point
 * per method and setting, CSV and JSON tables, and the HTML report with figures.
 */
@Command(name = "aggregate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tables, selection and the report of a sweep directory.", "",
            "Groups the finished trials of DIR into grid points (equal configs but for the",
            "seed); per point computes the mean ± SE over seeds (SE = population std / √n, as",
            "the reference) of every metric: the last-window mean, the final value, the mean",
            "over all iterations and the curve. Per method and setting it selects the best",
            "point by a named rule, beside the paper's number where known, with the 95 %%",
            "confidence interval (Student t) of its mean and, per setting, a t-test of",
            "each method against the best (paired where all have the same seeds, else",
            "Welch; p-value and Hedges' g). Writes",
            "DIR/aggregate/{points.csv, selected.csv, aggregate.json, curves/} and the report",
            "DIR/report/index.html (one self-contained page) with figures/ (PNG and SVG).",
            "Defaults (metric, rule, window, setting keys) come from the problem's profile.",
            "A bad flag writes nothing; each folder is replaced whole, never mixed.",
            "Docs: docs/sweeps.md.", ""})
final class AggregateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A sweep output directory (bilevel sweep --out).")
    private Path dir;

    @Option(names = "--metric", paramLabel = "COLUMN",
            description = "The metrics.csv column to select by and report (default: the problem's objective).")
    private String metric;

    @Option(names = "--rule", paramLabel = "NAME",
            description = "Selection rule: last-window-mean (the reference's), final, curve-mean.")
    private String rule;

    @Option(names = "--window", paramLabel = "N",
            description = "Last-window length in iterations (default: the problem's, 1000 for FourRooms).")
    private Integer window;

    @Option(names = "--by", paramLabel = "KEY,…", split = ",",
            description = "Config keys that make a setting (a table row, a figure); the other varying keys "
                    + "are selected over (default: the problem's, reg_lambda,samples for FourRooms).")
    private List<String> by;

    @Option(names = "--curves", paramLabel = "COLUMN,…|all", split = ",",
            description = "Metrics whose curves to write to aggregate/curves/ (default: the objective).")
    private List<String> curves;

    @Option(names = "--rolling", paramLabel = "N",
            description = "Rolling mean of plotted curves over N iterations (default: the problem's; 1: none).")
    private Integer rolling;

    @Option(names = "--title", paramLabel = "TEXT", description = "Title of the report.")
    private String title;

    @Option(names = "--no-report", description = "Write the tables only.")
    private boolean noReport;

    @Override
    public Integer call() {
        Report.Options report = new Report.Options(title, rolling, null); // checked before anything is read
        Aggregate a = aggregate(dir, "DIR", metric, rule, window, by, curves);
        PrintWriter stdout = spec.commandLine().getOut();
        print(a, stdout);
        if (!noReport) {
            Path index = Report.write(a, report);
            stdout.println("wrote " + index);
        }
        stdout.flush();
        return 0;
    }

    static Aggregate aggregate(Path dir, String label, String metric, String rule, Integer window, List<String> by,
            List<String> curves) {
        List<String> curveMetrics = curves == null ? null
                : curves.size() == 1 && curves.get(0).equals("all") ? List.of() : curves;
        return Aggregate.compute(dir, label, new Aggregate.Options(metric,
                rule == null ? null : SelectionRule.parse(rule, "--rule"), window, by, curveMetrics));
    }

    static void print(Aggregate a, PrintWriter stdout) {
        stdout.println(a.profile().title() + ": " + a.metric() + ", " + a.rule().describe(a.window())
                + ", mean ± SE over seeds; best point per method and setting");
        stdout.println();
        stdout.print(AggregateFiles.markdown(a));
        stdout.println();
        stdout.println(a.completed() + " trials completed" + (a.expected() >= 0 ? " of " + a.expected() : "") + ", "
                + a.failures().size() + " failed; " + a.points().size() + " grid points");
        stdout.println("wrote " + a.directory().resolve(Aggregate.OUTPUT));
    }
}
