package dev.bilevel.cli;

import dev.bilevel.experiments.catalog.ExperimentJobs;
import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.job.InputFile;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
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
        description = {"Train a leader on a benchmark problem, or on a problem file of your own",
            "(--problem FILE.json), and write a run directory.", "",
            "Configuration: defaults < --config FILE < options < key=value overrides.",
            "The directory receives config.yaml (the full resolved config), metrics.csv",
            "(one row per iteration), summary.json and the final decision. The same",
            "config and seed give identical files.", "",
            "Problems: four-rooms, discrete-toy, thermal, thermal-random-search, lqr-game;",
            "problem-file trains on --problem FILE.json (docs/problem-files.md). List a",
            "problem's config keys with bilevel run PROBLEM --list-keys.", ""})
final class RunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "PROBLEM|KEY=VALUE", arity = "0..*",
            description = "The problem (four-rooms, discrete-toy, thermal, thermal-random-search, lqr-game,"
                    + " problem-file), then any key=value overrides.")
    private List<String> positionals = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config (shipped ones under configs/).")
    private Path config;

    @Option(names = "--problem", paramLabel = "FILE.json",
            description = "Train on a problem file of either kind (docs/problem-files.md): the problem-file job.")
    private Path problemFile;

    @Option(names = "--method", paramLabel = "NAME",
            description = {"four-rooms: bchg, bchg-sr, hpgd-mc, hpgd-sarsa, hpgd-oracle, naive, sobirl, zero-order,",
                "exact; discrete-toy: bchg, naive, biac; thermal: bchg, naive, hpgd-mc, hpgd-td; lqr-game: bchg,",
                "naive; --problem: bchg, hpgd-mc, hpgd-sarsa, hpgd-oracle, naive, sobirl, zero-order, exact",
                "(Markov games: bchg, naive, zero-order, exact)."})
    private String method;

    @Option(names = "--variant", paramLabel = "NAME", description = "discrete-toy: R1 or R2.")
    private String variant;

    @Option(names = "--off-policy", description = "discrete-toy: off-policy replay (naive, biac).")
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
            description = "Run directory (default: runs/PROBLEM/METHOD-lambda…-samples…-seed…).")
    private Path out;

    @Option(names = "--list-keys", description = "List every config key with its default and exit.")
    private boolean listKeys;

    @Override
    public Integer call() {
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
        if (problem == null && config != null) {
            problem = ConfigSchema.peek(config, "problem").orElse(null);
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
        Path dir = out != null ? out : Path.of("runs", problem, job.runName(resolved));
        RunDirectory directory = RunDirectory.prepare(dir, "--out " + dir);
        Map<String, Object> summary = job.run(resolved, directory, ProgressReporter.console(System.err));
        stdout.println(job.describe(resolved));
        stdout.printf(Locale.ROOT, "leader objective (%s): %.4f at the start, %.4f at the end, "
                + "%.4f mean over the last %s iterations%n", summary.get("leader_objective_meaning"),
                summary.get("leader_objective_initial"), summary.get("leader_objective_final"),
                summary.get("leader_objective_last_window"), summary.get("last_window"));
        stdout.println("wrote " + directory.path());
        return 0;
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
