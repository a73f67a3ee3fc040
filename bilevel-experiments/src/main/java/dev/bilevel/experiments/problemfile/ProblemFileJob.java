package dev.bilevel.experiments.problemfile;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.experiments.config.Bound;
import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.evaluate.TabularEvaluator;
import dev.bilevel.experiments.follower.LearningFollowerSide;
import dev.bilevel.experiments.job.Ending;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.job.InputFile;
import dev.bilevel.experiments.job.RecordedLoop;
import dev.bilevel.experiments.job.RunState;
import dev.bilevel.experiments.method.GameEstimators;
import dev.bilevel.experiments.method.TabularEstimators;
import dev.bilevel.experiments.run.DecisionFiles;
import dev.bilevel.experiments.run.MetricColumn;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.experiments.run.WindowMean;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.term.RewardDesignTerms;
import dev.bilevel.learn.follower.FollowerResponse;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.planning.TabularGameFollower;
import dev.bilevel.learn.follower.planning.TabularMdpFollower;
import dev.bilevel.learn.leader.ClippedSgd;
import dev.bilevel.learn.leader.DecisionLeader;
import dev.bilevel.learn.loop.BilevelLoop;
import dev.bilevel.learn.loop.Leader;
import dev.bilevel.learn.loop.Sampler;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.problems.json.ConfigurableMdpProblem;
import dev.bilevel.problems.json.MarkovGameProblem;
import dev.bilevel.problems.json.ProblemFileException;
import dev.bilevel.problems.json.ProblemFiles;
import dev.bilevel.problems.json.TabularProblem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A leader trained on a problem of the user's own: a tabular problem file ({@code docs/problem-files.md}) of
 * either kind. In a configurable MDP the decision is the incentive vector {@code x} (from {@code parameters0}); in
 * a Markov game it is a tabular softmax leader's logits {@code θ} (from {@code leaderLogits}). The follower is
 * solved exactly against every decision; each iteration samples {@code episodes} independent episodes of at most
 * {@code horizon} steps, estimates with the unbiased options (per-step direct term, tails per sample,
 * normalisation by the started episodes, a persistent SARSA critic from {@code Q = 0}) and takes one clipped SGD
 * step. {@code leader_objective} is the exact {@code V_L(start)} of the follower's response, every iteration.
 *
 * <p>In a configurable MDP the follower can instead learn on its own ({@code follower.behaviour:
 * soft-q-learning} or {@code soft-actor-critic}):
 * {@code episodes} continuing streams each advance {@code horizon} steps per iteration, and the estimators take the
 * training loop's options (as FourRooms' stream). The leader can see only the stream ({@code follower.access:
 * observed}). Both are {@link LearningFollowerSide}'s.
 */
public final class ProblemFileJob implements ExperimentJob {

    /** Every method name, for either kind; {@link #complete} checks it against the file's kind. */
    public static final List<String> METHODS = List.of("bchg", "hpgd-mc", "hpgd-sarsa", "hpgd-oracle", "naive",
            "sobirl", "zero-order", "exact");

    /** Every key a problem-file run accepts. */
    public static final ConfigSchema SCHEMA = ConfigSchema.builder()
            .choice("problem", "problem-file", List.of("problem-file"), "problem")
            .stringOrNull("file", "the problem file (JSON, docs/problem-files.md); relative: to the config file or "
                    + "sweep spec that names it, or to the working directory on the command line")
            .stringOrNull("file_sha256", "SHA-256 of the problem file's bytes; null = filled in from the file, "
                    + "given = the file must have it")
            .choice("method", "bchg", METHODS, "leader method; configurable MDPs: all, Markov games: bchg, naive, "
                    + "zero-order, exact")
            .longInt("seed", 0L, "random seed of the run")
            .integer("iterations", 1000, 0, Integer.MAX_VALUE, "outer iterations")
            .real("learning_rate", 0.1, Bound.POSITIVE, "SGD step of the leader")
            .real("max_grad_norm", 1.0, Bound.POSITIVE, "clip the hypergradient to this global norm")
            .integer("episodes", 20, 1, 10_000_000, "independent episodes sampled per iteration")
            .integer("horizon", 200, 1, 10_000_000, "steps per episode at most")
            .choice("critic", "sarsa", List.of("sarsa", "exact"), "bchg, hpgd-sarsa (games: bchg, naive): the leader "
                    + "critic; exact = the model's Q_L (a diagnostic: not decentralised)")
            .real("sarsa_alpha", 0.3, new Bound(0.0, false, 1.0, true), "SARSA step of the leader critic")
            .real("zero_order_perturbation", 0.1, Bound.POSITIVE, "zero-order: perturbation constant c (u = c/t)")
            .integer("oracle_samples", 10_000, 1, 100_000_000,
                    "hpgd-oracle: extra transitions per iteration from states drawn uniformly")
            .stringOrNull("initial_decision", "file of initial weights, one per line (e.g. a run's "
                    + "final_decision.txt); null = the problem file's parameters0 or leaderLogits")
            .integer("last_window", 50, 1, Integer.MAX_VALUE, "summary: mean of leader_objective over this many "
                    + "last iterations")
            .choice("follower.behaviour", "optimal", List.of("optimal", LearningFollowerSide.SOFT_Q_LEARNING,
                    LearningFollowerSide.SOFT_ACTOR_CRITIC), "configurable MDPs: the follower solved exactly against"
                    + " every decision (optimal), or one that learns from its own experience in one environment"
                    + " stream, by soft Q-learning or discrete soft actor-critic (`episodes` streams that each"
                    + " advance `horizon` steps per iteration)")
            .with(LearningFollowerSide::keys)
            .bool("diagnostics.accuracy", false, "log the estimate's cosine to the exact hypergradient"
                    + " (cosine_to_exact); a privileged diagnostic that changes no other number")
            .build();

