package dev.bilevel.cli;

import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.experiments.catalog.ExperimentJobs;
import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.job.Ending;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.job.InputFile;
import dev.bilevel.experiments.job.RunInterruptedException;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.Provenance;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.experiments.run.StagedRun;
import dev.bilevel.experiments.run.StopRequest;
import dev.bilevel.problems.json.ProblemFileException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel run}: one training run of a benchmark problem, from defaults, a YAML config, options
 * and {@code key=value} overrides (in increasing precedence), into a run directory.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a leader on a benchmark problem, or on a problem file of your own (--problem FILE.json),"
                + " and write a run directory.", "",
            "Configuration: defaults < --config FILE < options < key=value overrides.", "",
            "The directory receives config.yaml (the full resolved config), metrics.csv (one row per iteration),"
                + " summary.json (status and provenance), the final decision and the learning curve (curve.png,"
                + " curve.svg). The same config and seed give"
                + " identical files. A run is written to DIR.partial and renamed to DIR when it ends; Ctrl-C stops"
                + " it after the iteration in progress, and --resume DIR continues it.", "",
            "Problems: four-rooms, discrete-toy, thermal, thermal-random-search, lqr-game, guided (GuidedCartPole and"
                + " GuidedPendulum against a soft actor-critic follower); problem-file trains on"
                + " --problem FILE.json (docs/problem-files.md). List a problem's config keys with bilevel run"
                + " PROBLEM --list-keys.", ""})
final class RunCommand implements Callable<Integer> {

    /** Exit status of a run stopped by SIGINT or SIGTERM (128 + SIGINT, as shells report it). */
    static final int INTERRUPTED = 130;

