package dev.bilevel.cli;

import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.experiments.sweep.LocalTrialExecutor;
import dev.bilevel.experiments.sweep.Shard;
import dev.bilevel.experiments.sweep.Sweep;
import dev.bilevel.experiments.sweep.SweepDirectory;
import dev.bilevel.experiments.sweep.SweepLock;
import dev.bilevel.experiments.sweep.SweepProgress;
import dev.bilevel.experiments.sweep.SweepSpec;
import dev.bilevel.experiments.sweep.TrialExecutor;
import dev.bilevel.experiments.sweep.TrialRecord;
import dev.bilevel.hazelcast.ClusterAccess;
import dev.bilevel.hazelcast.HazelcastTrialExecutor;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel sweep SPEC.yaml --out DIR}: every trial of a sweep spec, resumably, on local threads
 * or a Hazelcast cluster, optionally one shard of it.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run every trial of a sweep spec into an output directory, resumably.", "",
            "The spec is a YAML config in which any key may be a list (a grid axis), plus",
            "seeds: (a count N for 0..N-1, or a list), optionally configs: (base config files",
            "or globs, relative to the spec) and title:. A problem-file spec's file: is",
            "relative to the spec too (docs/problem-files.md). Each trial is the run of one",
            "resolved config and seed; its id is the hash of that config. Finished trials are skipped,",
            "so a sweep stopped at any moment (even by kill -9) continues when run again, with",
            "the same results. A failing trial is recorded with its error (retried with",
            "--retry-failed) and does not stop the others.", "",
            "A second sweep on the same DIR (or the same shard of it) waits for the first;",
            "a different spec is refused unless it only adds axis values or seeds; a grid",
            "of more than 100,000 trials is refused.", "",
            "DIR gets sweep.yaml, trials.csv (every trial) and trials/ID/ per finished trial",
            "(config.yaml, metrics.csv, summary.json, ..., trial.json). Then: bilevel aggregate DIR.",
            "Docs: docs/sweeps.md.", ""},
        footer = {"", "Exit status: 0 every trial completed, 1 some trial failed, 2 bad input."})
