package dev.bilevel.experiments.discretetoy;

import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.experiments.config.Bound;
import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.Identifiers;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.evaluate.GameObjective;
import dev.bilevel.experiments.evaluate.TabularGameEvaluator;
import dev.bilevel.experiments.follower.LearningFollowerSide;
import dev.bilevel.experiments.job.Ending;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.job.RecordedLoop;
import dev.bilevel.experiments.job.RunState;
import dev.bilevel.experiments.run.MetricColumn;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.experiments.run.WindowMean;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.method.BchgEstimator;
import dev.bilevel.learn.estimator.method.NaiveEstimator;
import dev.bilevel.learn.estimator.term.CategoricalPolicyTerms;
import dev.bilevel.learn.estimator.term.InfluenceOptions;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.follower.learning.GameSoftQLearningFollower;
import dev.bilevel.learn.follower.planning.TabularGameFollower;
import dev.bilevel.learn.leader.ActorCriticReport;
import dev.bilevel.learn.leader.DiscreteGameLeader;
import dev.bilevel.learn.leader.ReplaySampling;
import dev.bilevel.learn.leader.UpdateSchedule;
import dev.bilevel.learn.loop.BilevelLoop;
import dev.bilevel.learn.sampling.GameEpisodeSampler;
import dev.bilevel.learn.sampling.GammaReplayBuffer;
import dev.bilevel.learn.sampling.Minibatch;
import dev.bilevel.learn.sampling.Replay;
import dev.bilevel.learn.sampling.ReplayCollector;
import dev.bilevel.problems.discretetoy.DiscreteToy4;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The DiscreteToy4 Markov-game experiment (reference-markov-game.md §1.2, §3, §5): a neural
 * categorical leader trained by BC-HG, Naive-PGD or Bi-AC against the tabular soft Q-iteration
 * follower, 500 outer iterations of 3 episodes. Defaults are the reference configs; the actor and
 * critic step counts default to the reference's per-method values for the variant and replay flavour.
 * {@code leader_objective} is the evaluation named by {@code evaluation.objective}: by default the
 * Monte-Carlo discounted leader return over 10 episodes for R1 and the undiscounted one for R2, the
 * metrics of the paper's figures.
 *
 * <p>Beyond the paper, {@code follower.behaviour: soft-q-learning} replaces the planning follower by one that learns
 * from the training episodes it plays ({@link GameSoftQLearningFollower}); the leader sees the policy it plays, and
 * the rows add the leader's return against its exactly solved best response and the KL gap.
 */
public final class DiscreteToyJob implements ExperimentJob {

