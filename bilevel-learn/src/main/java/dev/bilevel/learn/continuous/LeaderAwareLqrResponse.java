package dev.bilevel.learn.continuous;

import dev.bilevel.core.lqr.LeaderAwareLqrSolution;
import java.util.SplittableRandom;

/**
 * The observable response of a MaxEnt-LQR follower (reference-markov-game.md §2.3): the Gaussian policy
 * {@code N(−K_x x − K_a C(a − Kx), Σ)} and the soft value {@code V_F(x, a) = −(…)} of a
 * {@link LeaderAwareLqrSolution}, with {@code β} and {@code γ_F}.
 *
 * @param solution the follower's solution
 * @param temperature {@code β}
 * @param discount {@code γ_F}
 */
public record LeaderAwareLqrResponse(LeaderAwareLqrSolution solution, double temperature, double discount)
        implements ContinuousFollowerResponse {

    @Override
    public void mean(double[] x, int xOffset, double[] leaderAction, int leaderOffset, double[] out, int outOffset) {
        solution.followerMean(x, xOffset, leaderAction, leaderOffset, out, outOffset);
    }

    @Override
    public void sample(double[] x, int xOffset, double[] leaderAction, int leaderOffset, SplittableRandom rng,
            double[] out, int outOffset) {
        solution.sampleFollower(x, xOffset, leaderAction, leaderOffset, rng, out, outOffset);
    }

    @Override
    public void sampleMany(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            SplittableRandom rng, double[] out, int count, int width) {
        if (width != 1) {
            ContinuousFollowerResponse.super.sampleMany(x, xOffset, leaderAction, leaderOffset, rng, out, count, width);
            return;
        }
        // One mean for all draws; the same values as count single draws.
        solution.followerMean(x, xOffset, leaderAction, leaderOffset, out, 0);
        double mean = out[0];
        double scale = solution.sigmaCholesky(0, 0);
        for (int j = 0; j < count; j++) {
            out[j] = mean + scale * rng.nextGaussian();
        }
    }

    /** The closed form: the mean is linear in {@code (x, a_L)}. */
    @Override
    public void meanJacobian(double[] x, int xOffset, double[] leaderAction, int leaderOffset, int n, int l, int m,
            double[] out) {
        solution.meanJacobian(out);
    }

    @Override
    public double softValue(double[] x, int xOffset, double[] leaderAction, int leaderOffset) {
        return solution.softValue(x, xOffset, leaderAction, leaderOffset);
    }
}