    /** The problem file and the hash of its content. */
    public static final InputFile FILE = new InputFile("file", "file_sha256");

    @Override
    public String problem() {
        return "problem-file";
    }

    @Override
    public List<InputFile> inputFiles() {
        return List.of(FILE);
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    /**
     * Makes the file's path absolute, records the SHA-256 of its content (or checks it against the hash the
     * config names), reads the problem and checks the method and initial decision against it.
     */
    @Override
    public ResolvedConfig complete(ResolvedConfig config) {
        String given = config.optionalString("file").orElseThrow(() -> new IllegalArgumentException(
                "file: give the problem file (bilevel run --problem FILE.json, or file: in the config)"));
        Path path = FILE.path(config).orElseThrow();
        byte[] bytes = bytes(path, given);
        ResolvedConfig completed = FILE.record(config.with("file", path.toString()), bytes);
        TabularProblem problem = parse(bytes, given);
        String method = completed.string("method");
        if (!methodsFor(problem).contains(method)) {
            throw new IllegalArgumentException("method: '" + method + "' does not apply to a Markov game, expected "
                    + "one of " + String.join(", ", methodsFor(problem)));
        }
        if (problem instanceof MarkovGameProblem) {
            if (LearningFollowerSide.learns(completed)) {
                throw new IllegalArgumentException("follower.behaviour: " + completed.string("follower.behaviour")
                        + " applies to configurable-MDP problems; " + given + " is a markov-game");
            }
            if (LearningFollowerSide.observes(completed)) {
                throw new IllegalArgumentException("follower.access: observed applies to configurable-MDP problems; "
                        + given + " is a markov-game");
            }
        }
        initialDecision(completed, problem);
        return completed;
    }

    /**
     * Reads a problem file; errors name the file.
     *
     * @param file the problem file, as the user named it
     * @return the problem
     * @throws ProblemFileException one line: the file cannot be read ({@code cannot read problem file …}), or
     *     {@code problem file FILE: } and the field that is wrong
     */
    public static TabularProblem readProblem(Path file) {
        return parse(bytes(file, file.toString()), file.toString());
    }

    /** The problem of a completed config, read again and checked against the hash the config records. */
    private static TabularProblem read(ResolvedConfig config) {
        String given = config.optionalString("file").orElseThrow();
        byte[] bytes = bytes(FILE.path(config).orElseThrow(), given);
        FILE.record(config, bytes);
        return parse(bytes, given);
    }

    private static byte[] bytes(Path file, String name) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ProblemFileException("cannot read problem file " + name + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new ProblemFileException("cannot read problem file " + name + ": permission denied", e);
        } catch (IOException e) {
            String reason = Files.isDirectory(file) ? "is a directory"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ProblemFileException("cannot read problem file " + name + ": " + reason, e);
        }
    }