    /** How long a signal waits for the run to record its stop before the JVM exits. */
    private static final long SIGNAL_GRACE_SECONDS = 30;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "PROBLEM|KEY=VALUE", arity = "0..*",
            description = "The problem (four-rooms, discrete-toy, thermal, thermal-random-search, lqr-game,"
                    + " guided, problem-file), then any key=value overrides.")
    private List<String> positionals = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config (shipped ones under configs/).")
    private Path config;

    @Option(names = "--problem", paramLabel = "FILE.json",
            description = "Train on a problem file of either kind (docs/problem-files.md): the problem-file job.")
    private Path problemFile;

    @Option(names = "--method", paramLabel = "NAME",
            description = "four-rooms: bchg, bchg-sr, hpgd-mc, hpgd-sarsa, hpgd-oracle, naive, sobirl, zero-order, exact;"
                    + " discrete-toy: bchg, naive, biac; thermal: bchg, naive, hpgd-mc, hpgd-td; lqr-game: bchg, naive;"
                    + " --problem: bchg, hpgd-mc, hpgd-sarsa, hpgd-oracle, naive, sobirl, zero-order, exact (Markov"
                    + " games: bchg, naive, zero-order, exact).")
    private String method;

    @Option(names = "--variant", paramLabel = "NAME", description = "discrete-toy: R1 or R2.")
    private String variant;

    @Option(names = "--off-policy", description = "discrete-toy and lqr-game: off-policy replay (naive, biac).")
    private boolean offPolicy;

    @Option(names = "--reg-lambda", paramLabel = "λ", description = "Follower temperature λ.")
    private Double regLambda;

    @Option(names = "--samples", paramLabel = "N", description = "Transitions sampled per outer iteration.")
    private Integer samples;

    @Option(names = "--iterations", paramLabel = "N", description = "Outer iterations.")
    private Integer iterations;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed.")
    private Long seed;

    @Option(names = "--learning-rate", paramLabel = "η", description = "SGD step (default: tuned per setting).")
    private Double learningRate;

    @Option(names = "--sarsa-alpha", paramLabel = "α", description = "SARSA step (default: tuned per setting).")
    private Double sarsaAlpha;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory (default: runs/PROBLEM/NAME-HASH, NAME from the method and main settings,"
                    + " HASH the first 8 hex digits of the resolved config's SHA-256). An existing non-empty directory"
                    + " is refused unless --overwrite or --resume is given.")
    private Path out;

    @Option(names = "--overwrite", description = "Replace an existing run directory (only once the new run ends).")
    private boolean overwrite;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the interrupted run in DIR (or DIR.partial, which a killed run leaves) with its own"
                    + " config: from its last checkpoint, the rows recorded after it reproduced and checked, then new"
                    + " rows appended, so the result is the uninterrupted run's. Takes no PROBLEM, options or"
                    + " overrides but --checkpoint-every and --stop-after.")
    private Path resume;

    @Option(names = "--checkpoint-every", paramLabel = "SECONDS", defaultValue = "60",
            description = "Write the run's whole state (leader, critic, optimiser, follower, replay buffers, random"
                    + " streams) to checkpoint.bin at most every SECONDS of wall time, and when the run is stopped;"
                    + " --resume then continues from it instead of reproducing every recorded row. 0 checkpoints"
                    + " after every iteration. Never changes a number (default: ${DEFAULT-VALUE}).")
    private long checkpointEvery;

    @Option(names = "--stop-after", paramLabel = "N",
            description = "Stop, as on Ctrl-C, once N iterations in all are done (a resumed run's included), with a"
                    + " checkpoint; continue later with --resume DIR.")
    private Long stopAfter;

    @Option(names = "--list-keys", description = "List every config key with its default and exit.")
    private boolean listKeys;

    @Override
    public Integer call() {
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("--checkpoint-every: must be ≥ 0 seconds, got " + checkpointEvery);
        }
        if (stopAfter != null && stopAfter < 1) {
            throw new IllegalArgumentException("--stop-after: must be ≥ 1 iteration, got " + stopAfter);
        }
        if (resume != null) {
            return resume();
        }
        String problem = null;
        List<String> overrides = new ArrayList<>();
        for (String p : positionals) {
            if (p.contains("=")) {
                overrides.add(p);
            } else if (problem == null) {
                problem = p;
            } else {
                throw new IllegalArgumentException("PROBLEM: more than one problem given ('" + problem + "', '" + p
                        + "')");
            }
        }
        if (problemFile != null) {
            if (problem != null && !problem.equals("problem-file")) {
                throw new IllegalArgumentException("--problem: trains on a problem file; it does not go with PROBLEM '"
                        + problem + "'");
            }
            problem = "problem-file";
        }
        Optional<String> configured = config == null ? Optional.empty() : ConfigSchema.peek(config, "problem");
        if (problem != null && configured.isPresent() && !configured.get().equals(problem)) {
            throw new IllegalArgumentException("--config " + config + ": a " + configured.get() + " config, but the"
                    + " command runs " + problem + "; give the config alone (bilevel run --config FILE) or one for "
                    + problem);
        }
        if (problem == null) {
            problem = configured.orElse(null);
        }
        if (problem == null) {
            throw new IllegalArgumentException("PROBLEM: give a problem (" + ExperimentJobs.names()
                    + ") or --config FILE");
        }
        ExperimentJob job = ExperimentJobs.forProblem(problem, "PROBLEM");
        ConfigSchema schema = job.schema();
        PrintWriter stdout = spec.commandLine().getOut();
        if (listKeys) {
            stdout.print(schema.describe());
            stdout.flush();
            return 0;
        }
        Map<String, Object> cli = new LinkedHashMap<>();
        putIfGiven(schema, cli, "--problem", "file", problemFile == null ? null : problemFile.toString());
        putIfGiven(schema, cli, "--method", "method", method);
        putIfGiven(schema, cli, "--variant", "variant", variant);
        putIfGiven(schema, cli, "--off-policy", "off_policy", offPolicy ? Boolean.TRUE : null);
        putIfGiven(schema, cli, "--reg-lambda", "reg_lambda", regLambda);
        putIfGiven(schema, cli, "--samples", "samples", samples);
        putIfGiven(schema, cli, "--iterations", "iterations", iterations);
        putIfGiven(schema, cli, "--seed", "seed", seed);
        putIfGiven(schema, cli, "--learning-rate", "learning_rate", learningRate);
        putIfGiven(schema, cli, "--sarsa-alpha", "sarsa_alpha", sarsaAlpha);
        ResolvedConfig resolved = job.complete(relativeToConfig(job, schema.resolve(config, overrides, cli),
                overrides, cli));
        if (!resolved.string("problem").equals(problem)) {
            throw new IllegalArgumentException("problem: the config says '" + resolved.string("problem")
                    + "' but the command names '" + problem + "'");
        }
        Path dir = out != null ? out
                : Path.of("runs", problem, job.runName(resolved) + "-" + resolved.stableHash().substring(0, 8));
        return execute(job, resolved, StagedRun.begin(dir, "--out " + dir, overwrite));
    }

    /** {@code --resume DIR}: the run's own config, into its own directory. */
    private int resume() {
        if (!positionals.isEmpty() || config != null || problemFile != null || method != null || variant != null
                || offPolicy || regLambda != null || samples != null || iterations != null || seed != null
                || learningRate != null || sarsaAlpha != null || out != null || overwrite || listKeys) {
            throw new IllegalArgumentException("--resume: continues a run with its own config and directory; give"
                    + " no PROBLEM, --config, options, overrides, --out or --overwrite with it");
        }
        StagedRun staged = StagedRun.resume(resume);
        Path recorded = staged.directory().path().resolve(RunDirectory.CONFIG_FILE);
        String problem = ConfigSchema.peek(recorded, "problem").orElseThrow(() -> new IllegalArgumentException(
                "--resume " + resume + ": " + recorded + " names no problem"));
        ExperimentJob job = ExperimentJobs.forProblem(problem, "--resume " + resume + ": problem");
        ResolvedConfig resolved = job.complete(job.schema().resolve(recorded, List.of(), Map.of()));
        return execute(job, resolved, staged);
    }

    /**
     * Runs the job into its staged directory and puts the directory in place when the run ends: completed,
     * diverged, or stopped by SIGINT/SIGTERM, which the run honours at the end of the iteration in progress.
     * Provenance goes into {@code summary.json}. Bad input found by the job removes a new run's directory.
     */
    private int execute(ExperimentJob job, ResolvedConfig resolved, StagedRun staged) {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        RunDirectory directory = staged.directory().withCheckpoints(Duration.ofSeconds(checkpointEvery));
        List<String> commandLine = new ArrayList<>(List.of("bilevel"));
        commandLine.addAll(spec.commandLine().getParseResult().originalArgs());
        Provenance provenance = Provenance.now(commandLine);
        StopRequest.clear();
        if (stopAfter != null) {
            StopRequest.after(stopAfter);
        }
        CountDownLatch ended = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            StopRequest.raise();
            try {
                if (!ended.await(SIGNAL_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    directory.mergeIntoSummary(Map.of("status", Ending.INTERRUPTED, "error",
                            "stopped by a signal before the run could record its summary"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bilevel-run-signal");
        Runtime.getRuntime().addShutdownHook(onSignal);
        Map<String, Object> summary;
        try {
            summary = job.run(resolved, directory, ProgressReporter.console(System.err));
        } catch (IllegalArgumentException | ExperimentInputException | ProblemFileException e) {
            staged.discard();
            throw e;
        } catch (ArithmeticException | RunInterruptedException e) {
            Path placed = close(staged, provenance);
            if (e instanceof RunInterruptedException) {
                stderr.println("run: " + e.getMessage() + "; continue it with: bilevel run --resume " + placed);
                return INTERRUPTED;
            }
            throw e;
        } catch (RuntimeException e) {
            staged.release(); // the run stays where it is, to be looked at or resumed
            throw e;
        } finally {
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns once it sees the run ended
            }
        }
        Path placed = close(staged, provenance);
        stdout.println(job.describe(resolved));
        job.closingLines(summary).forEach(stdout::println);
        if (summary.get("warnings") instanceof List<?> warnings) {
            warnings.forEach(w -> stderr.println("warning: " + w));
        }
        stdout.println("wrote " + placed);
        return 0;
    }

    /** Records the provenance and puts the run in place. */
    private static Path close(StagedRun staged, Provenance provenance) {
        staged.directory().mergeIntoSummary(Map.of("provenance", provenance.toMap(Instant.now())));
        return staged.commit();
    }

    /**
     * Input files (the problem file) that the config file names, relative to the config file's directory; those
     * given by an option or an override stay relative to the working directory.
     */
    private ResolvedConfig relativeToConfig(ExperimentJob job, ResolvedConfig resolved, List<String> overrides,
            Map<String, Object> cli) {
        if (config == null) {
            return resolved;
        }
        for (InputFile input : job.inputFiles()) {
            String key = input.pathKey();
            boolean overridden = cli.containsKey(key) || overrides.stream()
                    .anyMatch(o -> o.indexOf('=') > 0 && o.substring(0, o.indexOf('=')).strip().equals(key));
            if (!overridden) {
                Optional<String> written = ConfigSchema.peek(config, key);
                if (written.isPresent()) {
                    resolved = resolved.with(key, InputFile.resolve(written.get(),
                            config.toAbsolutePath().getParent(), key));
                }
            }
        }
        return resolved;
    }

    private static void putIfGiven(ConfigSchema schema, Map<String, Object> cli, String option, String key,
            Object value) {
        if (value == null) {
            return;
        }
        if (!schema.contains(key)) {
            throw new IllegalArgumentException(option + ": not an option of this problem (no config key '" + key
                    + "')");
        }
        cli.put(key, value);
    }
}
