package dev.bilevel.core.game;

import dev.bilevel.core.random.SplitMixRandom;

/**
 * A two-player Markov game with continuous states and actions, the leader moving first in every step: in
 * state {@code x} the leader plays {@code a_L}, the follower observes it and plays {@code a_F}, both are
 * rewarded on the pre-transition state and the state moves to {@code x'}. Vectors are flat arrays read
 * from and written at offsets, so samplers allocate nothing per step.
 */
public interface ContinuousMarkovGame {

    /** {@code dim x}. */
    int stateDimension();

    /** {@code dim a_L}. */
    int leaderActionDimension();

    /** {@code dim a_F}. */
    int followerActionDimension();

    /** Writes an initial state into {@code out[offset…]}. */
    void reset(SplitMixRandom rng, double[] out, int offset);

    /**
     * Writes the successor of {@code x} under {@code (a_L, a_F)} into {@code next[nextOffset…]}; may draw
     * process noise from {@code rng}.
     */
    void step(double[] x, int xOffset, double[] leaderAction, int leaderOffset, double[] followerAction,
            int followerOffset, SplitMixRandom rng, double[] next, int nextOffset);

    /** {@code r_L(x, a_L, a_F)}. */
    double leaderReward(double[] x, int xOffset, double[] leaderAction, int leaderOffset, double[] followerAction,
            int followerOffset);

    /** {@code r_F(x, a_L, a_F)}. */
    double followerReward(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            double[] followerAction, int followerOffset);

    /** Whether an episode ends after a step taken in {@code x} (no bootstrapping); {@code false} by default. */
    default boolean isTerminal(double[] x, int xOffset) {
        return false;
    }
}
