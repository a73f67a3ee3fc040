package dev.bilevel.cli;

import dev.bilevel.core.Hypergradient;
import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.cmdp.FollowerSolution;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.game.ExactGameHypergradient;
import dev.bilevel.core.game.GameFollowerSolution;
import dev.bilevel.core.game.JointPolicy;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.game.SoftQIteration;
import dev.bilevel.core.game.TabularSoftmaxPolicy;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.experiments.method.GameEstimators;
import dev.bilevel.experiments.method.TabularEstimators;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.planning.TabularGameFollower;
import dev.bilevel.learn.follower.planning.TabularMdpFollower;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.problems.json.ConfigurableMdpProblem;
import dev.bilevel.problems.json.MarkovGameProblem;
import dev.bilevel.problems.json.ProblemFiles;
import dev.bilevel.problems.json.TabularProblem;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel hypergradient}: the leader's objective and a hypergradient (exact or estimated) of a
 * JSON tabular problem at its initial parameters, printed as one JSON object.
 */
@Command(name = "hypergradient", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the objective and a hypergradient of a tabular problem file.", "",
            "Evaluates at the file's initial parameters (parameters0 or leaderLogits).",
            "The follower is solved exactly; sampling estimators draw --episodes",
            "independent episodes of at most --horizon steps from its policy.",
            "Prints one JSON object with \"objective\" (exact) and \"gradient\"",
            "(for Markov games θ flattened row-major [s][b]). A sample of more episodes",
            "× horizon than the JVM's memory holds (14 bytes a step) is refused.", ""})
final class HypergradientCommand implements Callable<Integer> {

    private static final double GIB = 1024.0 * 1024 * 1024;

    @Spec
    private CommandSpec spec;

    @Option(names = "--problem", required = true, paramLabel = "FILE.json",
            description = "Problem file (format: docs/problem-files.md).")
    private Path problem;

    @Option(names = "--estimator", defaultValue = "exact", paramLabel = "NAME",
            description = "exact, bchg, hpgd-mc, hpgd-sarsa, naive, sobirl or zero-order; games: exact, bchg, "
                    + "naive or zero-order (default: ${DEFAULT-VALUE}).")
    private String estimator;

    @Option(names = "--episodes", defaultValue = "1000", paramLabel = "N",
            description = "Episodes for sampling estimators (default: ${DEFAULT-VALUE}).")
    private int episodes;

