package dev.bilevel.learn.loop;

import dev.bilevel.core.game.JointPolicy;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.core.text.Identifiers;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.follower.planning.TabularGameFollower;
import dev.bilevel.learn.leader.DiscreteGameLeader;
import dev.bilevel.learn.sampling.GameEpisodeSampler;
import dev.bilevel.learn.sampling.GammaReplayBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The outer loop of a neural leader against a tabular game follower (reference-markov-game.md §3.1).
 * Each iteration: play episodes with the current policies into the replay buffer (the leader's
 * actions uniform while the total step count is at most {@code exploreSteps}, as the reference's
 * {@code <=}), update the leader once the buffer holds {@code minBufferSize} transitions, re-solve
 * the follower against the updated leader, and evaluate every {@code evaluationInterval} iterations:
 * a Monte-Carlo leader return over fresh episodes (discounted by {@code γ_L} and undiscounted, as the
 * reference's {@code AverageDiscountedTargetReturn} / {@code AverageTargetReturn}) and the exact
 * expected returns of the current joint policy over the same horizon, plus, for a suboptimal
 * follower, the exact return against its converged best response.
 */
public final class GameTrainer {

    /** Which evaluation {@code leader_objective} reports. */
    public enum Objective {
        /** Monte-Carlo mean of {@code Σ_t γ_L^t r_L} over the evaluation episodes. */
        MC_DISCOUNTED,
        /** Monte-Carlo mean of {@code Σ_t r_L}. */
        MC_UNDISCOUNTED,
        /** Exact expectation of {@code Σ_{t<H} γ_L^t r_L} under the joint policy. */
        EXACT_DISCOUNTED,
        /** Exact expectation of {@code Σ_{t<H} r_L}. */
        EXACT_UNDISCOUNTED;

        /** The config value. */
        public String id() {
            return Identifiers.of(this);
        }

        /** Whether it needs an exact evaluator. */
        public boolean exact() {
            return this == EXACT_DISCOUNTED || this == EXACT_UNDISCOUNTED;
        }

        /** Whether it is the {@code γ_L}-discounted return. */
        public boolean discounted() {
            return this == MC_DISCOUNTED || this == EXACT_DISCOUNTED;
        }

        /** Parses a config value, naming {@code field} on failure. */
        public static Objective parse(String id, String field) {
            return Identifiers.parse(Objective.class, id, field, "objective");
        }
    }

    /**
     * Loop settings.
     *
     * @param iterations outer iterations
     * @param episodesPerIteration training episodes per iteration
     * @param replayCapacity replay buffer size (one iteration's transitions for on-policy)
     * @param minBufferSize leader updates start once the buffer holds this many transitions
     * @param exploreSteps uniform leader actions while the total training steps are {@code ≤} this
     *     ({@code −1}: never)
     * @param evaluationInterval evaluate every this many iterations (other rows hold NaN)
     * @param evaluationEpisodes Monte-Carlo evaluation episodes
     * @param objective what {@code leader_objective} reports
     * @param keyState a state whose {@code π_θ(0|s)} is logged ({@code −1}: none)
     * @param referenceSubsequenceEdge reproduce the reference buffer's subsequence edge case
     */
    public record Settings(int iterations, int episodesPerIteration, int replayCapacity, int minBufferSize,
            long exploreSteps, int evaluationInterval, int evaluationEpisodes, Objective objective, int keyState,
            boolean referenceSubsequenceEdge) {

        /** Checks ranges, naming the config key. */
        public Settings {
            if (iterations < 0) {
                throw new IllegalArgumentException("iterations: must be ≥ 0, got " + iterations);
            }
            if (episodesPerIteration < 1) {
                throw new IllegalArgumentException("episodes: must be ≥ 1, got " + episodesPerIteration);
            }
            if (replayCapacity < 1) {
                throw new IllegalArgumentException("replay.capacity: must be ≥ 1, got " + replayCapacity);
            }
            if (evaluationInterval < 1 || evaluationEpisodes < 1) {
                throw new IllegalArgumentException("evaluation.interval / evaluation.episodes: must be ≥ 1");
            }
        }
    }

    /** Receives each iteration's metrics row, in {@link #columns()} order. */
    public interface Listener {
        void onIteration(int iteration, double[] row);
    }

    private final MarkovGame game;
    private final GameEpisodeSampler sampler;
    private final DiscreteGameLeader leader;
    private final TabularGameFollower follower;
    private final Settings settings;
    private final List<String> columns;

    /**
     * @param game the game (for sampling and exact evaluation; the leader sees only the follower's response)
     * @param horizon steps per episode
     */
    public GameTrainer(MarkovGame game, int horizon, DiscreteGameLeader leader, TabularGameFollower follower,
            Settings settings, boolean suboptimalFollower) {
        this.game = game;
        this.sampler = new GameEpisodeSampler(game, horizon);
        this.leader = leader;
        this.follower = follower;
        this.settings = settings;
        List<String> names = new ArrayList<>(List.of("iteration", "leader_objective", "leader_return_discounted",
                "leader_return_undiscounted", "exact_leader_return_discounted", "exact_leader_return_undiscounted"));
        if (suboptimalFollower) {
            names.add("leader_objective_optimal_follower");
            names.add("kl_gap");
        }
        names.addAll(List.of("follower_return_discounted", "train_leader_return", "critic_loss", "mean_q",
                "gradient_norm", "direct_norm", "response_norm", "mean_benefit", "mean_subsequence_length",
                "follower_sweeps", "total_env_steps"));
        if (settings.keyState() >= 0) {
            names.add("leader_p0_key_state");
        }
        columns = List.copyOf(names);
    }

    /** The metrics columns. */
    public List<String> columns() {
        return columns;
    }

    /**
     * Runs the loop.
     *
     * @param sampling draws training episodes and leader batches
     * @param evaluation draws evaluation episodes (a separate stream, so evaluating does not change training)
     * @throws ArithmeticException when a value becomes NaN (the rows so far were delivered)
     */
    public void run(SplittableRandom sampling, SplittableRandom evaluation, Listener listener) {
        int horizon = sampler.horizon();
        GammaReplayBuffer buffer = new GammaReplayBuffer(settings.replayCapacity(), game.leaderDiscount(),
                settings.referenceSubsequenceEdge());
        double[] trainReturns = new double[4 * settings.episodesPerIteration()];
        double[] evalReturns = new double[4 * settings.evaluationEpisodes()];
        boolean suboptimal = columns.contains("kl_gap");
        long totalSteps = 0;
        double[] row = new double[columns.size()];
        TabularGameResponse response = follower.initialResponse(leader.policy());
        for (int it = 0; it < settings.iterations(); it++) {
            boolean explore = settings.exploreSteps() >= 0 && totalSteps <= settings.exploreSteps();
            totalSteps += sampler.play(leader.policy(), response, explore,
                    settings.episodesPerIteration(), buffer, trainReturns, sampling);
            DiscreteGameLeader.Diagnostics d = DiscreteGameLeader.Diagnostics.NONE;
            if (buffer.size() >= settings.minBufferSize()) {
                d = leader.trainOnce(buffer, response, sampling);
            }
            double[] policy = leader.policy();
            response = follower.respond(policy);
            java.util.Arrays.fill(row, Double.NaN);
            int c = 0;
            row[c++] = it;
            c++; // leader_objective, filled below
            if ((it + 1) % settings.evaluationInterval() == 0) {
                sampler.play(policy, response, false, settings.evaluationEpisodes(), null, evalReturns,
                        evaluation);
                double mcDiscounted = column(evalReturns, 0);
                double mcUndiscounted = column(evalReturns, 1);
                double exactDiscounted = exactReturn(policy, response, game.leaderDiscount(), horizon);
                double exactUndiscounted = exactReturn(policy, response, 1.0, horizon);
                row[c++] = mcDiscounted;
                row[c++] = mcUndiscounted;
                row[c++] = exactDiscounted;
                row[c++] = exactUndiscounted;
                row[1] = switch (settings.objective()) {
                    case MC_DISCOUNTED -> mcDiscounted;
                    case MC_UNDISCOUNTED -> mcUndiscounted;
                    case EXACT_DISCOUNTED -> exactDiscounted;
                    case EXACT_UNDISCOUNTED -> exactUndiscounted;
                };
                if (suboptimal) {
                    TabularGameResponse best = follower.optimalResponse();
                    row[c++] = switch (settings.objective()) {
                        case MC_DISCOUNTED, EXACT_DISCOUNTED ->
                                exactReturn(policy, best, game.leaderDiscount(), horizon);
                        case MC_UNDISCOUNTED, EXACT_UNDISCOUNTED -> exactReturn(policy, best, 1.0, horizon);
                    };
                    row[c++] = follower.optimalityGap();
                }
                row[c++] = column(evalReturns, 2);
            } else {
                c += suboptimal ? 7 : 5;
            }
            row[c++] = column(trainReturns, 1);
            row[c++] = d.criticLoss();
            row[c++] = d.meanQ();
            row[c++] = d.gradientNorm();
            row[c++] = d.directNorm();
            row[c++] = d.responseNorm();
            row[c++] = d.meanBenefit();
            row[c++] = d.meanSubsequenceLength();
            row[c++] = follower.solution().sweeps();
            row[c++] = totalSteps;
            if (settings.keyState() >= 0) {
                row[c++] = policy[settings.keyState() * game.leaderActions()];
            }
            for (double p : policy) {
                if (Double.isNaN(p)) {
                    listener.onIteration(it, row.clone());
                    throw new ArithmeticException("the leader's policy became NaN at iteration " + it);
                }
            }
            listener.onIteration(it, row.clone());
        }
    }

    /** The exact expected leader return over {@code horizon} steps (discount 1: undiscounted). */
    private double exactReturn(double[] leaderPolicy, TabularGameResponse response, double discount, int horizon) {
        double[] joint = JointPolicy.of(leaderPolicy, response.policy(), game.leaderActions(),
                game.followerActions());
        return PolicyEvaluation.finiteHorizonReturn(game.dynamics(), joint, game.leaderReward(), discount, horizon);
    }

    /**
     * The mean over episodes of one column of the samplers' per-episode returns (4 values per episode: leader
     * discounted, leader undiscounted, follower discounted, follower undiscounted).
     *
     * @param returns {@code [episodes·4]}
     * @param k the column
     * @return the mean
     */
    public static double column(double[] returns, int k) {
        double sum = 0.0;
        int n = returns.length / 4;
        for (int e = 0; e < n; e++) {
            sum += returns[4 * e + k];
        }
        return sum / n;
    }
}
