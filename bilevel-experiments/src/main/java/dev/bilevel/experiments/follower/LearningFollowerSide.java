package dev.bilevel.experiments.follower;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.experiments.config.Bound;
import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.evaluate.TabularEvaluator;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.learning.Exploration;
import dev.bilevel.learn.follower.learning.SoftActorCriticFollower;
import dev.bilevel.learn.follower.learning.SoftQLearningFollower;
import dev.bilevel.learn.follower.learning.TabularLearningFollower;
import dev.bilevel.learn.leader.DecisionLeader;
import dev.bilevel.learn.leader.ObservingLeader;
import dev.bilevel.learn.leader.TabularFollowerFit;
import dev.bilevel.learn.loop.Leader;
import dev.bilevel.learn.loop.Sampler;
import dev.bilevel.learn.sampling.LearningStream;
import dev.bilevel.learn.sampling.TabularBatch;
import java.util.List;

/**
 * The follower side of a tabular reward-design run that its config can make decentralised, shared by every job
 * that offers it (FourRooms, configurable-MDP problem files):
 * <ul>
 *   <li>{@code follower.behaviour: soft-q-learning} or {@code soft-actor-critic}: a follower that learns from its
 *       own experience, by soft Q-learning or by discrete soft actor-critic, in one environment stream on the model's kernel that never pauses
 *       ({@link LearningStream}); the leader records the stream;</li>
 *   <li>{@code follower.access: observed}: a leader that never sees the follower's answer and fits it from the
 *       stream instead ({@link ObservingLeader}, {@link TabularFollowerFit}).</li>
 * </ul>
 */
public final class LearningFollowerSide {

    /** The value of {@code follower.behaviour} that selects the soft Q-learning follower. */
    public static final String SOFT_Q_LEARNING = "soft-q-learning";

    /** The value of {@code follower.behaviour} that selects the soft actor-critic follower. */
    public static final String SOFT_ACTOR_CRITIC = "soft-actor-critic";

    /** The learning followers of a tabular MDP, as {@code follower.behaviour} names them. */
    public static final List<String> BEHAVIOURS = List.of(SOFT_Q_LEARNING, SOFT_ACTOR_CRITIC);

    private LearningFollowerSide() {
    }

    /**
     * Declares the keys every learning follower takes, in this order: {@code follower.learning_rate},
     * {@code follower.exploration}, {@code follower.exploration_final}, {@code follower.exploration_steps},
     * {@code follower.updates_per_step}, {@code follower.replay_capacity}.
     *
     * @param keys the schema being declared
     * @return {@code keys}
     */
    public static ConfigSchema.Builder learnerKeys(ConfigSchema.Builder keys) {
        return keys
                .real("follower.learning_rate", 0.5, new Bound(0.0, false, 1.0, true),
                        "a learning follower's step α of its soft Q-learning (soft-actor-critic: of its critic)")
                .real("follower.exploration", 0.1, Bound.closed(0.0, 1.0),
                        "a learning follower's probability ε of a uniformly random action (at its first step)")
                .real("follower.exploration_final", 0.0, Bound.closed(0.0, 1.0),
                        "with exploration_steps > 0: the ε it reaches after exploration_steps steps, and keeps")
                .integer("follower.exploration_steps", 0, 0, Integer.MAX_VALUE, "the environment steps over which"
                        + " the follower's ε falls linearly to exploration_final (0: ε stays at follower.exploration)")
                .integer("follower.updates_per_step", 1, 1, 1000, "a learning follower's own rate, updates per"
                        + " environment step (beyond the first, on transitions replayed from its memory)")
                .integer("follower.replay_capacity", 10_000, 1, 100_000_000,
                        "a learning follower with updates_per_step > 1: its memory, its last transitions");
    }

