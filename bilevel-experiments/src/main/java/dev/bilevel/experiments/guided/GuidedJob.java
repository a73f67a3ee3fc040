package dev.bilevel.experiments.guided;

import dev.bilevel.core.game.ContinuousMarkovGame;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.experiments.config.Bound;
import dev.bilevel.experiments.config.ConfigException;
import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.job.Checkpointing;
import dev.bilevel.experiments.job.Ending;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.job.RunState;
import dev.bilevel.experiments.run.MetricColumn;
import dev.bilevel.experiments.run.MetricsWriter;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.learn.critic.LeaderQFunction;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.method.BchgEstimator;
import dev.bilevel.learn.estimator.method.NaiveEstimator;
import dev.bilevel.learn.estimator.term.GaussianPolicyTerms;
import dev.bilevel.learn.estimator.term.InfluenceOptions;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.follower.SoftActorCriticGameResponse;
import dev.bilevel.learn.follower.learning.ContinuousSoftActorCritic;
import dev.bilevel.learn.follower.learning.SacSettings;
import dev.bilevel.learn.leader.ContinuousGameLeader;
import dev.bilevel.learn.leader.ReplaySampling;
import dev.bilevel.learn.leader.UpdateSchedule;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import dev.bilevel.learn.sampling.Minibatch;
import dev.bilevel.problems.guided.GuidedCartPole;
import dev.bilevel.problems.guided.GuidedPendulum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GuidedCartPole and GuidedPendulum (reference-markov-game.md §1.4–1.5, the learning-follower issue) against a
 * follower that learns by continuous soft actor-critic ({@link ContinuousSoftActorCritic}) from its own experience.
 * The follower observes the state and the wind, {@code [x, a_L]}, and learns after every step of the one
 * environment stream. The leader's wind is one of:
 * <ul>
 *   <li>{@code zero-wind}: no wind, so the follower learns the task alone;</li>
 *   <li>{@code random-wind}: a wind drawn uniformly from {@code [−1, 1]} at every step;</li>
 *   <li>{@code bchg}, {@code naive}: a Gaussian wind policy over {@code [x, 1]} that learns asynchronously with the
 *       follower ({@link GaussianWindLeader}): every {@code leader.interval} follower gradient steps once the
 *       follower has made {@code leader.warmup} environment steps, by an actor-critic step whose actor gradient is
 *       BC-HG's or Naive-PGD's, seeing the follower only through a copy of its current policy and value.</li>
 * </ul>
 * Each iteration plays {@code episodes_per_iteration} training episodes, then evaluates the follower's
 * deterministic actor ({@code c·tanh(μ)}) on {@code eval_episodes} episodes of its own randomness, under the same
 * wind (a learning leader's mean wind). {@code leader_objective} is the leader's undiscounted target return per
 * training episode, the episodes as they were played.
 */
public final class GuidedJob implements ExperimentJob {

    /** The tasks. */
    public static final List<String> TASKS = List.of("cartpole-v0", "cartpole-v1", "pendulum");

    /** The leaders. */
    public static final List<String> METHODS = List.of("zero-wind", "random-wind", "bchg", "naive");

    /** Every key a run accepts. */
    public static final ConfigSchema SCHEMA = ConfigSchema.builder()
            .choice("problem", "guided", List.of("guided"), "problem")
            .choice("task", "cartpole-v1", TASKS, "GuidedCartPole-v0 (target x in (−0.25, 0.25)), -v1 (target"
                    + " (0.25, 0.75)), or GuidedPendulum-v0")
            .choice("method", "zero-wind", METHODS, "the leader's wind: none, uniform in [−1, 1] at every step, or a"
                    + " Gaussian wind policy learned by BC-HG or Naive-PGD")
            .integer("iterations", 30, 1, 1_000_000, "iterations, each of episodes_per_iteration training episodes")
            .integer("episodes_per_iteration", 5, 1, 1_000_000, "training episodes per iteration")
            .integer("eval_episodes", 5, 0, 1_000_000,
                    "episodes per iteration on which the follower's deterministic actor is evaluated")
            .longInt("seed", 0L, "random seed of the run")
            .integer("follower.width", 64, 1, 4096, "the width of each hidden layer of the actor and critics")
            .integer("follower.layers", 2, 1, 16, "the hidden layers of the actor and critics (ReLU)")
            .integer("follower.batch_size", 256, 1, 1_000_000, "transitions per gradient step")
            .real("follower.discount", 0.99, new Bound(0.0, true, 1.0, false), "the follower's γ_F")
            .real("follower.target_update", 0.005, new Bound(0.0, false, 1.0, true),
                    "Polyak rate τ of the target critics per gradient step")
            .real("follower.actor_learning_rate", 3e-4, Bound.POSITIVE, "Adam step of the actor")
            .real("follower.critic_learning_rate", 3e-4, Bound.POSITIVE, "Adam step of each critic")
            .choice("follower.temperature", "auto", List.of("auto", "fixed"),
                    "α tuned to hold the policy's entropy at follower.target_entropy, or fixed")
            .real("follower.initial_temperature", 1.0, Bound.POSITIVE, "α at the start (fixed: throughout)")
            .real("follower.temperature_learning_rate", 3e-4, Bound.POSITIVE, "auto: Adam step of log α")
            .real("follower.target_entropy", -1.0, Bound.FINITE, "auto: the target entropy H̄ (SAC's −dim A)")
            .integer("follower.replay_capacity", 100_000, 1, 100_000_000, "the follower's memory, its last transitions")
            .integer("follower.random_steps", 1_000, 0, Integer.MAX_VALUE,
                    "environment steps at the start on which the follower acts uniformly at random")
            .integer("follower.updates_per_step", 1, 1, 1000, "the follower's gradient steps per environment step")
            .integer("leader.interval", 100, 1, Integer.MAX_VALUE,
                    "bchg, naive: follower gradient steps between two leader updates (k)")
            .integer("leader.warmup", 10_000, 0, Integer.MAX_VALUE,
                    "bchg, naive: follower environment steps before the leader's first update")
            .real("leader.noise_std", 0.2, Bound.POSITIVE, "the wind policy's fixed standard deviation")
            .real("leader.policy_lr", 0.01, Bound.POSITIVE, "Adam step of the wind policy's gain")
            .real("leader.critic_lr", 1e-3, Bound.POSITIVE, "Adam step of the leader's critic")
            .integer("leader.hidden_width", 64, 1, 4096, "the leader critic's units per hidden layer")
            .integer("leader.hidden_layers", 2, 1, 16, "the leader critic's hidden layers (ReLU)")
            .integer("leader.batch_size", 64, 1, 1_000_000, "samples per leader critic or actor step")
            .integer("leader.actor_steps", 1, 0, 1000, "actor steps per leader update")
            .integer("leader.critic_steps", 5, 0, 1000, "critic steps per leader update")
            .real("leader.discount", 0.99, new Bound(0.0, false, 1.0, true), "the leader's γ_L")
            .real("leader.target_tau", 0.01, Bound.closed(0.0, 1.0),
                    "Polyak step of the leader's target critic and policy, once per update")
            .real("leader.max_grad_norm", 1.0, Bound.POSITIVE, "clip the wind policy's gradient to this norm")
            .integer("leader.replay_capacity", 20_000, 1, 100_000_000, "the leader's memory, its last transitions")
            .integer("leader.leader_samples", 2, 1, 1_000,
                    "wind draws for the baselines of the direct term and of the follower's influence")
            .integer("leader.follower_samples", 16, 1, 1_000, "bchg: follower draws for the benefit's baseline")
            .integer("leader.value_draws", 4, 1, 1_000,
                    "bchg: follower actor draws per estimate of its soft value W_F(x, a_L)")
            .build();

    @Override
    public String problem() {
        return "guided";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    /**
     * Checks the settings against each other: each replay must hold a batch, and the follower's soft value is
     * estimated from at most a batch of its draws.
     */
    @Override
    public ResolvedConfig complete(ResolvedConfig config) {
        SacSettings follower = settings(config);
        if (learns(config)) {
            if (config.integer("leader.batch_size") > config.integer("leader.replay_capacity")) {
                throw new ConfigException("leader.batch_size", "leader.batch_size: must be ≤ leader.replay_capacity"
                        + " (" + config.integer("leader.replay_capacity") + "), got "
                        + config.integer("leader.batch_size"));
            }
            if (config.integer("leader.value_draws") > follower.batchSize()) {
                throw new ConfigException("leader.value_draws", "leader.value_draws: must be ≤ follower.batch_size"
                        + " (" + follower.batchSize() + "), got " + config.integer("leader.value_draws"));
            }
        }
        return config;
    }

    /** Whether the method learns its wind (BC-HG, Naive-PGD) rather than playing a baseline. */
    private static boolean learns(ResolvedConfig config) {
        String method = config.string("method");
        return method.equals("bchg") || method.equals("naive");
    }

    @Override
    public String runName(ResolvedConfig config) {
        return String.format(Locale.ROOT, "%s-%s-seed%d", config.string("task"), config.string("method"),
                config.longInt("seed"));
    }

    @Override
    public String describe(ResolvedConfig config) {
        return String.format(Locale.ROOT, "%s %s seed %d", config.string("task"), config.string("method"),
                config.longInt("seed"));
    }

    @Override
    public List<String> closingLines(Map<String, Object> summary) {
        List<String> lines = new ArrayList<>(List.of(String.format(Locale.ROOT, "leader target return %.2f,"
                + " follower return %.2f (training episodes, last %s iterations)",
                summary.get("leader_objective_last_window"), summary.get("follower_return_last_window"),
                summary.get("last_window")), String.format(Locale.ROOT, "  deterministic actor: follower return %.2f",
                        summary.get("eval_follower_return_last_window"))));
        if (summary.containsKey("wind_gain_final")) {
            lines.add(String.format(Locale.ROOT, "  wind policy after %s updates: gain over [state, 1] = %s",
                    summary.get("leader_updates"), summary.get("wind_gain_final")));
        }
        return lines;
    }

    static SacSettings settings(ResolvedConfig config) {
        int[] hidden = new int[config.integer("follower.layers")];
        Arrays.fill(hidden, config.integer("follower.width"));
        boolean auto = config.string("follower.temperature").equals("auto");
        return new SacSettings(hidden, config.integer("follower.batch_size"), config.real("follower.discount"),
                config.real("follower.target_update"), config.real("follower.actor_learning_rate"),
                config.real("follower.critic_learning_rate"), config.real("follower.initial_temperature"),
                auto ? config.real("follower.temperature_learning_rate") : 0.0, config.real("follower.target_entropy"),
                config.integer("follower.replay_capacity"), config.integer("follower.random_steps"),
                config.integer("follower.updates_per_step"));
    }

    static ContinuousMarkovGame game(String task) {
        return switch (task) {
            case "cartpole-v0" -> GuidedCartPole.v0();
            case "cartpole-v1" -> GuidedCartPole.v1();
            case "pendulum" -> GuidedPendulum.v0();
            default -> throw new IllegalArgumentException("task: unknown '" + task + "'");
        };
    }

    @Override
    public Map<String, Object> run(ResolvedConfig config, RunDirectory directory, ProgressReporter progress) {
        String task = config.string("task");
        ContinuousMarkovGame game = game(task);
        int horizon = task.equals("pendulum") ? GuidedPendulum.HORIZON : GuidedCartPole.HORIZON;
        double actionScale = task.equals("pendulum") ? GuidedPendulum.MAX_TORQUE : 1.0;
        int iterations = config.integer("iterations");
        int perIteration = config.integer("episodes_per_iteration");
        int evalEpisodes = config.integer("eval_episodes");
        SplitMixRandom root = new SplitMixRandom(config.longInt("seed"));
        SplitMixRandom followerRng = root.split();
        SplitMixRandom envRng = root.split();
        SplitMixRandom evalRng = root.split();
        ContinuousSoftActorCritic follower = new ContinuousSoftActorCritic(game.stateDimension() + 1,
                new double[] {actionScale}, settings(config), followerRng);
        GaussianWindLeader leader = learns(config) ? leader(config, game, follower, root) : null;
        Wind wind = switch (config.string("method")) {
            case "random-wind" -> Wind.UNIFORM;
            case "zero-wind" -> Wind.NONE;
            default -> leader;
        };
        Episodes episodes = new Episodes(game, horizon, wind);

        List<String> names = new ArrayList<>(List.of("iteration", "leader_objective", "follower_return",
                "episode_length", "eval_leader_return", "eval_follower_return", "temperature", "total_env_steps",
                "gradient_steps"));
        if (leader != null) {
            names.addAll(List.of("leader_updates", "critic_loss", "gradient_norm", "response_norm"));
            for (int i = 0; i < game.stateDimension(); i++) {
                names.add("wind_gain_" + i);
            }
            names.add("wind_bias");
        }
        List<MetricColumn> columns = MetricColumn.of(names, n -> n.equals("iteration")
                || n.equals("total_env_steps") || n.equals("gradient_steps") || n.equals("leader_updates"));
        double[] objectives = new double[iterations];
        double[] followerReturns = new double[iterations];
        double[] evalReturns = new double[iterations];
        Ending ending = Ending.completed();
        int done = 0;
        progress.start(describe(config), iterations);
        MetricsWriter metrics = directory == null ? null : directory.openMetrics(columns);
        Stateful streams = Stateful.streams(envRng, evalRng);
        Checkpointing checkpoints = new Checkpointing(directory, metrics,
                new RunState(follower, leader == null ? streams : Stateful.of(streams, leader)));
        try {
            if (directory != null) {
                directory.writeConfig(config);
                done = checkpoints.restore(iterations, (k, row) -> {
                    objectives[k] = row[1];
                    followerReturns[k] = row[2];
                    evalReturns[k] = row[5];
                });
                progress.step(done);
            }
            for (int k = done; k < iterations; k++) {
                double[] train = new double[3];
                try {
                    for (int e = 0; e < perIteration; e++) {
                        episodes.train(follower, envRng, train);
                    }
                } catch (ArithmeticException diverged) {
                    ending = Ending.diverged(diverged.getMessage());
                    break;
                }
                double[] eval = new double[3];
                for (int e = 0; e < evalEpisodes; e++) {
                    episodes.evaluate(follower, evalRng, eval);
                }
                double[] row = new double[names.size()];
                double[] base = {k, train[0] / perIteration, train[1] / perIteration, train[2] / perIteration,
                    evalEpisodes == 0 ? Double.NaN : eval[0] / evalEpisodes,
                    evalEpisodes == 0 ? Double.NaN : eval[1] / evalEpisodes, follower.temperature(),
                    follower.steps(), follower.gradientSteps()};
                System.arraycopy(base, 0, row, 0, base.length);
                if (leader != null) {
                    double[] reports = leader.drainReports();
                    row[base.length] = leader.updates();
                    System.arraycopy(reports, 0, row, base.length + 1, reports.length);
                    double[] gain = leader.gain();
                    System.arraycopy(gain, 0, row, base.length + 1 + reports.length, gain.length);
                }
                objectives[k] = row[1];
                followerReturns[k] = row[2];
                evalReturns[k] = row[5];
                checkpoints.prepare(k);
                if (metrics != null) {
                    metrics.row(row);
                }
                done = k + 1;
                progress.step(done, String.format(Locale.ROOT, "follower %.1f", row[2]));
                if (checkpoints.commit(k, iterations)) {
                    ending = Ending.interrupted("interrupted after iteration " + done + " of " + iterations);
                    break;
                }
            }
        } finally {
            if (metrics != null) {
                metrics.close();
            }
            progress.close();
        }
        checkpoints.end(ending);
        int window = Math.max(1, Math.min(10, done));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("problem", problem());
        summary.put("task", task);
        summary.put("method", config.string("method"));
        summary.put("seed", config.longInt("seed"));
        summary.put("status", ending.status());
        if (!ending.isCompleted()) {
            summary.put("error", ending.message());
        }
        summary.put("leader_objective_meaning", "the leader's undiscounted target return per training episode,"
                + " the follower learning as it plays (soft actor-critic)");
        summary.put("leader_objective_initial", done == 0 ? Double.NaN : objectives[0]);
        summary.put("leader_objective_final", done == 0 ? Double.NaN : objectives[done - 1]);
        summary.put("leader_objective_last_window", tailMean(objectives, done, window));
        summary.put("follower_return_last_window", tailMean(followerReturns, done, window));
        summary.put("eval_follower_return_last_window", tailMean(evalReturns, done, window));
        summary.put("last_window", window);
        summary.put("environment_steps", follower.steps());
        summary.put("follower_network", config.integer("follower.layers") + " × " + config.integer("follower.width"));
        if (leader != null) {
            summary.put("leader_updates", leader.updates());
            summary.put("wind_gain_final", Arrays.toString(leader.gain()));
        }
        if (directory != null) {
            directory.writeSummary(summary);
        }
        ending.rethrow();
        return summary;
    }

    /** The learning leader: a Gaussian wind policy over {@code [x, 1]}, its critic, buffer and estimator. */
    private static GaussianWindLeader leader(ResolvedConfig config, ContinuousMarkovGame game,
            ContinuousSoftActorCritic follower, SplitMixRandom root) {
        int n = game.stateDimension();
        int features = n + 1;
        int[] hidden = new int[config.integer("leader.hidden_layers")];
        Arrays.fill(hidden, config.integer("leader.hidden_width"));
        double leaderDiscount = config.real("leader.discount");
        int batchSize = config.integer("leader.batch_size");
        ContinuousGameLeader.Settings settings = new ContinuousGameLeader.Settings(hidden,
                config.real("leader.policy_lr"), config.real("leader.critic_lr"), leaderDiscount,
                new ReplaySampling(batchSize, false, true),
                new UpdateSchedule(config.integer("leader.actor_steps"), config.integer("leader.critic_steps"),
                        batchSize, config.real("leader.target_tau")),
                config.real("leader.max_grad_norm"), ContinuousGameLeader.CriticTarget.MEANS);
        GaussianPolicyTerms.Options options = new GaussianPolicyTerms.Options(GaussianPolicyTerms.Direct.SCORE, true,
                config.integer("leader.leader_samples"), config.integer("leader.follower_samples"),
                GaussianPolicyTerms.Influence.SCORE, new InfluenceOptions(true, false, true, 1.0, 1.0));
        GaussianPolicyTerms terms = new GaussianPolicyTerms(features, 1, 1, batchSize, leaderDiscount, options, null);
        Estimator<LinearGaussianPolicy, GaussianGameResponse, Minibatch<ContinuousReplayBuffer, LeaderQFunction>>
                estimator = config.string("method").equals("bchg") ? new BchgEstimator<>(terms)
                        : new NaiveEstimator<>(terms);
        LinearGaussianPolicy initial = new LinearGaussianPolicy(features, new double[features],
                new double[] {config.real("leader.noise_std")});
        ContinuousGameLeader leader = new ContinuousGameLeader(features, 1, initial, settings, estimator,
                terms.maxDraws(), root.split());
        ContinuousReplayBuffer buffer = new ContinuousReplayBuffer(config.integer("leader.replay_capacity"),
                leaderDiscount, false, features, 1, 1);
        SplitMixRandom valueRandom = root.split();
        SoftActorCriticGameResponse response = follower.response(n, 1.0, config.integer("leader.value_draws"),
                valueRandom);
        return new GaussianWindLeader(leader, buffer, response, follower, n, config.integer("leader.interval"),
                config.integer("leader.warmup"), root.split(), valueRandom);
    }

    private static double tailMean(double[] values, int done, int window) {
        if (done == 0) {
            return Double.NaN;
        }
        double sum = 0.0;
        for (int i = done - window; i < done; i++) {
            sum += values[i];
        }
        return sum / window;
    }
}
