package dev.bilevel.learn.sampling;

import dev.bilevel.core.game.ContinuousMarkovGame;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.policy.LinearGaussianPolicy;

/**
 * Plays two-player episodes of a continuous Markov game: in each state the leader draws
 * {@code a_L ~ π_θ(·|x)} (or {@code N(0, I)} while exploring, the reference's action-space sampler for an
 * unbounded box), the follower observes it and draws {@code a_F ~ π_F(·|x, a_L)}, both rewards are paid on
 * the pre-transition state and the state moves on. An episode ends after a step taken in a terminal state
 * ({@code terminated}) or after {@code horizon} steps ({@code truncated}; the successor is still computed, so
 * a critic may bootstrap from it as the reference does). Scratch is allocated once.
 */
public final class ContinuousGameSampler {

    private final ContinuousMarkovGame game;
    private final int horizon;
    private final double leaderDiscount;
    private final double followerDiscount;
    private final double[] state;
    private final double[] next;
    private final double[] leaderAction;
    private final double[] followerAction;

    /**
     * @param game the game
     * @param horizon steps per episode
     * @param leaderDiscount {@code γ_L} of the reported discounted leader return
     * @param followerDiscount {@code γ_F} of the reported discounted follower return
     */
    public ContinuousGameSampler(ContinuousMarkovGame game, int horizon, double leaderDiscount,
            double followerDiscount) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon: must be ≥ 1, got " + horizon);
        }
        this.game = game;
        this.horizon = horizon;
        this.leaderDiscount = leaderDiscount;
        this.followerDiscount = followerDiscount;
        state = new double[game.stateDimension()];
        next = new double[game.stateDimension()];
        leaderAction = new double[game.leaderActionDimension()];
        followerAction = new double[game.followerActionDimension()];
    }

    /**
     * Plays {@code episodes} episodes and appends every transition to {@code buffer} (may be {@code null}),
     * episode after episode.
     *
     * @param exploreLeader draw the leader's actions from {@code N(0, I)} instead of {@code leader}
     * @param returns receives per episode {@code [Σ γ_L^t r_L, Σ r_L, Σ γ_F^t r_F, Σ r_F]}, row-major (length
     *     {@code 4·episodes}), or {@code null}
     * @return the number of transitions played
     */
    public int play(LinearGaussianPolicy leader, GaussianGameResponse follower, boolean exploreLeader,
            int episodes, ContinuousReplayBuffer buffer, double[] returns, SplitMixRandom rng) {
        int steps = 0;
        int l = leaderAction.length;
        for (int e = 0; e < episodes; e++) {
            game.reset(rng, state, 0);
            double leaderDiscounted = 0.0;
            double leaderTotal = 0.0;
            double followerDiscounted = 0.0;
            double followerTotal = 0.0;
            double leaderWeight = 1.0;
            double followerWeight = 1.0;
            for (int t = 0; t < horizon; t++) {
                if (exploreLeader) {
                    for (int k = 0; k < l; k++) {
                        leaderAction[k] = rng.nextGaussian();
                    }
                } else {
                    leader.sample(state, 0, rng, leaderAction, 0);
                }
                follower.sample(state, 0, leaderAction, 0, rng, followerAction, 0);
                double rl = game.leaderReward(state, 0, leaderAction, 0, followerAction, 0);
                double rf = game.followerReward(state, 0, leaderAction, 0, followerAction, 0);
                game.step(state, 0, leaderAction, 0, followerAction, 0, rng, next, 0);
                boolean terminated = game.isTerminal(state, 0);
                boolean lastStep = terminated || t == horizon - 1;
                if (buffer != null) {
                    buffer.add(state, 0, leaderAction, 0, followerAction, 0, rl, rf, next, 0, terminated, lastStep, t);
                }
                leaderDiscounted += leaderWeight * rl;
                leaderTotal += rl;
                followerDiscounted += followerWeight * rf;
                followerTotal += rf;
                leaderWeight *= leaderDiscount;
                followerWeight *= followerDiscount;
                steps++;
                if (lastStep) {
                    break;
                }
                System.arraycopy(next, 0, state, 0, state.length);
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
}
