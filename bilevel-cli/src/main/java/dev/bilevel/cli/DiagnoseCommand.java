package dev.bilevel.cli;

import dev.bilevel.experiments.diagnose.DiagnosticProblem;
import dev.bilevel.experiments.diagnose.DiagnosticsFiles;
import dev.bilevel.experiments.diagnose.DimensionScaling;
import dev.bilevel.experiments.diagnose.EstimatorDiagnostics;
import dev.bilevel.experiments.diagnose.ObservedAccess;
import dev.bilevel.experiments.method.TabularEstimators;
import dev.bilevel.experiments.run.AtomicFiles;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.problems.fourrooms.FourRooms;
import dev.bilevel.problems.json.ConfigurableMdpProblem;
import dev.bilevel.problems.json.ProblemFiles;
import dev.bilevel.problems.json.TabularProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel diagnose}: hypergradient estimators against the exact hypergradient (cosine, relative
 * error, bias, variance, time per sample budget), or with {@code --scaling} how cost and accuracy change
 * with the leader's dimension. Tables on stdout; CSV, markdown and PNG/SVG plots in {@code --out}.
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare hypergradient estimators with the exact hypergradient.", "",
            "On a configurable-MDP problem file (--problem) or FourRooms (--four-rooms), the",
            "follower is solved exactly at the decision (the file's parameters0; x = 0 for",
            "FourRooms, planning model) and each estimator makes --repeats independent",
            "estimates per budget in --episodes from episodes of at most --horizon steps.",
            "Reported per (estimator, budget): cosine similarity and relative error ‖ĝ−g‖/‖g‖",
            "(mean ± SE), bias ‖mean ĝ − g‖/‖g‖, total variance tr Σ/‖g‖² and wall time.",
            "zero-order's budget is its number of random directions (2 exact solves each).",
            "Writes diagnostics.csv, diagnostics.md, cosine.png/svg and relative_error.png/svg.", "",
            "--scaling instead runs the dimension study: FourRooms corridors (d = 5) and all",
            "cells (d = 105), and random MDPs (30 states, 4 actions) with d in --dimensions,",
            "at one budget; it reports time per estimate, per sample (total and marginal),",
            "the exact hypergradient's time and the cosine. Writes scaling.csv, scaling.md,",
            "time_per_sample.png/svg and scaling_cosine.png/svg.", "",
            "--observed instead measures what observed-only access costs (follower.access:",
            "observed): on the same batches, each estimator's cosine to the exact hypergradient",
            "with the follower's true response and with the response fitted to the batch",
            "(π̂ from its actions, V̂ by soft TD), against --transitions. Default problems:",
            "--random-problems random MDPs (30 states, 4 actions, d = 10, discounts 0.9,",
            "λ = 0.1 or --reg-lambda), written to DIR/problems/ as problem files; or --problem",
            "or --four-rooms.",
            "Writes observed.csv, observed.md and observed_cosine.png/svg.", "",
            "Same seed, same numbers (timings aside). Docs: docs/diagnostics.md.", ""})
final class DiagnoseCommand implements Callable<Integer> {

    private static final String DEFAULT_ESTIMATORS = "bchg,hpgd-mc,naive,zero-order";
    private static final String DEFAULT_EPISODES = "100,300,1000,3000";
    private static final int DEFAULT_REPEATS = 10;

    @Spec
    private CommandSpec spec;

    @Option(names = "--problem", paramLabel = "FILE.json",
            description = "A configurable-MDP problem file (format: docs/problem-files.md).")
    private Path problem;

    @Option(names = "--four-rooms", description = "FourRooms (paper constants) at x = 0 instead of a file.")
    private boolean fourRooms;

    @Option(names = "--reg-lambda", paramLabel = "λ", defaultValue = "0.003",
            description = "FourRooms follower temperature (default: ${DEFAULT-VALUE}); with --observed, the random "
                    + "problems' (default there: 0.1).")
    private double regLambda;

    @Option(names = "--coordinates", paramLabel = "all|corridors", defaultValue = "all",
            description = "FourRooms incentive cells: all (d = 105) or corridors (d = 5) (default: ${DEFAULT-VALUE}).")
    private String coordinates;

