package dev.bilevel.learn.continuous;

import java.util.SplittableRandom;

/**
 * What the leader may observe of a continuous-action game follower (design notes: the decentralized
 * assumption): its policy {@code π_F(·|x, a_L)} (mean and draws), its soft value after seeing the leader's
 * action {@code W_F(x, a_L)}, its temperature {@code β} and discount {@code γ_F}. Vectors are read and
 * written at offsets of flat arrays.
 */
public interface ContinuousFollowerResponse {

    /** {@code β}. */
    double temperature();

    /** {@code γ_F}. */
    double discount();

    /** Writes the policy's mean (its mode) at {@code (x, a_L)} into {@code out[outOffset…]}. */
    void mean(double[] x, int xOffset, double[] leaderAction, int leaderOffset, double[] out, int outOffset);

    /** Draws {@code a_F ~ π_F(·|x, a_L)} into {@code out[outOffset…]}. */
    void sample(double[] x, int xOffset, double[] leaderAction, int leaderOffset, SplittableRandom rng,
            double[] out, int outOffset);

    /**
     * Draws {@code count} actions {@code a_F ~ π_F(·|x, a_L)} into {@code out}, row-major {@code [count][m]}, in
     * the order of {@code count} calls of {@link #sample}.
     */
    default void sampleMany(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            SplittableRandom rng, double[] out, int count, int width) {
        for (int j = 0; j < count; j++) {
            sample(x, xOffset, leaderAction, leaderOffset, rng, out, j * width);
        }
    }

    /** {@code W_F(x, a_L)}, the follower's soft value having seen the leader's action. */
    double softValue(double[] x, int xOffset, double[] leaderAction, int leaderOffset);
}