    /**
     * Declares the learning follower's keys ({@link #learnerKeys}, then {@code follower.warmup_steps}) and the
     * leader's access keys: {@code follower.access}, {@code leader.lambda_scale}, {@code leader.observation_decay},
     * {@code leader.observation_prior}, {@code leader.value_td_step}, {@code leader.lambda}.
     *
     * @param keys the schema being declared
     * @return {@code keys}
     */
    public static ConfigSchema.Builder keys(ConfigSchema.Builder keys) {
        return learnerKeys(keys)
                .real("follower.actor_step", 0.5, new Bound(0.0, false, 1.0, true), "soft-actor-critic: the"
                        + " actor's natural-gradient step β toward softmax(Q/α) (1: full soft policy improvement)")
                .real("follower.target_update", 0.005, new Bound(0.0, false, 1.0, true),
                        "soft-actor-critic: the Polyak rate τ of its target critic (1: no target critic)")
                .choice("follower.temperature", "fixed", List.of("fixed", "auto"), "soft-actor-critic: α fixed at"
                        + " the problem's λ, or tuned to hold the actor's entropy at follower.target_entropy")
                .real("follower.temperature_step", 0.001, Bound.POSITIVE,
                        "soft-actor-critic with temperature auto: the step of log α per update")
                .real("follower.target_entropy", 0.5, Bound.NON_NEGATIVE,
                        "soft-actor-critic with temperature auto: the actor's target entropy H̄ in nats (≤ log A)")
                .integer("follower.warmup_steps", 0, 0, Integer.MAX_VALUE,
                        "a learning follower: steps per stream it learns before the leader first looks")
                .choice("follower.access", "response", List.of("response", "observed"), "what the leader"
                        + " sees of the follower: its response (exact for planning followers, its current policy for a"
                        + " learning one), or only the stream (observed: the leader fits π̂_F by counts and V̂_F by"
                        + " soft TD)")
                .real("leader.lambda_scale", 1.0, Bound.POSITIVE,
                        "observed: the λ the leader assumes, as a multiple of the one the follower announces")
                .choice("leader.lambda", "announced", List.of("announced", "fitted"), "observed: the λ the leader"
                        + " uses, the announced one (times leader.lambda_scale), or fitted to the stream by the TD"
                        + " consistency of π̂_F and V̂_F, starting from the announced one times leader.lambda_scale")
                .real("leader.observation_decay", 0.99, new Bound(0.0, false, 1.0, true),
                        "observed: factor on the action counts per 100 observed transitions (forgets a follower that"
                                + " changed; 0.99: a memory of about 10,000 transitions)")
                .real("leader.observation_prior", 0.1, Bound.POSITIVE,
                        "observed: pseudo-count per action of the fitted follower policy")
                .real("leader.value_td_step", 0.1, new Bound(0.0, false, 1.0, true),
                        "observed: soft TD step of the fitted follower value");
    }

    /**
     * The follower's exploration schedule of a config with {@link #learnerKeys}.
     *
     * @param config the config
     * @return {@code follower.exploration} falling to {@code follower.exploration_final} over
     *     {@code follower.exploration_steps} steps
     */
    public static Exploration exploration(ResolvedConfig config) {
        return new Exploration(config.real("follower.exploration"), config.real("follower.exploration_final"),
                config.integer("follower.exploration_steps"));
    }

    /**
     * Whether the config asks for a learning follower.
     *
     * @param config a config with {@code follower.behaviour}
     * @return true for one of {@link #BEHAVIOURS}
     */
    public static boolean learns(ResolvedConfig config) {
        return BEHAVIOURS.contains(config.string("follower.behaviour"));
    }

    /**
     * Whether the config gives the leader observed-only access.
     *
     * @param config a config with {@link #keys}
     * @return true for {@code follower.access: observed}
     */
    public static boolean observes(ResolvedConfig config) {
        return config.string("follower.access").equals("observed");
    }

    /**
     * A learning follower and the stream it learns in.
     *
     * @param learner the follower
     * @param stream the environment it acts in
     * @param evaluator the rows of a run against it (the leader's value of the policy it plays, of its best
     *     response, and the gap)
     * @param sampler what the leader records each iteration: {@code streamLength} steps of every stream, under the
     *     leader's current decision
     * @param warmUpSteps steps per stream it learns before the leader first looks
     * @param model the model it learns on
     */
    public record Learning(TabularLearningFollower learner, LearningStream stream,
            TabularEvaluator<TabularResponse> evaluator, Sampler<double[], TabularResponse, TabularBatch> sampler,
            int warmUpSteps, ConfigurableMdp model) {

        /**
         * Lets the follower learn under the leader's first decision before the leader first looks (nothing is
         * recorded; a resumed run restores the stream after it).
         *
         * @param x0 the leader's first decision
         * @param rng the environment's randomness
         */
        public void warmUp(double[] x0, SplitMixRandom rng) {
            stream.warmUp(model.followerReward().evaluate(x0), warmUpSteps, rng);
        }
    }