    @Option(names = "--estimators", paramLabel = "LIST",
            description = "Comma-separated: bchg, hpgd-mc, hpgd-sarsa, naive, sobirl, zero-order, exact "
                    + "(default: " + DEFAULT_ESTIMATORS + "; bchg with --scaling).")
    private String estimators;

    @Option(names = "--episodes", paramLabel = "LIST",
            description = "Sample budgets, episodes per estimate (default: " + DEFAULT_EPISODES
                    + "; one budget, default 1000, with --scaling).")
    private String episodes;

    @Option(names = "--repeats", paramLabel = "N",
            description = "Independent estimates per estimator and budget (default: " + DEFAULT_REPEATS + ").")
    private int repeats = DEFAULT_REPEATS;

    @Option(names = "--horizon", paramLabel = "H", defaultValue = "200",
            description = "Episode length cap (default: ${DEFAULT-VALUE}).")
    private int horizon;

    @Option(names = "--critic", paramLabel = "exact|sarsa", defaultValue = "exact",
            description = "Leader critic of bchg and hpgd-sarsa (default: ${DEFAULT-VALUE}). exact uses the model's Q_L, "
                    + "so the table isolates Monte-Carlo error; sarsa learns Q_L from the same episodes (from 0), as "
                    + "a decentralized leader would.")
    private String critic;

    @Option(names = "--sarsa-alpha", paramLabel = "α", defaultValue = "0.1",
            description = "SARSA step for --critic sarsa (default: ${DEFAULT-VALUE}).")
    private double sarsaAlpha;

    @Option(names = "--perturbation", paramLabel = "C", defaultValue = "0.1",
            description = "zero-order perturbation radius (default: ${DEFAULT-VALUE}).")
    private double perturbation;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--scaling", description = "Run the dimension-scaling study instead.")
    private boolean scaling;

    @Option(names = "--dimensions", paramLabel = "LIST", defaultValue = "10,100,1000,10000",
            description = "--scaling: d of the random problems (default: ${DEFAULT-VALUE}).")
    private String dimensions;

    @Option(names = "--observed", description = "Run the observed-access study instead.")
    private boolean observed;

    @Option(names = "--transitions", paramLabel = "LIST", defaultValue = "1000,3000,10000,30000,100000",
            description = "--observed: observed transitions per estimate (default: ${DEFAULT-VALUE}).")
    private String transitions;

    @Option(names = "--random-problems", paramLabel = "N", defaultValue = "5",
            description = "--observed: random problems, seeds S … S+N−1 (default: ${DEFAULT-VALUE}).")
    private int randomProblems;

    @Option(names = "--pseudo-count", paramLabel = "C", defaultValue = "0.1",
            description = "--observed: the fit's pseudo-count per action (default: ${DEFAULT-VALUE}).")
    private double pseudoCount;

    @Option(names = "--value-td-step", paramLabel = "β", defaultValue = "0.1",
            description = "--observed: the fit's soft TD step (default: ${DEFAULT-VALUE}).")
    private double valueTdStep;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory (default: runs/diagnose/PROBLEM-seedS, or runs/diagnose/scaling-seedS).")
    private Path out;

