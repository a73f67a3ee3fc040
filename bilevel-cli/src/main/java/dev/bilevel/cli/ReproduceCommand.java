package dev.bilevel.cli;

import dev.bilevel.experiments.aggregate.Aggregate;
import dev.bilevel.experiments.report.Report;
import dev.bilevel.experiments.sweep.ReproduceSpecs;
import dev.bilevel.experiments.sweep.Shard;
import dev.bilevel.experiments.sweep.Sweep;
import dev.bilevel.experiments.sweep.SweepSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel reproduce PROBLEM [--quick]}: a paper experiment through the sweep machinery, then its
 * tables and report; {@code bilevel reproduce --problem FILE.json}: the same for a problem file of the user's,
 * with every method that applies.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run one of the paper's experiments, or every method on a problem file of",
            "yours, and write its report.", "",
            "four-rooms: the 12 settings (λ × samples) × every method with the shipped",
            "configs/four-rooms/ files, 10 seeds, 10,000 iterations (run it from the",
            "repository root). --quick: BC-HG, HPGD (MC) and Naive-PGD at λ ∈ {0.001, 0.003,",
            "0.005} × {100, 400} samples, 3 seeds: minutes on a laptop.",
            "discrete-toy: R1 and R2 × the 5 shipped configs (BC-HG, Naive-PGD and Bi-AC,",
            "on/off-policy), 10 seeds (--quick: 3). lqr-game: the 3 shipped configs, 20",
            "seeds (--quick: 5). thermal: 4 methods and BC-HG with the model-based",
            "sensitivity (ours) × learning rate {0.1, 0.01, 0.001}, 10 seeds, 2,000",
            "iterations, default protocol (--quick: best rates, 3 seeds, 500 iterations).",
            "guided: GuidedCartPole-v1 against a learning SAC follower, no wind, random",
            "wind, BC-HG and Naive-PGD wind leaders, 10 seeds, 60 iterations (--quick: 2",
            "seeds, 30 iterations).",
            "Run from the repository root (configs/ paths).", "",
            "--problem FILE.json: a problem file of your own (docs/problem-files.md) with every",
            "method that applies to its kind (--methods to choose), each at the defaults of",
            "bilevel run --problem, over 10 seeds (--quick: 3; --seeds N). Default DIR:",
            "runs/reproduce/problem-file/NAME[-quick].", "",
            "It is an ordinary sweep (resumable: run it again to continue) followed by",
            "bilevel aggregate; the report is DIR/report/index.html.", ""},
        footer = {"", "Exit status: 0 success, 1 some trial failed, 2 bad input."})
final class ReproduceCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "PROBLEM", arity = "0..1",
            description = "The experiment: four-rooms, discrete-toy, lqr-game, thermal or guided; the"
                    + " sub-optimal-follower study: four-rooms-subopt or discrete-toy-subopt (or --problem).")
    private String problem;

    @Option(names = "--problem", paramLabel = "FILE.json",
            description = "Instead of PROBLEM: a problem file of your own, every method that applies to it.")
    private Path problemFile;

    @Option(names = "--seeds", paramLabel = "N",
            description = "--problem: seeds 0..N-1 (default: 10, --quick: 3).")
    private Integer seeds;

    @Option(names = "--methods", paramLabel = "M,…", split = ",",
            description = "--problem: these methods only (default: every one that applies to the file's kind).")
    private List<String> methods;

    @Option(names = "--quick", description = "Fewer seeds and settings: minutes instead of hours.")
    private boolean quick;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory (default: runs/reproduce/PROBLEM, or PROBLEM-quick; --problem: "
                    + "runs/reproduce/problem-file/NAME[-quick]).")
    private Path out;

    @Mixin
    private SweepCommand.Execution execution = new SweepCommand.Execution();

    @Option(names = "--rolling", paramLabel = "N",
            description = "Rolling mean of plotted curves (default: the problem's).")
    private Integer rolling;

    @Override
    public Integer call() throws InterruptedException {
        execution.validate();
        Report.Options report = new Report.Options(null, rolling, null); // checked before any trial runs
        SweepSpec sweep;
        Path dir;
        String what;
        if (problemFile != null) {
            if (problem != null) {
                throw new IllegalArgumentException("--problem: reproduces a problem file; it does not go with "
                        + "PROBLEM '" + problem + "'");
            }
            sweep = ReproduceSpecs.problemFile(problemFile, quick, seeds, methods);
            String name = problemFile.getFileName() == null ? "problem" : problemFile.getFileName().toString();
            String stem = name.endsWith(".json") && name.length() > 5 ? name.substring(0, name.length() - 5) : name;
            dir = out != null ? out : Path.of("runs", "reproduce", "problem-file", stem + (quick ? "-quick" : ""));
            what = "--problem " + name;
        } else {
            if (problem == null) {
                throw new IllegalArgumentException("PROBLEM: give an experiment (" + String.join(", ",
                        ReproduceSpecs.available()) + ") or --problem FILE.json");
            }
            if (seeds != null || methods != null) {
                throw new IllegalArgumentException((seeds != null ? "--seeds" : "--methods") + ": only with "
                        + "--problem FILE.json (the paper's experiments fix their seeds and methods)");
            }
            sweep = ReproduceSpecs.load(problem, quick, Path.of(""));
            dir = out != null ? out : Path.of("runs", "reproduce", problem + (quick ? "-quick" : ""));
            what = problem;
        }
        PrintWriter stdout = spec.commandLine().getOut();
        long start = System.nanoTime();
        Sweep.Result result = SweepCommand.run(sweep, dir, execution, stdout,
                spec.commandLine().getParseResult().originalArgs());
        Shard shard = execution.shard();
        if (shard.count() > 1) {
            stdout.println("shard " + shard + " done; when every shard has finished: bilevel aggregate " + dir);
            return result.allCompleted() ? 0 : Main.RUN_FAILED;
        }
        Optional<ReproduceSpecs.Study> study = problemFile == null ? ReproduceSpecs.study(problem) : Optional.empty();
        Aggregate a = AggregateCommand.aggregate(dir, "--out", study.map(ReproduceSpecs.Study::metric).orElse(null),
                null, null, study.map(ReproduceSpecs.Study::by).orElse(null), null);
        AggregateCommand.print(a, stdout);
        double minutes = (System.nanoTime() - start) / 60e9;
        String note = String.format(Locale.ROOT, "Made by bilevel reproduce %s%s: %d trials, %d run by this "
                + "invocation %s in %.1f minutes (%d were already finished).", what, quick ? " --quick" : "",
                result.trials(), result.ran(), execution.describe(), minutes, result.skipped());
        Path index = Report.write(a, new Report.Options(sweep.title(), report.rolling(), note));
        stdout.println("wrote " + index);
        stdout.flush();
        return result.allCompleted() ? 0 : Main.RUN_FAILED;
    }
}