    /** Every key a DiscreteToy4 run accepts. */
    public static final ConfigSchema SCHEMA = ConfigSchema.builder()
            .choice("problem", "discrete-toy", List.of("discrete-toy"), "problem")
            .choice("variant", "R1", List.of("R1", "R2"), "R1 (follower reward 1 at A→B) or R2 (reward 2)")
            .choice("method", "bchg", List.of("bchg", "naive", "biac"), "leader algorithm: BC-HG, Naive-PGD, Bi-AC")
            .bool("off_policy", false, "off-policy replay (1e6 transitions, batches without replacement) "
                    + "instead of the last iteration's 450, with replacement")
            .longInt("seed", 0L, "random seed of the run")
            .integer("iterations", 500, 0, Integer.MAX_VALUE, "outer iterations")
            .integer("episodes", 3, 1, 100_000, "training episodes per iteration")
            .integer("horizon", DiscreteToy4.HORIZON, 1, 1_000_000, "steps per episode")
            .longInt("explore_steps", 0L, -1L, Long.MAX_VALUE,
                    "uniform leader actions while total steps ≤ this (reference 0: the first iteration; −1: never)")
            .choice("follower.operator", "averaged", List.of("averaged", "sequential"),
                    "follower backup: averaged over the leader's action before the soft-max (reference) or after")
            .choice("follower.behaviour", "reference", List.of("reference", "exact", "reset-q", "carry-q",
                    LearningFollowerSide.SOFT_Q_LEARNING), "reference (tol 1e-6, ≤ 1,000 sweeps, warm), exact,"
                    + " suboptimal reset-q / carry-q, or a follower that learns from its own experience in the training"
                    + " episodes (soft-q-learning: it acts and learns as it plays; the leader sees the policy it plays)")
            .integer("follower.stop_sweeps", 10, 0, 1_000_000, "reset-q / carry-q: sweeps per iteration")
            .with(LearningFollowerSide::learnerKeys)
            .real("follower.leader_estimate_step", 0.01, new Bound(0.0, false, 1.0, true),
                    "soft-q-learning: step of the follower's running estimate of the leader's policy (for its backup)")
            .integer("follower.warmup_episodes", 0, 0, Integer.MAX_VALUE,
                    "soft-q-learning: episodes the follower learns under the leader's first policy before it moves")
            .integer("leader.hidden_width", 64, 1, 100_000, "units per hidden layer (policy and critic)")
            .integer("leader.hidden_layers", 2, 0, 100, "hidden layers (ReLU)")
            .real("leader.policy_lr", 1e-4, Bound.POSITIVE, "Adam step of the policy")
            .real("leader.critic_lr", 1e-3, Bound.POSITIVE, "Adam step of the critic")
            .integer("leader.batch_size", 64, 1, 1_000_000, "samples per actor or critic step")
            .integerOrNull("leader.actor_steps", 0, 1_000_000,
                    "actor steps per iteration; null = the reference config's value for method and variant")
            .integerOrNull("leader.critic_steps", 0, 1_000_000,
                    "critic steps per iteration; null = the reference config's value")
            .real("leader.target_tau", 0.01, Bound.closed(0.0, 1.0), "Polyak step of the target networks, once per iteration")
            .bool("leader.discount_sampling", true, "actor samples drawn ∝ γ_L^t")
            .bool("leader.direct_advantage", true, "direct term against Σ_b π(b|s)·Q(s,a,b) with the sampled a (reference)")
            .integer("leader.follower_samples", 256, 0, 1_000_000,
                    "bchg: follower actions drawn for the benefit's baseline; 0 = exact expectation")
            .bool("leader.influence_advantage", true, "bchg: centre W_F(s,b) by its mean over the leader's policy")
            .bool("leader.influence_weighted_average", false, "bchg: normalise the influence weights γ_F^k")
            .bool("leader.influence_from_next_step", false,
                    "bchg: start the influence at k = 1 (reference: k = 0, a zero-mean extra term)")
            .real("leader.direct_weight", 1.0, Bound.FINITE, "λ1, weight of the direct term")
            .real("leader.response_weight", 1.0, Bound.FINITE, "λ2, weight of the follower-response term")
            .realOrNull("leader.max_grad_norm", Bound.POSITIVE, "clip the policy gradient; null = never (reference)")
            .choice("leader.critic_target", "modes", List.of("modes", "expectation"),
                    "bchg/naive critic bootstrap: both policies' modes (reference) or their expectation")
            .integerOrNull("replay.capacity", 1, Integer.MAX_VALUE,
                    "replay size; null = one iteration's transitions on-policy, 1,000,000 off-policy")
            .integer("replay.min_size", 450, 0, Integer.MAX_VALUE, "leader updates start at this many transitions")
            .bool("replay.reference_subsequence_edge", true,
                    "reproduce the reference's subsequence edge case at the write pointer")
            .integer("evaluation.interval", 1, 1, Integer.MAX_VALUE, "evaluate every this many iterations")
            .integer("evaluation.episodes", 10, 1, 1_000_000, "Monte-Carlo evaluation episodes")
            .stringOrNull("evaluation.objective", "what leader_objective reports: mc-discounted, mc-undiscounted, "
                    + "exact-discounted, exact-undiscounted; null = mc-discounted (R1), mc-undiscounted (R2)")
            .integer("last_window", 50, 1, Integer.MAX_VALUE, "summary: mean of leader_objective over this many last iterations")
            .build();