    @Override
    public Integer call() {
        List<TabularEstimators.Kind> kinds = estimators(estimators == null
                ? (scaling ? "bchg" : DEFAULT_ESTIMATORS) : estimators);
        List<Integer> budgets = positiveIntegers(episodes == null ? (scaling ? "1000" : DEFAULT_EPISODES) : episodes,
                "--episodes");
        int n = repeats;
        if (n < 1) {
            throw new IllegalArgumentException("--repeats: " + n + " must be ≥ 1");
        }
        if (horizon < 1) {
            throw new IllegalArgumentException("--horizon: " + horizon + " must be ≥ 1");
        }
        boolean exactCritic = switch (critic) {
            case "exact" -> true;
            case "sarsa" -> false;
            default -> throw new IllegalArgumentException("--critic: unknown critic '" + critic
                    + "', expected exact or sarsa");
        };
        if (!(sarsaAlpha > 0.0 && sarsaAlpha <= 1.0)) {
            throw new IllegalArgumentException("--sarsa-alpha: " + sarsaAlpha + " must be in (0, 1]");
        }
        if (!(perturbation > 0.0) || Double.isInfinite(perturbation)) {
            throw new IllegalArgumentException("--perturbation: " + perturbation + " must be a finite number > 0");
        }
        if (!(regLambda > 0.0) || Double.isInfinite(regLambda)) {
            throw new IllegalArgumentException("--reg-lambda: " + regLambda + " must be a finite number > 0");
        }
        FourRooms.Coordinates cells = switch (coordinates) {
            case "all" -> FourRooms.Coordinates.ALL;
            case "corridors" -> FourRooms.Coordinates.CORRIDORS;
            default -> throw new IllegalArgumentException("--coordinates: unknown value '" + coordinates
                    + "', expected all or corridors");
        };
        PrintWriter stdout = spec.commandLine().getOut();
        if (!observed) {
            for (String option : List.of("--transitions", "--random-problems", "--pseudo-count", "--value-td-step")) {
                rejectIfGiven(option, "only used with --observed");
            }
        } else {
            return observed(kinds, n, exactCritic, cells, stdout);
        }
        if (!scaling) {
            rejectIfGiven("--dimensions", "only used with --scaling");
        }
        if (scaling || problem != null) {
            rejectIfGiven("--coordinates", "only used with --four-rooms");
        }
        if (problem != null) {
            rejectIfGiven("--reg-lambda", "only used with --four-rooms or --scaling");
        }
        if (scaling) {
            if (problem != null || fourRooms) {
                throw new IllegalArgumentException((problem != null ? "--problem" : "--four-rooms")
                        + ": not used with --scaling, which runs its own problems");
            }
            if (budgets.size() != 1) {
                throw new IllegalArgumentException("--episodes: --scaling takes one budget, got " + budgets);
            }
            List<Integer> ds = positiveIntegers(dimensions, "--dimensions");
            DimensionScaling.Settings defaults = DimensionScaling.Settings.defaults();
            DimensionScaling.Settings settings = new DimensionScaling.Settings(kinds, budgets.get(0), n, horizon,
                    exactCritic, sarsaAlpha, perturbation, seed, true, regLambda, ds, defaults.states(),
                    defaults.actions(), defaults.discount(), defaults.temperature());
            RunDirectory dir = RunDirectory.prepare(out != null ? out
                    : Path.of("runs", "diagnose", "scaling-seed" + seed), "--out");
            List<DimensionScaling.Row> rows;
            try (ProgressReporter progress = ProgressReporter.console(System.err)) {
                rows = DimensionScaling.run(settings, progress);
            }
            DiagnosticsFiles.writeScaling(rows, dir.path());
            stdout.print(DiagnosticsFiles.scalingMarkdown(rows));
            stdout.println();
            stdout.println("wrote " + dir.path());
            return 0;
        }
        DiagnosticProblem target = problem(cells);
        EstimatorDiagnostics.Settings settings = new EstimatorDiagnostics.Settings(kinds, budgets, n, horizon,
                exactCritic, sarsaAlpha, perturbation, seed);
        RunDirectory dir = RunDirectory.prepare(out != null ? out
                : Path.of("runs", "diagnose", target.name() + "-seed" + seed), "--out");
        EstimatorDiagnostics.Report report;
        try (ProgressReporter progress = ProgressReporter.console(System.err)) {
            report = EstimatorDiagnostics.run(target, settings, progress);
        }
        DiagnosticsFiles.write(report, dir.path());
        stdout.print(DiagnosticsFiles.markdown(report));
        stdout.println();
        stdout.println("wrote " + dir.path());
        return 0;
    }

