package dev.bilevel.learn.sampling;

import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.follower.learning.GameLearner;
import java.util.function.IntBinaryOperator;

/**
 * Plays two-player episodes of a tabular Markov game: in each state the leader draws
 * {@code b ~ π_θ(·|s)} (or uniformly while exploring), the follower observes {@code b} and draws
 * {@code a ~ π_F(·|s,b)}, both rewards are paid on {@code (s,b,a)} and the state moves to
 * {@code s' ~ P(·|s,b,a)}. An episode ends after a step taken in a terminal state
 * ({@code terminated}) or after {@code horizon} steps ({@code truncated}; the successor is still drawn,
 * so a critic may bootstrap from it as the reference does).
 */
public final class GameEpisodeSampler {

    private final MarkovGame game;
    private final int horizon;

    /**
     * @param game the game
     * @param horizon steps per episode
     */
    public GameEpisodeSampler(MarkovGame game, int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be ≥ 1, got " + horizon);
        }
        this.game = game;
        this.horizon = horizon;
    }

    /** Steps per episode. */
    public int horizon() {
        return horizon;
    }

    /**
     * Plays {@code episodes} episodes and appends every transition to {@code buffer} (may be
     * {@code null}), episode after episode.
     *
     * @param leaderPolicy {@code π_θ(b|s)} at {@code [s·B + b]}
     * @param follower the follower's observable policy
     * @param exploreLeader draw the leader's actions uniformly instead of from {@code leaderPolicy}
     * @param returns receives per episode {@code [Σ γ_L^t r_L, Σ r_L, Σ γ_F^t r_F, Σ r_F]}, row-major
     *     (length {@code 4·episodes}), or {@code null}
     * @return the number of transitions played
     */
    public int play(double[] leaderPolicy, TabularGameResponse follower, boolean exploreLeader, int episodes,
            GammaReplayBuffer buffer, double[] returns, SplitMixRandom rng) {
        int nb = game.leaderActions();
        int na = game.followerActions();
        double[] followerPolicy = follower.policy();
        return play(leaderPolicy, (s, b) -> draw(followerPolicy, (s * nb + b) * na, na, rng), null, exploreLeader,
                episodes, buffer, returns, rng);
    }

    /**
     * Plays {@code episodes} episodes with a follower that acts by its own choice and learns from every
     * transition as it happens, appending them to {@code buffer} (may be {@code null}) as {@link #play(double[],
     * TabularGameResponse, boolean, int, GammaReplayBuffer, double[], SplitMixRandom)} does.
     *
     * @param leaderPolicy {@code π_θ(b|s)} at {@code [s·B + b]}
     * @param learner the follower
     * @param exploreLeader draw the leader's actions uniformly instead of from {@code leaderPolicy}
     * @param episodes episodes to play
     * @param buffer receives the transitions, or {@code null}
     * @param returns receives the returns as in the other {@code play}, or {@code null}
     * @param rng the environment's randomness (the learner draws its actions from its own)
     * @return the number of transitions played
     */
    public int play(double[] leaderPolicy, GameLearner learner, boolean exploreLeader, int episodes,
            GammaReplayBuffer buffer, double[] returns, SplitMixRandom rng) {
        return play(leaderPolicy, learner::act, learner, exploreLeader, episodes, buffer, returns, rng);
    }

    private int play(double[] leaderPolicy, IntBinaryOperator followerAction, GameLearner learner,
            boolean exploreLeader, int episodes, GammaReplayBuffer buffer, double[] returns, SplitMixRandom rng) {
        TabularDynamics dynamics = game.dynamics();
        int nb = game.leaderActions();
        int na = game.followerActions();
        double[] initial = dynamics.initialDistribution();
        int steps = 0;
        for (int e = 0; e < episodes; e++) {
            int s = draw(initial, 0, initial.length, rng);
            double leaderDiscounted = 0.0;
            double leaderTotal = 0.0;
            double followerDiscounted = 0.0;
            double followerTotal = 0.0;
            double leaderWeight = 1.0;
            double followerWeight = 1.0;
            for (int t = 0; t < horizon; t++) {
                int b = exploreLeader ? rng.nextInt(nb) : draw(leaderPolicy, s * nb, nb, rng);
                int a = followerAction.applyAsInt(s, b);
                int row = (s * nb + b) * na + a;
                double rl = game.leaderReward(row);
                double rf = game.followerReward(row);
                int next = drawSuccessor(dynamics, row, rng);
                boolean terminated = dynamics.isTerminal(s);
                boolean lastStep = terminated || t == horizon - 1;
                if (buffer != null) {
                    buffer.add(s, b, a, rl, rf, next, terminated, lastStep, t);
                }
                if (learner != null) {
                    learner.learn(s, b, a, rf, next, terminated);
                }
                leaderDiscounted += leaderWeight * rl;
                leaderTotal += rl;
                followerDiscounted += followerWeight * rf;
                followerTotal += rf;
                leaderWeight *= game.leaderDiscount();
                followerWeight *= game.followerDiscount();
                steps++;
                if (lastStep) {
                    break;
                }
                s = next;
            }
            if (returns != null) {
                returns[4 * e] = leaderDiscounted;
                returns[4 * e + 1] = leaderTotal;
                returns[4 * e + 2] = followerDiscounted;
                returns[4 * e + 3] = followerTotal;
            }
        }
        return steps;
    }

    private static int drawSuccessor(TabularDynamics dynamics, int row, SplitMixRandom rng) {
        int start = dynamics.rowStart(row);
        int end = dynamics.rowStart(row + 1);
        double u = rng.nextDouble();
        for (int k = start; k < end - 1; k++) {
            u -= dynamics.probability(k);
            if (u < 0.0) {
                return dynamics.successor(k);
            }
        }
        return dynamics.successor(end - 1);
    }

    public static int draw(double[] p, int offset, int n, SplitMixRandom rng) {
        double u = rng.nextDouble();
        for (int k = 0; k < n - 1; k++) {
            u -= p[offset + k];
            if (u < 0.0) {
                return k;
            }
        }
        return n - 1;
    }
}
