package dev.bilevel.experiments.guided;

import dev.bilevel.core.game.ContinuousMarkovGame;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.experiments.config.Bound;
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
import dev.bilevel.learn.follower.learning.ContinuousSoftActorCritic;
import dev.bilevel.learn.follower.learning.SacSettings;
import dev.bilevel.problems.guided.GuidedCartPole;
import dev.bilevel.problems.guided.GuidedPendulum;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GuidedCartPole and GuidedPendulum (reference-markov-game.md §1.4–1.5, the learning-follower issue) against a
 * follower that learns by continuous soft actor-critic ({@link ContinuousSoftActorCritic}) from its own experience.
 * The follower observes the state and the wind, {@code [x, a_L]}, and learns after every step of the one
 * environment stream; the leader's wind, for now, is one of the baselines:
 * <ul>
 *   <li>{@code zero-wind}: no wind, so the follower learns the task alone;</li>
 *   <li>{@code random-wind}: a wind drawn uniformly from {@code [−1, 1]} at every step.</li>
 * </ul>
 * Each iteration plays {@code episodes_per_iteration} training episodes, then evaluates the follower's
 * deterministic actor ({@code c·tanh(μ)}) on {@code eval_episodes} episodes of its own randomness, under the same
 * wind. {@code leader_objective} is the leader's undiscounted target return per training episode, the episodes as
 * they were played.
 */
public final class GuidedJob implements ExperimentJob {

    /** The tasks. */
    public static final List<String> TASKS = List.of("cartpole-v0", "cartpole-v1", "pendulum");

    /** The leaders. */
    public static final List<String> METHODS = List.of("zero-wind", "random-wind");

    /** Every key a run accepts. */
    public static final ConfigSchema SCHEMA = ConfigSchema.builder()
            .choice("problem", "guided", List.of("guided"), "problem")
            .choice("task", "cartpole-v1", TASKS, "GuidedCartPole-v0 (target x in (−0.25, 0.25)), -v1 (target"
                    + " (0.25, 0.75)), or GuidedPendulum-v0")
            .choice("method", "zero-wind", METHODS, "the leader's wind: none, or uniform in [−1, 1] at every step")
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
            .build();

    @Override
    public String problem() {
        return "guided";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    /** Checks the follower's settings against each other (the replay must hold a batch). */
    @Override
    public ResolvedConfig complete(ResolvedConfig config) {
        settings(config);
        return config;
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
        return List.of(String.format(Locale.ROOT, "leader target return %.2f, follower return %.2f (training"
                + " episodes, last %s iterations)", summary.get("leader_objective_last_window"),
                summary.get("follower_return_last_window"), summary.get("last_window")),
                String.format(Locale.ROOT, "  deterministic actor: follower return %.2f", summary.get(
                        "eval_follower_return_last_window")));
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
        boolean randomWind = config.string("method").equals("random-wind");
        int iterations = config.integer("iterations");
        int perIteration = config.integer("episodes_per_iteration");
        int evalEpisodes = config.integer("eval_episodes");
        SplitMixRandom root = new SplitMixRandom(config.longInt("seed"));
        SplitMixRandom followerRng = root.split();
        SplitMixRandom envRng = root.split();
        SplitMixRandom evalRng = root.split();
        ContinuousSoftActorCritic follower = new ContinuousSoftActorCritic(game.stateDimension() + 1,
                new double[] {actionScale}, settings(config), followerRng);
        Episodes episodes = new Episodes(game, horizon, randomWind);

        List<String> names = List.of("iteration", "leader_objective", "follower_return", "episode_length",
                "eval_leader_return", "eval_follower_return", "temperature", "total_env_steps", "gradient_steps");
        List<MetricColumn> columns = MetricColumn.of(names, n -> n.equals("iteration")
                || n.equals("total_env_steps") || n.equals("gradient_steps"));
        double[] objectives = new double[iterations];
        double[] followerReturns = new double[iterations];
        double[] evalReturns = new double[iterations];
        Ending ending = Ending.completed();
        int done = 0;
        progress.start(describe(config), iterations);
        MetricsWriter metrics = directory == null ? null : directory.openMetrics(columns);
        Checkpointing checkpoints = new Checkpointing(directory, metrics,
                new RunState(follower, Stateful.streams(envRng, evalRng)));
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
                double[] row = {k, train[0] / perIteration, train[1] / perIteration, train[2] / perIteration,
                    evalEpisodes == 0 ? Double.NaN : eval[0] / evalEpisodes,
                    evalEpisodes == 0 ? Double.NaN : eval[1] / evalEpisodes, follower.temperature(),
                    follower.steps(), follower.gradientSteps()};
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
        if (directory != null) {
            directory.writeSummary(summary);
        }
        ending.rethrow();
        return summary;
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