    /**
     * Builds the learning follower of a config ({@link SoftQLearningFollower} or {@link SoftActorCriticFollower}). The stream runs on the model's kernel, the one the objective and the
     * exact gradients use, so that the follower's fixed point is the optimum the rows compare it with.
     *
     * @param model the model
     * @param config a config with {@link #keys}
     * @param maxEpisodeSteps the time limit per episode
     * @param streams environments side by side
     * @param streamLength steps per stream the leader records each iteration
     * @param rng the follower's randomness
     * @param accuracy whether the evaluator logs the estimate's cosines to the exact hypergradient
     * @return the follower, its stream and its evaluator
     */
    public static Learning learning(ConfigurableMdp model, ResolvedConfig config, int maxEpisodeSteps, int streams,
            int streamLength, SplitMixRandom rng, boolean accuracy) {
        TabularLearningFollower learner = learner(model, config, rng);
        LearningStream stream = new LearningStream(model.dynamics(), maxEpisodeSteps, learner, streams);
        return new Learning(learner, stream, TabularEvaluator.ofLearner(model, learner, accuracy),
                (x, response, random) -> stream.sample(model.followerReward().evaluate(x), streamLength, random),
                config.integer("follower.warmup_steps"), model);
    }

    /** The follower {@code follower.behaviour} names, with its keys. */
    private static TabularLearningFollower learner(ConfigurableMdp model, ResolvedConfig config, SplitMixRandom rng) {
        if (config.string("follower.behaviour").equals(SOFT_ACTOR_CRITIC)) {
            boolean automatic = config.string("follower.temperature").equals("auto");
            return new SoftActorCriticFollower(model.states(), model.actions(), model.temperature(),
                    model.followerDiscount(), config.real("follower.learning_rate"), config.real("follower.actor_step"),
                    config.real("follower.target_update"), exploration(config),
                    automatic ? config.real("follower.temperature_step") : 0.0, config.real("follower.target_entropy"),
                    config.integer("follower.updates_per_step"), config.integer("follower.replay_capacity"), rng);
        }
        return new SoftQLearningFollower(model.states(), model.actions(), model.temperature(), model.followerDiscount(),
                config.real("follower.learning_rate"), exploration(config), config.integer("follower.updates_per_step"),
                config.integer("follower.replay_capacity"), rng);
    }

    /**
     * The leader the loop runs: {@code leader} itself, or with {@code follower.access: observed} a leader that drops
     * the follower's answer and hands {@code leader} the response it fits to the stream.
     *
     * @param leader the leader whose estimator runs
     * @param model the model (the fit takes its sizes, the follower's announced λ and γ_F, and the follower's
     *     reward as the environment emits it)
     * @param config a config with {@link #keys}
     * @return the leader and its state
     */
    public static LeaderSide leader(DecisionLeader<TabularResponse, TabularBatch> leader, ConfigurableMdp model,
            ResolvedConfig config) {
        if (!observes(config)) {
            return new LeaderSide(leader, leader);
        }
        ObservingLeader observing = new ObservingLeader(leader, new TabularFollowerFit(model.states(), model.actions(),
                model.temperature() * config.real("leader.lambda_scale"), model.followerDiscount(),
                config.real("leader.observation_decay"), config.real("leader.observation_prior"),
                config.real("leader.value_td_step"), config.string("leader.lambda").equals("fitted")),
                x -> model.followerReward().evaluate(x));
        return new LeaderSide(observing, observing);
    }

    /**
     * The leader a loop runs and what a checkpoint saves of it.
     *
     * @param leader the leader
     * @param state its state
     */
    public record LeaderSide(Leader<double[], TabularResponse, TabularBatch, DecisionLeader.Update> leader,
            Stateful state) {
    }
}