    private static TabularProblem parse(byte[] bytes, String name) {
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ProblemFileException("cannot read problem file " + name + ": not valid UTF-8", e);
        }
        try {
            return ProblemFiles.parse(json);
        } catch (ProblemFileException e) {
            throw new ProblemFileException("problem file " + name + ": " + e.getMessage(), e);
        }
    }

    private static double[] initialDecision(ResolvedConfig config, TabularProblem problem) {
        double[] fromFile = problem instanceof ConfigurableMdpProblem p ? p.parameters0()
                : ((MarkovGameProblem) problem).leaderLogits();
        Optional<String> file = config.optionalString("initial_decision");
        return file.isEmpty() ? fromFile : DecisionFiles.read(file.get(), fromFile.length, "initial_decision");
    }

    @Override
    public String runName(ResolvedConfig config) {
        String file = Path.of(config.optionalString("file").orElse("problem")).getFileName().toString();
        String stem = file.endsWith(".json") ? file.substring(0, file.length() - 5) : file;
        return String.format(Locale.ROOT, "%s-%s-seed%d", stem, config.string("method"), config.longInt("seed"));
    }

    @Override
    public String describe(ResolvedConfig config) {
        return String.format(Locale.ROOT, "%s %s  seed = %d  learning rate = %s  episodes = %d",
                Path.of(config.optionalString("file").orElse("?")).getFileName(), config.string("method"),
                config.longInt("seed"), config.real("learning_rate"), config.integer("episodes"));
    }

    @Override
    public Map<String, Object> run(ResolvedConfig config, RunDirectory directory, ProgressReporter progress) {
        TabularProblem problem = read(config);
        SplitMixRandom root = new SplitMixRandom(config.longInt("seed"));
        SplitMixRandom criticRng = root.split();
        SplitMixRandom followerRng = root.split();
        SplitMixRandom samplingRng = root.split();
        SplitMixRandom learningRng = root.split();
        double[] x0 = initialDecision(config, problem);
        ClippedSgd optimizer = ClippedSgd.ungrouped(x0.length, config.real("learning_rate"),
                config.real("max_grad_norm"));
        int episodes = config.integer("episodes");
        int horizon = config.integer("horizon");
        boolean exactCritic = config.string("critic").equals("exact");
        if (problem instanceof ConfigurableMdpProblem p) {
            ConfigurableMdp mdp = p.mdp();
            boolean accuracy = config.bool("diagnostics.accuracy");
            boolean learns = LearningFollowerSide.learns(config);
            Stateful follower;
            Stateful environment = Stateful.of();
            TabularEvaluator<TabularResponse> evaluator;
            Sampler<double[], TabularResponse, TabularBatch> sampling;
            LearningFollowerSide.Learning learning = null;
            TabularSampler sampler = new TabularSampler(mdp.dynamics(), horizon);
            if (learns) {
                learning = LearningFollowerSide.learning(mdp, config, horizon, episodes, horizon, followerRng,
                        accuracy);
                follower = learning.learner();
                environment = learning.stream();
                evaluator = learning.evaluator();
                sampling = learning.sampler();
            } else {
                TabularMdpFollower planner = new TabularMdpFollower(mdp, TabularMdpFollower.Behaviour.OPTIMAL, 0,
                        followerRng);
                follower = planner;
                evaluator = TabularEvaluator.of(mdp, planner, accuracy);
                sampling = (x, r, rng) -> sampler.sampleEpisodes(r.policy(), episodes, horizon, rng);
            }
            double[] uniform = new double[mdp.states()];
            Arrays.fill(uniform, 1.0 / mdp.states());
            RewardDesignTerms.OracleAccess oracle = new RewardDesignTerms.OracleAccess(sampler, uniform, episodes,
                    Math.max(1, config.integer("oracle_samples") / episodes));
            // Independent episodes take the unbiased one-shot options; a continuing stream the training loop's.
            Estimator<double[], TabularResponse, TabularBatch> estimator = TabularEstimators.create(mdp,
                    new TabularEstimators.Settings(TabularEstimators.Kind.parse(config.string("method"), "method"),
                            exactCritic, config.real("sarsa_alpha"), config.real("zero_order_perturbation"), !learns),
                    oracle, criticRng);
            LearningFollowerSide.LeaderSide side = LearningFollowerSide.leader(new DecisionLeader<>(x0, estimator,
                    optimizer), mdp, config);
            if (learning != null) {
                learning.warmUp(x0, samplingRng); // it learns before the leader first looks (restored on a resume)
            }
            return train(config, directory, progress, "configurable-mdp", evaluator, follower, side.leader(),
                    Stateful.of(side.state(), environment), sampling, samplingRng, learningRng);
        }
        MarkovGame game = ((MarkovGameProblem) problem).game();
        TabularGameFollower follower = new TabularGameFollower(game, TabularGameFollower.Behaviour.EXACT, 0,
                followerRng);
        TabularEvaluator<TabularGameResponse> evaluator = TabularEvaluator.of(game, follower,
                config.bool("diagnostics.accuracy"));
        TabularSampler sampler = new TabularSampler(game.dynamics(), horizon);
        Estimator<double[], TabularGameResponse, TabularBatch> estimator = GameEstimators.create(
                config.string("method"), game, exactCritic, config.real("sarsa_alpha"),
                config.real("zero_order_perturbation"), "method");
        DecisionLeader<TabularGameResponse, TabularBatch> leader = new DecisionLeader<>(x0, estimator, optimizer);
        return train(config, directory, progress, "markov-game", evaluator, follower, leader, leader,
                (theta, r, rng) -> sampler.sampleEpisodes(evaluator.behaviour(theta, r), episodes, horizon, rng),
                samplingRng, learningRng);
    }

    private <R extends FollowerResponse> Map<String, Object> train(ResolvedConfig config, RunDirectory directory,
            ProgressReporter progress, String kind, TabularEvaluator<R> evaluator, Stateful follower,
            Leader<double[], R, TabularBatch, DecisionLeader.Update> leader, Stateful leaderState,
            Sampler<double[], R, TabularBatch> sampler, SplitMixRandom sampling, SplitMixRandom learning) {
        int iterations = config.integer("iterations");
        BilevelLoop<double[], R, TabularBatch, DecisionLeader.Update> loop = new BilevelLoop<>(evaluator.follower(),
                sampler, leader);
        List<MetricColumn> columns = MetricColumn.of(evaluator.columns(),
                Set.of("iteration", "completed_episodes", "follower_steps")::contains);
        int window = Math.min(config.integer("last_window"), Math.max(iterations, 1));
        WindowMean tail = new WindowMean();
        double[] first = {Double.NaN};
        double[] last = {Double.NaN};
        double[] best = {Double.NEGATIVE_INFINITY};
        Ending ending = new RecordedLoop(directory, progress).run(config, describe(config), columns, loop,
                new RunState(follower, leaderState), iterations, sampling, learning, evaluator, (it, row) -> {
                    double objective = row[1];
                    if (it == 0) {
                        first[0] = objective;
                    }
                    last[0] = objective;
                    best[0] = Math.max(best[0], objective);
                    if (it >= iterations - window) {
                        tail.add(objective);
                    }
                    if ((it + 1) % 10 == 0 || it + 1 == iterations) {
                        progress.step(it + 1, String.format(Locale.ROOT, "objective %.4f", objective));
                    }
                });
        double[] decision = leader.decision();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("problem", problem());
        summary.put("file", config.optionalString("file").orElseThrow());
        summary.put("file_sha256", config.optionalString("file_sha256").orElseThrow());
        summary.put("kind", kind);
        summary.put("method", config.string("method"));
        summary.put("seed", config.longInt("seed"));
        summary.put("iterations", iterations);
        summary.put("dimension", decision.length);
        summary.put("status", ending.status());
        if (!ending.isCompleted()) {
            summary.put("error", ending.message());
        }
        summary.put("leader_objective_meaning", evaluator.columns().contains("leader_objective_optimal_follower")
                ? "exact V_L(start) of the policy the follower plays (not its best response)"
                : "exact V_L(start) of the follower's response");
        summary.put("leader_objective_initial", first[0]);
        summary.put("leader_objective_final", last[0]);
        summary.put("leader_objective_best", iterations > 0 ? best[0] : Double.NaN);
        boolean complete = ending.isCompleted() && iterations > 0;
        summary.put("leader_objective_last_window", complete ? tail.mean() : Double.NaN);
        summary.put("last_window", window);
        summary.put("final_decision", decision);
        if (directory != null) {
            directory.writeVector("final_decision.txt", decision);
            directory.writeSummary(summary);
        }
        ending.rethrow();
        return summary;
    }

    /**
     * The methods that apply to the kind of a problem: every one of {@link #METHODS} for a configurable MDP;
     * bchg, naive, zero-order and exact for a Markov game.
     *
     * @param problem a problem file's problem
     * @return the method names, in the order of {@link #METHODS}
     */
    public static List<String> methodsFor(TabularProblem problem) {
        List<String> out = new ArrayList<>();
        for (String m : METHODS) {
            if (problem instanceof ConfigurableMdpProblem || GameEstimators.NAMES.contains(m)) {
                out.add(m);
            }
        }
        return out;
    }
}