    @Override
    public String problem() {
        return "discrete-toy";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public ResolvedConfig complete(ResolvedConfig config) {
        ResolvedConfig out = config;
        int[] steps = referenceSteps(config.string("variant"), config.string("method"), config.bool("off_policy"));
        if (config.optionalInteger("leader.actor_steps").isEmpty()) {
            out = out.with("leader.actor_steps", steps[0]);
        }
        if (config.optionalInteger("leader.critic_steps").isEmpty()) {
            out = out.with("leader.critic_steps", steps[1]);
        }
        if (config.optionalInteger("replay.capacity").isEmpty()) {
            out = out.with("replay.capacity", config.bool("off_policy") ? 1_000_000
                    : config.integer("episodes") * config.integer("horizon"));
        }
        if (config.optionalString("evaluation.objective").isEmpty()) {
            out = out.with("evaluation.objective", config.string("variant").equals("R1") ? "mc-discounted"
                    : "mc-undiscounted");
        }
        GameObjective.parse(out.optionalString("evaluation.objective").orElseThrow(), "evaluation.objective");
        return out;
    }

    /**
     * The reference configs' {actor, critic} steps per iteration (reference-markov-game.md §5.1);
     * BC-HG has only an on-policy config, whose values serve off-policy too.
     */
    static int[] referenceSteps(String variant, String method, boolean offPolicy) {
        boolean r1 = variant.equals("R1");
        return switch (method) {
            case "bchg" -> r1 ? new int[] {10, 1} : new int[] {1, 1};
            case "naive" -> offPolicy ? (r1 ? new int[] {5, 1} : new int[] {1, 10})
                    : (r1 ? new int[] {2, 20} : new int[] {1, 20});
            default -> offPolicy ? (r1 ? new int[] {5, 1} : new int[] {1, 5})
                    : (r1 ? new int[] {2, 10} : new int[] {1, 5});
        };
    }

    @Override
    public String runName(ResolvedConfig config) {
        return String.format(Locale.ROOT, "%s-%s%s-seed%d", config.string("variant"), config.string("method"),
                config.bool("off_policy") ? "-offpolicy" : "", config.longInt("seed"));
    }

    @Override
    public String describe(ResolvedConfig config) {
        return String.format(Locale.ROOT, "discrete-toy %s %s (%s)  seed = %d  actor/critic steps = %d/%d",
                config.string("variant"), config.string("method"), config.bool("off_policy") ? "off-policy"
                        : "on-policy", config.longInt("seed"), config.optionalInteger("leader.actor_steps").getAsInt(),
                config.optionalInteger("leader.critic_steps").getAsInt());
    }

    @Override
    public Map<String, Object> run(ResolvedConfig config, RunDirectory directory, ProgressReporter progress) {
        DiscreteToy4.Variant variant = DiscreteToy4.Variant.valueOf(config.string("variant"));
        MarkovGame game = DiscreteToy4.game(variant, FollowerOperator.parse(config.string("follower.operator")));
        String method = config.string("method");
        int[] hidden = new int[config.integer("leader.hidden_layers")];
        java.util.Arrays.fill(hidden, config.integer("leader.hidden_width"));
        boolean offPolicy = config.bool("off_policy");
        DiscreteGameLeader.CriticTarget target = method.equals("biac") ? DiscreteGameLeader.CriticTarget.STACKELBERG
                : Identifiers.parse(DiscreteGameLeader.CriticTarget.class, config.string("leader.critic_target"),
                        "leader.critic_target", "critic target");
        DiscreteGameLeader.Settings leaderSettings = new DiscreteGameLeader.Settings(hidden,
                config.real("leader.policy_lr"), config.real("leader.critic_lr"),
                new ReplaySampling(config.integer("leader.batch_size"), !offPolicy,
                        config.bool("leader.discount_sampling")),
                new UpdateSchedule(config.optionalInteger("leader.actor_steps").getAsInt(),
                        config.optionalInteger("leader.critic_steps").getAsInt(), config.integer("replay.min_size"),
                        config.real("leader.target_tau")),
                config.optionalReal("leader.max_grad_norm").orElse(Double.POSITIVE_INFINITY), target);
        CategoricalPolicyTerms terms = new CategoricalPolicyTerms(game.states(), game.leaderActions(),
                game.followerActions(), new CategoricalPolicyTerms.Options(config.bool("leader.direct_advantage"),
                        config.integer("leader.follower_samples"), new InfluenceOptions(
                                config.bool("leader.influence_advantage"),
                                config.bool("leader.influence_weighted_average"),
                                config.bool("leader.influence_from_next_step"), config.real("leader.direct_weight"),
                                config.real("leader.response_weight"))));
        Estimator<double[], TabularGameResponse, Minibatch<GammaReplayBuffer, double[]>> estimator =
                method.equals("bchg") ? new BchgEstimator<>(terms) : new NaiveEstimator<>(terms);
        boolean learns = LearningFollowerSide.learns(config);
        int iterations = config.integer("iterations");
        int horizon = config.integer("horizon");
        GameObjective objective = GameObjective.parse(config.optionalString("evaluation.objective").orElseThrow(),
                "evaluation.objective");

        SplitMixRandom root = new SplitMixRandom(config.longInt("seed"));
        DiscreteGameLeader leader = new DiscreteGameLeader(game.states(), game.leaderActions(),
                game.followerActions(), game.leaderDiscount(), leaderSettings, estimator, root.split());
        SplitMixRandom followerRng = root.split();
        SplitMixRandom sampling = root.split();
        SplitMixRandom evaluation = root.split();
        TabularGameEvaluator.Settings evaluating = new TabularGameEvaluator.Settings(
                config.integer("evaluation.interval"), config.integer("evaluation.episodes"), objective,
                DiscreteToy4.A);
        GameEpisodeSampler episodes = new GameEpisodeSampler(game, horizon);
        Stateful follower;
        TabularGameEvaluator evaluator;
        ReplayCollector.Player<double[], TabularGameResponse, GammaReplayBuffer> player;
        // The learning follower acts and learns in the training episodes; evaluation episodes only watch what it plays.
        GameSoftQLearningFollower learner = !learns ? null : new GameSoftQLearningFollower(game.states(),
                game.leaderActions(), game.followerActions(), game.temperature(), game.followerDiscount(),
                game.operator(), config.real("follower.learning_rate"), LearningFollowerSide.exploration(config),
                config.real("follower.leader_estimate_step"), config.integer("follower.updates_per_step"),
                config.integer("follower.replay_capacity"), followerRng);
        if (learns) {
            follower = learner;
            evaluator = TabularGameEvaluator.ofLearner(game, horizon, learner, evaluating, evaluation);
            player = (policy, response, explore, n, buffer, returns, rng) -> episodes.play(policy, learner, explore, n,
                    buffer, returns, rng);
        } else {
            TabularGameFollower planner = new TabularGameFollower(game, Identifiers.parse(
                    TabularGameFollower.Behaviour.class, config.string("follower.behaviour"), "follower.behaviour",
                    "follower behaviour"), config.integer("follower.stop_sweeps"), followerRng);
            follower = planner;
            evaluator = new TabularGameEvaluator(game, horizon, planner, evaluating, evaluation);
            player = episodes::play;
        }
        ReplayCollector<double[], TabularGameResponse, GammaReplayBuffer> collector = new ReplayCollector<>(
                player, new GammaReplayBuffer(config.optionalInteger("replay.capacity").getAsInt(),
                        game.leaderDiscount(), config.bool("replay.reference_subsequence_edge")),
                config.integer("episodes"), config.longInt("explore_steps"));
        BilevelLoop<double[], TabularGameResponse, Replay<GammaReplayBuffer>, ActorCriticReport> loop =
                new BilevelLoop<>(evaluator.follower(), collector, leader);

        Set<String> integers = Set.of("iteration", "follower_sweeps", "total_env_steps");
        List<MetricColumn> columns = MetricColumn.of(evaluator.columns(), integers::contains);
        List<String> names = evaluator.columns();
        int objectiveColumn = names.indexOf("leader_objective");
        int exactColumn = names.indexOf(objective.discounted() ? "exact_leader_return_discounted"
                : "exact_leader_return_undiscounted");
        int optimalColumn = names.indexOf("leader_objective_optimal_follower");
        int window = Math.min(config.integer("last_window"), Math.max(iterations, 1));
        WindowMean objectiveTail = new WindowMean();
        WindowMean exactTail = new WindowMean();
        WindowMean optimalTail = new WindowMean();
        double[] first = {Double.NaN};
        double[] last = {Double.NaN};
        if (learner != null) { // it learns before the leader first moves (restored on a resume)
            episodes.play(leader.decision(), learner, false, config.integer("follower.warmup_episodes"), null, null,
                    sampling);
        }
        Ending ending = new RecordedLoop(directory, progress).run(config, describe(config), columns, loop,
                new RunState(follower, Stateful.of(leader, collector, Stateful.streams(evaluation))), iterations,
                sampling, sampling, evaluator, (it, row) -> {
                    double value = row[objectiveColumn];
                    if (!Double.isNaN(value)) {
                        if (Double.isNaN(first[0])) {
                            first[0] = value;
                        }
                        last[0] = value;
                    }
                    if (it >= iterations - window) {
                        objectiveTail.add(value);
                        exactTail.add(row[exactColumn]);
                        if (optimalColumn >= 0) {
                            optimalTail.add(row[optimalColumn]);
                        }
                    }
                    if ((it + 1) % 10 == 0 || it + 1 == iterations) {
                        progress.step(it + 1, String.format(Locale.ROOT, "objective %.3f", last[0]));
                    }
                });
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("problem", problem());
        summary.put("variant", config.string("variant"));
        summary.put("method", config.string("method"));
        summary.put("off_policy", offPolicy);
        summary.put("seed", config.longInt("seed"));
        summary.put("iterations", iterations);
        summary.put("status", ending.status());
        if (!ending.isCompleted()) {
            summary.put("error", ending.message());
        }
        summary.put("leader_objective_meaning", config.optionalString("evaluation.objective").orElseThrow() + " leader return over "
                + config.integer("horizon") + " steps");
        summary.put("leader_objective_initial", first[0]);
        summary.put("leader_objective_final", last[0]);
        boolean complete = ending.isCompleted() && iterations > 0;
        summary.put("leader_objective_last_window", complete ? objectiveTail.mean() : Double.NaN);
        summary.put("exact_leader_return_last_window", complete ? exactTail.mean() : Double.NaN);
        if (optimalColumn >= 0) {
            summary.put("leader_objective_optimal_follower_last_window", complete ? optimalTail.mean() : Double.NaN);
        }
        summary.put("last_window", window);
        double[] policy = leader.decision();
        summary.put("final_leader_p0_at_A", policy[DiscreteToy4.A * game.leaderActions()]);
        if (directory != null) {
            directory.writeVector("final_leader_policy.txt", policy);
            directory.writeSummary(summary);
        }
        ending.rethrow();
        return summary;
    }
}