    private int observed(List<TabularEstimators.Kind> kinds, int n, boolean exactCritic, FourRooms.Coordinates cells,
            PrintWriter stdout) {
        if (scaling) {
            throw new IllegalArgumentException("--observed: not used with --scaling");
        }
        rejectIfGiven("--episodes", "--observed takes --transitions");
        rejectIfGiven("--perturbation", "--observed runs no zero-order estimator");
        rejectIfGiven("--dimensions", "only used with --scaling");
        List<TabularEstimators.Kind> chosen = estimators == null
                ? ObservedAccess.Settings.defaults().estimators() : kinds;
        ObservedAccess.Settings settings = new ObservedAccess.Settings(chosen, positiveIntegers(transitions,
                "--transitions"), n, horizon, exactCritic, sarsaAlpha, pseudoCount, valueTdStep, seed);
        List<DiagnosticProblem> problems = new ArrayList<>();
        List<ConfigurableMdpProblem> generated = List.of();
        String name;
        if (problem != null || fourRooms) {
            rejectIfGiven("--random-problems", "only used without --problem and --four-rooms");
            if (problem != null) {
                rejectIfGiven("--reg-lambda", "only used with --four-rooms or random problems");
            }
            DiagnosticProblem target = problem(cells);
            problems.add(target);
            name = target.name();
        } else {
            if (randomProblems < 1) {
                throw new IllegalArgumentException("--random-problems: " + randomProblems + " must be ≥ 1");
            }
            double temperature = spec.commandLine().getParseResult().hasMatchedOption("--reg-lambda") ? regLambda
                    : 0.1;
            generated = ObservedAccess.randomProblems(randomProblems, seed, 30, 4, 10, 0.9, temperature);
            for (int i = 0; i < generated.size(); i++) {
                problems.add(DiagnosticProblem.of("random-" + (seed + i), generated.get(i)));
            }
            name = "random";
        }
        RunDirectory dir = RunDirectory.prepare(out != null ? out
                : Path.of("runs", "diagnose", "observed-" + name + "-seed" + seed), "--out");
        List<ObservedAccess.Row> rows;
        try (ProgressReporter progress = ProgressReporter.console(System.err)) {
            rows = ObservedAccess.run(problems, settings, progress);
        }
        for (int i = 0; i < generated.size(); i++) {
            Path file = dir.path().resolve("problems").resolve(problems.get(i).name() + ".json");
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + file.getParent(), e);
            }
            AtomicFiles.writeString(file, ProblemFiles.write(generated.get(i)));
        }
        DiagnosticsFiles.writeObserved(rows, settings, dir.path());
        stdout.print(DiagnosticsFiles.observedMarkdown(rows, settings));
        stdout.println();
        stdout.println("wrote " + dir.path());
        return 0;
    }

    private void rejectIfGiven(String option, String why) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
            throw new IllegalArgumentException(option + ": " + why);
        }
    }

    private DiagnosticProblem problem(FourRooms.Coordinates cells) {
        if ((problem == null) == !fourRooms) {
            throw new IllegalArgumentException("--problem, --four-rooms: give exactly one of them");
        }
        if (fourRooms) {
            return DiagnosticProblem.fourRooms(regLambda, cells);
        }
        TabularProblem parsed = ProblemFiles.read(problem);
        if (!(parsed instanceof ConfigurableMdpProblem cmdp)) {
            throw new IllegalArgumentException("--problem: diagnose supports configurable-mdp problems; " + problem
                    + " is a " + parsed.kind());
        }
        String name = problem.getFileName().toString().replaceFirst("\\.json$", "");
        return DiagnosticProblem.of(name, cmdp);
    }

    private static List<TabularEstimators.Kind> estimators(String text) {
        List<TabularEstimators.Kind> kinds = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String id = part.strip();
            if (id.isEmpty()) {
                throw new IllegalArgumentException("--estimators: empty entry in '" + text + "'");
            }
            TabularEstimators.Kind kind = TabularEstimators.Kind.parse(id, "--estimators");
            if (kind == TabularEstimators.Kind.HPGD_ORACLE) {
                throw new IllegalArgumentException("--estimators: hpgd-oracle is not supported by diagnose (it needs "
                        + "extra reset-anywhere rollouts)");
            }
            if (kind == TabularEstimators.Kind.BCHG_SR) {
                throw new IllegalArgumentException("--estimators: bchg-sr is not supported by diagnose (it learns "
                        + "across outer iterations and has no one-shot estimate; use bchg)");
            }
            if (kinds.contains(kind)) {
                throw new IllegalArgumentException("--estimators: " + id + " is listed twice");
            }
            kinds.add(kind);
        }
        return kinds;
    }

    private static List<Integer> positiveIntegers(String text, String flag) {
        List<Integer> values = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.strip().replace("_", "");
            int v;
            try {
                v = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + ": '" + part.strip() + "' is not a whole number (in '"
                        + text + "')");
            }
            if (v < 1) {
                throw new IllegalArgumentException(flag + ": " + v + " must be ≥ 1");
            }
            if (values.contains(v)) {
                throw new IllegalArgumentException(flag + ": " + v + " is listed twice");
            }
            values.add(v);
        }
        return values;
    }
}