final class SweepCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "SPEC.yaml", description = "The sweep spec.")
    private Path specFile;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory (created if needed).")
    private Path out;

    @Mixin
    private Execution execution = new Execution();

    @Option(names = "--list", description = "List the trials (id, grid values, finished or not) and exit.")
    private boolean list;

    /** Options shared by {@code sweep} and {@code reproduce}: where and which trials run. */
    static final class Execution {

        @Option(names = "--threads", paramLabel = "N",
                description = "Trials at once with the local executor (default: one per processor).")
        Integer threads;

        @Option(names = "--shard", paramLabel = "i/n",
                description = "Run only the i-th of n deterministic parts (1 ≤ i ≤ n), e.g. for job arrays.")
        String shard;

        @Option(names = "--executor", paramLabel = "local|hazelcast", defaultValue = "local",
                description = "Where trials run: threads here, or the workers of a Hazelcast cluster "
                        + "(bilevel worker) (default: ${DEFAULT-VALUE}).")
        String executor;

        @Option(names = "--join", paramLabel = "HOST:PORT,…", split = ",",
                description = "--executor hazelcast: workers to contact (one reachable worker is enough).")
        List<String> join;

        @Option(names = "--bind", paramLabel = "ADDRESS",
                description = "--executor hazelcast: address of this machine the driver listens on, for the workers "
                        + "(default: loopback); another needs the cluster secret.")
        String bind;

        @Option(names = "--secret-file", paramLabel = "FILE",
                description = "--executor hazelcast: file holding the cluster secret that signs tasks and checks "
                        + "outcomes (default: $" + ClusterAccess.SECRET_VARIABLE + " if set).")
        Path secretFile;

        /** The sweep's input directory: workers run no trial reading files outside it (sweep: the spec's). */
        Path inputDirectory = Path.of("");

        /** The driver's address and secret, read by {@link #validate} for {@code --executor hazelcast}. */
        private ClusterAccess access;

        @Option(names = "--retry-failed", description = "Run failed trials again (by default they are kept).")
        boolean retryFailed;

        Shard shard() {
            return shard == null ? Shard.ALL : Shard.parse(shard, "--shard");
        }

        /** Checks the options before anything runs. */
        void validate() {
            shard();
            switch (executor) {
                case "local" -> {
                    String clusterOnly = join != null ? "--join" : bind != null ? "--bind"
                            : secretFile != null ? "--secret-file" : null;
                    if (clusterOnly != null) {
                        throw new ExperimentInputException(clusterOnly + ": only with --executor hazelcast");
                    }
                    if (threads != null && threads < 1) {
                        throw new ExperimentInputException("--threads: " + threads + " must be ≥ 1");
                    }
                }
                case "hazelcast" -> {
                    if (join == null || join.isEmpty()) {
                        throw new ExperimentInputException("--join: required with --executor hazelcast "
                                + "(host:port of a bilevel worker)");
                    }
                    if (threads != null) {
                        throw new ExperimentInputException("--threads: only with --executor local "
                                + "(each worker chooses its own with bilevel worker --threads)");
                    }
                    join = HazelcastTrialExecutor.checkJoin(join);
                    access = ClusterAccess.of(bind, secretFile, System.getenv());
                }
                default -> throw new ExperimentInputException("--executor: unknown executor '" + executor
                        + "', expected local or hazelcast");
            }
        }

        TrialExecutor create(SweepProgress progress) {
            if (executor.equals("hazelcast")) {
                access.networkWarning(0).ifPresent(System.err::println);
                return HazelcastTrialExecutor.connect(join, access, inputDirectory,
                        HazelcastTrialExecutor.DEFAULT_MEMBER_WAIT, System.err);
            }
            return new LocalTrialExecutor(threads != null ? threads : LocalTrialExecutor.defaultThreads(),
                    progress::trialProgress);
        }

        String describe() {
            return executor.equals("hazelcast") ? "on the cluster at " + String.join(",", join)
                    : "on " + (threads != null ? threads : LocalTrialExecutor.defaultThreads()) + " threads";
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        execution.validate();
        execution.inputDirectory = specFile.toAbsolutePath().getParent();
        SweepSpec sweep = SweepSpec.read(specFile);
        PrintWriter stdout = spec.commandLine().getOut();
        if (list) {
            Shard shard = execution.shard();
            Map<String, TrialRecord> finished = Map.of();
            if (Files.isDirectory(out.resolve(SweepDirectory.TRIALS))) {
                SweepDirectory existing = SweepDirectory.existing(out, "--out");
                Sweep.checkInputFiles(sweep, existing);
                finished = existing.scan();
            }
            for (SweepSpec.Trial t : shard.select(sweep.trials())) {
                TrialRecord r = finished.get(t.dirName());
                stdout.println(t.dirName() + "  " + (r == null ? "to run   " : r.completed() ? "completed" : "failed   ")
                        + "  " + t.label());
            }
            return 0;
        }
        Sweep.Result result = run(sweep, out, execution, stdout, spec.commandLine().getParseResult().originalArgs());
        return result.allCompleted() ? 0 : Main.RUN_FAILED;
    }

    /**
     * Runs a sweep into {@code out} and prints what happened: the plan on stderr, the outcome on stdout.
     * The command line goes into each trial's provenance.
     */
    static Sweep.Result run(SweepSpec sweep, Path out, Execution execution, PrintWriter stdout,
            List<String> commandLine) throws InterruptedException {
        SweepDirectory directory = SweepDirectory.open(out, "--out");
        Shard shard = execution.shard();
        Sweep.Result result;
        // The lock and the directory's checks come before the plan line: a refusal is the only line.
        try (SweepLock lock = Sweep.lock(sweep, directory, shard,
                waiting -> System.err.println("sweep: " + waiting))) {
            SweepProgress progress = SweepProgress.console(System.err);
            int mine = shard.select(sweep.trials()).size();
            System.err.println("sweep: " + sweep.problem() + ", " + sweep.trials().size() + " trials"
                    + (shard.count() > 1 ? " (shard " + shard + ": " + mine + ")" : "")
                    + (sweep.duplicates() > 0 ? " (" + sweep.duplicates() + " duplicate grid points run once)" : "")
                    + " " + execution.describe() + " -> " + out);
            try (TrialExecutor executor = execution.create(progress)) {
                result = Sweep.run(sweep, directory, lock, executor, execution.retryFailed, progress, commandLine);
            }
        }
        stdout.printf(Locale.ROOT, "sweep: %d trials%s: %d run now in %.1fs, %d already finished; "
                + "%d completed, %d failed%n", result.trials(), shard.count() > 1 ? " (shard " + shard + ")" : "",
                result.ran(), result.seconds(), result.skipped(), result.completed(), result.failures().size());
        int shown = 0;
        for (TrialRecord f : result.failures()) {
            if (shown++ == 10) {
                stdout.println("  … and " + (result.failures().size() - 10) + " more (see trials/*/trial.json)");
                break;
            }
            stdout.println("  failed: " + f.label() + ": " + f.error());
        }
        stdout.println("wrote " + out);
        stdout.flush();
        return result;
    }
}