    @Option(names = "--horizon", defaultValue = "200", paramLabel = "H",
            description = "Episode length cap; the estimate is unbiased up to this truncation "
                    + "(default: ${DEFAULT-VALUE}).")
    private int horizon;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--critic", defaultValue = "sarsa", paramLabel = "KIND",
            description = "Leader critic for bchg: sarsa (from the episodes, Q = 0 start) or exact (the model's "
                    + "Q_L) (default: ${DEFAULT-VALUE}).")
    private String critic;

    @Option(names = "--sarsa-alpha", defaultValue = "0.1", paramLabel = "α",
            description = "SARSA step for --critic sarsa (default: ${DEFAULT-VALUE}).")
    private double sarsaAlpha;

    @Option(names = "--perturbation", defaultValue = "0.1", paramLabel = "C",
            description = "zero-order: perturbation radius (default: ${DEFAULT-VALUE}); averages --episodes "
                    + "random directions.")
    private double perturbation;

    @Override
    public Integer call() {
        if (episodes < 1) {
            throw new IllegalArgumentException("--episodes: " + episodes + " must be ≥ 1");
        }
        if (horizon < 1) {
            throw new IllegalArgumentException("--horizon: " + horizon + " must be ≥ 1");
        }
        if (TabularEstimators.Kind.find(estimator).isEmpty()) {
            throw new IllegalArgumentException("--estimator: unknown estimator '" + estimator + "', expected one of "
                    + Arrays.stream(TabularEstimators.Kind.values()).filter(TabularEstimators.Kind::oneShot)
                            .map(TabularEstimators.Kind::id).collect(Collectors.joining(", ")));
        }
        TabularEstimators.Kind kind = TabularEstimators.Kind.parse(estimator, "--estimator");
        boolean exactCritic = switch (critic) {
            case "exact" -> true;
            case "sarsa" -> false;
            default -> throw new IllegalArgumentException("--critic: unknown critic '" + critic
                    + "', expected sarsa or exact");
        };
        TabularProblem parsed = ProblemFiles.read(problem);
        if (kind != TabularEstimators.Kind.EXACT
                && (kind != TabularEstimators.Kind.ZERO_ORDER || parsed instanceof MarkovGameProblem)) {
            checkBatchSize(episodes, horizon, Runtime.getRuntime().maxMemory());
        }
        JsonOutput json = new JsonOutput();
        Hypergradient result;
        if (parsed instanceof MarkovGameProblem p) {
            if (!GameEstimators.NAMES.contains(kind.id())) {
                throw new IllegalArgumentException("--estimator: '" + estimator
                        + "' is not available for markov-game problems; use " + String.join(", ",
                                GameEstimators.NAMES));
            }
            result = markovGame(p, kind, exactCritic);
            json.field("kind", "markov-game");
        } else {
            result = configurableMdp((ConfigurableMdpProblem) parsed, kind, exactCritic);
            json.field("kind", "configurable-mdp");
        }
        json.field("estimator", kind.id()).field("dimension", result.gradient().length);
        if (kind != TabularEstimators.Kind.EXACT) {
            json.field("episodes", episodes).field("horizon", horizon).field("seed", seed);
            if (kind.usesSarsa() || kind == TabularEstimators.Kind.NAIVE && parsed instanceof MarkovGameProblem) {
                json.field("critic", critic);
            }
        }
        json.field("objective", result.objective()).field("gradient", result.gradient());
        spec.commandLine().getOut().println(json);
        return 0;
    }

    /**
     * Refuses, before sampling, a batch of {@code --episodes × --horizon} rows that no array holds or whose
     * arrays alone exceed {@code maxMemory} (the JVM's, {@link Runtime#maxMemory()}).
     */
    static void checkBatchSize(int episodes, int horizon, long maxMemory) {
        long rows = (long) episodes * horizon;
        String request = String.format(Locale.ROOT, "--episodes: %,d episodes × --horizon %,d = %,d rows", episodes,
                horizon, rows);
        if (rows > TabularBatch.MAX_ROWS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s, more than the %,d a batch holds; "
                    + "use fewer episodes or a shorter horizon", request, TabularBatch.MAX_ROWS));
        }
        long bytes = TabularBatch.bytes(episodes, horizon);
        if (bytes > maxMemory) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s need %.1f GiB for the batch alone, "
                    + "more than the %.1f GiB this JVM may use (-Xmx); use fewer episodes or a shorter horizon",
                    request, bytes / GIB, maxMemory / GIB));
        }
    }

    private Hypergradient markovGame(MarkovGameProblem problem, TabularEstimators.Kind kind, boolean exactCritic) {
        MarkovGame game = problem.game();
        double[] leaderPolicy = TabularSoftmaxPolicy.probabilities(problem.leaderLogits(), game.states(),
                game.leaderActions());
        GameFollowerSolution follower = SoftQIteration.exact().solve(game, leaderPolicy, null);
        Hypergradient exact = ExactGameHypergradient.compute(game, leaderPolicy, follower);
        if (kind == TabularEstimators.Kind.EXACT) {
            return exact;
        }
        SplitMixRandom rng = new SplitMixRandom(seed);
        Estimator<double[], TabularGameResponse, TabularBatch> est = GameEstimators.create(kind.id(), game,
                exactCritic, sarsaAlpha, perturbation, "--estimator");
        TabularBatch batch = new TabularSampler(game.dynamics(), horizon).sampleEpisodes(
                JointPolicy.of(leaderPolicy, follower.policy(), game.leaderActions(), game.followerActions()), episodes,
                horizon, rng.split());
        double[] g = est.estimate(new Estimation<>(0, problem.leaderLogits(), TabularGameFollower.response(game,
                follower), batch, rng.split())).gradient();
        return new Hypergradient(exact.objective(), g);
    }

    private Hypergradient configurableMdp(ConfigurableMdpProblem problem, TabularEstimators.Kind kind,
            boolean exactCritic) {
        ConfigurableMdp mdp = problem.mdp();
        double[] x = problem.parameters0();
        FollowerSolution follower = SoftPolicyIteration.exact().solve(mdp.dynamics(), mdp.followerReward().evaluate(x),
                mdp.followerDiscount(), mdp.temperature(), null);
        Hypergradient exact = ExactHypergradient.compute(mdp, x, follower.policy());
        TabularResponse response = TabularMdpFollower.response(mdp, follower);
        if (kind == TabularEstimators.Kind.EXACT) {
            return exact;
        }
        SplitMixRandom rng = new SplitMixRandom(seed);
        TabularEstimators.Settings settings = new TabularEstimators.Settings(kind, exactCritic, sarsaAlpha,
                perturbation, true);
        Estimator<double[], TabularResponse, TabularBatch> est = TabularEstimators.create(mdp, settings, null,
                rng.split());
        SplitMixRandom sampling = rng.split();
        SplitMixRandom estimation = rng.split();
        double[] g;
        if (kind == TabularEstimators.Kind.ZERO_ORDER) {
            g = new double[x.length];
            TabularBatch none = new TabularBatch(1, 1);
            for (int n = 0; n < episodes; n++) {
                double[] one = est.estimate(new Estimation<>(0, x, response, none, estimation)).gradient();
                for (int j = 0; j < g.length; j++) {
                    g[j] += one[j] / episodes;
                }
            }
        } else {
            TabularBatch batch = new TabularSampler(mdp.dynamics(), horizon).sampleEpisodes(follower.policy(),
                    episodes, horizon, sampling);
            Estimate estimate = est.estimate(new Estimation<>(0, x, response, batch, estimation));
            g = estimate.gradient();
        }
        return new Hypergradient(exact.objective(), g);
    }
}
