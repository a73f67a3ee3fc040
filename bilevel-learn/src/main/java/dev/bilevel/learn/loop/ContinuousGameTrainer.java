package dev.bilevel.learn.loop;

import dev.bilevel.core.game.ContinuousMarkovGame;
import dev.bilevel.core.lqr.LeaderAwareLqrSolution;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.follower.planning.MaxEntLqrGameFollower;
import dev.bilevel.learn.loop.GameTrainer.Objective;
import dev.bilevel.learn.leader.ContinuousGameLeader;
import dev.bilevel.learn.leader.LinearGaussianPolicy;
import dev.bilevel.learn.sampling.ContinuousGameSampler;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The outer loop of a linear-Gaussian leader against the MaxEnt-LQR follower (reference-markov-game.md §3.1,
 * {@code BCHG_Opt.train}): the follower is solved once before any sampling; then each iteration plays
 * episodes with the current policies into the replay buffer (the leader's actions {@code N(0, I)} while the
 * total step count is at most {@code exploreSteps}, the reference's {@code <=}, §7.8), updates the leader
 * once the buffer holds {@code minBufferSize} transitions, re-solves the follower against the updated leader,
 * and evaluates: a Monte-Carlo leader return over fresh episodes with both policies stochastic (discounted by
 * {@code γ_L} and undiscounted, the reference's {@code AverageDiscountedTargetReturn} /
 * {@code AverageTargetReturn}) and, given an exact evaluator, the expected returns of the same policies.
 */
public final class ContinuousGameTrainer {

    /**
     * Loop settings.
     *
     * @param iterations outer iterations
     * @param episodesPerIteration training episodes per iteration
     * @param horizon steps per episode
     * @param replayCapacity replay size (one iteration's transitions for on-policy)
     * @param minBufferSize leader updates start once the buffer holds this many transitions
     * @param exploreSteps {@code N(0, I)} leader actions while the total training steps are {@code ≤} this
     *     ({@code −1}: never)
     * @param evaluationInterval evaluate every this many iterations (other rows hold NaN)
     * @param evaluationEpisodes Monte-Carlo evaluation episodes
     * @param objective what {@code leader_objective} reports
     * @param referenceSubsequenceEdge reproduce the reference buffer's subsequence edge case (§7.6)
     */
    public record Settings(int iterations, int episodesPerIteration, int horizon, int replayCapacity,
            int minBufferSize, long exploreSteps, int evaluationInterval, int evaluationEpisodes, Objective objective,
            boolean referenceSubsequenceEdge) {

        /** Checks ranges, naming the config key. */
        public Settings {
            if (iterations < 0) {
                throw new IllegalArgumentException("iterations: must be ≥ 0, got " + iterations);
            }
            if (episodesPerIteration < 1) {
                throw new IllegalArgumentException("episodes: must be ≥ 1, got " + episodesPerIteration);
            }
            if (horizon < 1) {
                throw new IllegalArgumentException("horizon: must be ≥ 1, got " + horizon);
            }
            if (replayCapacity < 1) {
                throw new IllegalArgumentException("replay.capacity: must be ≥ 1, got " + replayCapacity);
            }
            if (evaluationInterval < 1 || evaluationEpisodes < 1) {
                throw new IllegalArgumentException("evaluation.interval / evaluation.episodes: must be ≥ 1");
            }
        }
    }

    /** The exact expected leader return of a leader policy and a follower solution (see {@code LqrGame}). */
    @FunctionalInterface
    public interface ExactReturn {
        /**
         * @param gain {@code K}
         * @param noise {@code W}
         * @param follower the follower's policy
         * @param discount {@code γ} (1: undiscounted)
         * @param horizon steps
         */
        double value(double[] gain, double[] noise, LeaderAwareLqrSolution follower, double discount, int horizon);
    }

    /** Receives each iteration's metrics row, in {@link #columns()} order. */
    public interface Listener {
        void onIteration(int iteration, double[] row);
    }

    private final ContinuousMarkovGame game;
    private final ContinuousGameLeader leader;
    private final MaxEntLqrGameFollower follower;
    private final Settings settings;
    private final ExactReturn exact;
    private final ContinuousGameSampler sampler;
    private final List<String> columns;

    /**
     * @param game the game (for sampling; the leader sees only the follower's response)
     * @param exact the exact evaluator, or {@code null} (exact columns then hold NaN)
     */
    public ContinuousGameTrainer(ContinuousMarkovGame game, ContinuousGameLeader leader,
            MaxEntLqrGameFollower follower, Settings settings, ExactReturn exact) {
        if (settings.objective().exact() && exact == null) {
            throw new IllegalArgumentException("evaluation.objective: " + settings.objective().id()
                    + " needs an exact evaluator");
        }
        this.game = game;
        this.leader = leader;
        this.follower = follower;
        this.settings = settings;
        this.exact = exact;
        this.sampler = new ContinuousGameSampler(game, settings.horizon(), leader.settings().discount(),
                follower.model().discount());
        List<String> names = new ArrayList<>(List.of("iteration", "leader_objective", "leader_return_discounted",
                "leader_return_undiscounted", "exact_leader_return_discounted", "exact_leader_return_undiscounted",
                "follower_return_discounted", "train_leader_return", "critic_loss", "mean_q", "gradient_norm",
                "direct_norm", "response_norm", "mean_benefit", "mean_influence", "mean_subsequence_length",
                "follower_iterations", "follower_converged", "exploring", "total_env_steps"));
        int entries = leader.policy().gain().length;
        for (int k = 0; k < entries; k++) {
            names.add("K_" + (k + 1));
        }
        columns = List.copyOf(names);
    }

    /** The metrics columns ({@code K_1, K_2, …} are {@code K} row-major, the reference's names). */
    public List<String> columns() {
        return columns;
    }

    /**
     * Runs the loop.
     *
     * @param sampling draws training episodes and leader batches
     * @param evaluation draws evaluation episodes (a separate stream, so evaluating does not change training)
     * @throws ArithmeticException when the follower's problem becomes unsolvable or a value becomes NaN (the
     *     rows so far were delivered)
     */
    public void run(SplittableRandom sampling, SplittableRandom evaluation, Listener listener) {
        ContinuousReplayBuffer buffer = new ContinuousReplayBuffer(settings.replayCapacity(),
                leader.settings().discount(), settings.referenceSubsequenceEdge(), game.stateDimension(),
                game.followerActionDimension(), game.leaderActionDimension());
        double[] trainReturns = new double[4 * settings.episodesPerIteration()];
        double[] evalReturns = new double[4 * settings.evaluationEpisodes()];
        LinearGaussianPolicy policy = leader.policy();
        double[] noise = policy.noise();
        GaussianGameResponse response = solveFollower(policy, -1);
        long totalSteps = 0;
        double[] row = new double[columns.size()];
        double leaderDiscount = leader.settings().discount();
        for (int it = 0; it < settings.iterations(); it++) {
            boolean explore = settings.exploreSteps() >= 0 && totalSteps <= settings.exploreSteps();
            totalSteps += sampler.play(policy, response, explore, settings.episodesPerIteration(), buffer,
                    trainReturns, sampling);
            ContinuousGameLeader.Diagnostics d = ContinuousGameLeader.Diagnostics.NONE;
            if (buffer.size() >= settings.minBufferSize()) {
                d = leader.trainOnce(buffer, response, sampling);
            }
            response = solveFollower(policy, it);
            Arrays.fill(row, Double.NaN);
            int c = 0;
            row[c++] = it;
            c++; // leader_objective, filled below
            if ((it + 1) % settings.evaluationInterval() == 0) {
                sampler.play(policy, response, false, settings.evaluationEpisodes(), null, evalReturns,
                        evaluation);
                double mcDiscounted = GameTrainer.column(evalReturns, 0);
                double mcUndiscounted = GameTrainer.column(evalReturns, 1);
                double exactDiscounted = Double.NaN;
                double exactUndiscounted = Double.NaN;
                if (exact != null) {
                    exactDiscounted = exact.value(policy.gain(), noise, follower.solution(), leaderDiscount,
                            settings.horizon());
                    exactUndiscounted = exact.value(policy.gain(), noise, follower.solution(), 1.0,
                            settings.horizon());
                }
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
                row[c++] = GameTrainer.column(evalReturns, 2);
            } else {
                c += 5;
            }
            row[c++] = GameTrainer.column(trainReturns, 1);
            row[c++] = d.criticLoss();
            row[c++] = d.meanQ();
            row[c++] = d.gradientNorm();
            row[c++] = d.directNorm();
            row[c++] = d.responseNorm();
            row[c++] = d.meanBenefit();
            row[c++] = d.meanInfluence();
            row[c++] = d.meanSubsequenceLength();
            row[c++] = follower.solution().iterations();
            row[c++] = follower.solution().converged() ? 1 : 0;
            row[c++] = explore ? 1 : 0;
            row[c++] = totalSteps;
            for (double k : policy.gain()) {
                row[c++] = k;
            }
            listener.onIteration(it, row.clone());
        }
    }

    private GaussianGameResponse solveFollower(LinearGaussianPolicy policy, int iteration) {
        try {
            return follower.respond(policy);
        } catch (ArithmeticException e) {
            String when = iteration < 0 ? "before training" : "after the leader update of iteration " + iteration;
            throw new ArithmeticException(when + ": " + e.getMessage());
        }
    }
}
