package dev.bilevel.cli;

import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.fourrooms.FourRoomsJob;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        description = {"Train a leader on a benchmark problem and write a run directory.", "",
            "Configuration: defaults < --config FILE < options < key=value overrides.",
            "The directory receives config.yaml (the full resolved config), metrics.csv",
            "(one row per iteration), summary.json and the final decision. The same",
            "config and seed give identical files.", "",
            "Problems: four-rooms. List every config key with --list-keys.", ""})
final class RunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "PROBLEM|KEY=VALUE", arity = "0..*",
            description = "The problem (four-rooms), then any key=value overrides.")
    private List<String> positionals = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config (shipped ones under configs/).")
    private Path config;

    @Option(names = "--method", paramLabel = "NAME",
            description = "bchg, hpgd-mc, hpgd-sarsa, hpgd-oracle, naive, sobirl, zero-order or exact.")
    private String method;

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
        if (problem != null && !problem.equals("four-rooms")) {
            throw new IllegalArgumentException("PROBLEM: unknown problem '" + problem + "', expected four-rooms");
        }
        ConfigSchema schema = FourRoomsJob.SCHEMA;
        PrintWriter stdout = spec.commandLine().getOut();
        if (listKeys) {
            stdout.print(schema.describe());
            stdout.flush();
            return 0;
        }
        Map<String, Object> cli = new LinkedHashMap<>();
        putIfGiven(cli, "method", method);
        putIfGiven(cli, "reg_lambda", regLambda);
        putIfGiven(cli, "samples", samples);
        putIfGiven(cli, "iterations", iterations);
        putIfGiven(cli, "seed", seed);
        putIfGiven(cli, "learning_rate", learningRate);
        putIfGiven(cli, "sarsa_alpha", sarsaAlpha);
        if (problem == null && config == null) {
            throw new IllegalArgumentException("PROBLEM: give a problem (four-rooms) or --config FILE");
        }
        ResolvedConfig resolved = FourRoomsJob.complete(schema.resolve(config, overrides, cli));
        Path dir = out != null ? out : Path.of("runs", resolved.string("problem"), String.format(Locale.ROOT,
                "%s-lambda%s-samples%d-seed%d", resolved.string("method"), resolved.real("reg_lambda"),
                resolved.integer("samples"), resolved.longInt("seed")));
        RunDirectory directory = RunDirectory.prepare(dir, "--out " + dir);
        Map<String, Object> summary = FourRoomsJob.run(resolved, directory,
                ProgressReporter.console(System.err));
        stdout.printf(Locale.ROOT, "four-rooms %s  λ = %s  samples = %d  seed = %d  learning rate = %s%n",
                resolved.string("method"), resolved.real("reg_lambda"), resolved.integer("samples"),
                resolved.longInt("seed"), resolved.optionalReal("learning_rate").getAsDouble());
        stdout.printf(Locale.ROOT, "leader objective V_UL(start): %.4f at the start, %.4f at the end, "
                + "%.4f mean over the last %s iterations%n", summary.get("leader_objective_initial"),
                summary.get("leader_objective_final"), summary.get("leader_objective_last_window"),
                summary.get("last_window"));
        stdout.println("wrote " + directory.path());
        return 0;
    }

    private static void putIfGiven(Map<String, Object> cli, String key, Object value) {
        if (value != null) {
            cli.put(key, value);
        }
    }
}
