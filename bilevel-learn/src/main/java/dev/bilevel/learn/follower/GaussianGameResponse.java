package dev.bilevel.learn.follower;

import dev.bilevel.core.random.SplitMixRandom;

/**
 * What the leader may observe of a continuous-action game follower: its Gaussian policy {@code π_F(·|x, a_L)}
 * (mean and draws), its soft value after seeing the leader's action {@code W_F(x, a_L)}, its temperature
 * {@code β} and discount {@code γ_F}. Vectors are read and written at offsets of flat arrays. The one
 * response kind open to other implementations (a fitted or remote follower, a test's analytic stand-in);
 * {@link LinearGaussianGameResponse} is the MaxEnt-LQR follower's.
 */
public non-sealed interface GaussianGameResponse extends FollowerResponse {

    /** Writes the policy's mean (its mode) at {@code (x, a_L)} into {@code out[outOffset…]}. */
    void mean(double[] x, int xOffset, double[] leaderAction, int leaderOffset, double[] out, int outOffset);

    /** Draws {@code a_F ~ π_F(·|x, a_L)} into {@code out[outOffset…]}. */
    void sample(double[] x, int xOffset, double[] leaderAction, int leaderOffset, SplitMixRandom rng,
            double[] out, int outOffset);

    /**
     * Draws {@code count} actions {@code a_F ~ π_F(·|x, a_L)} into {@code out}, row-major {@code [count][m]}, in
     * the order of {@code count} calls of {@link #sample}.
     */
    default void sampleMany(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            SplitMixRandom rng, double[] out, int count, int width) {
        for (int j = 0; j < count; j++) {
            sample(x, xOffset, leaderAction, leaderOffset, rng, out, j * width);
        }
    }

    /**
     * Writes the Jacobian of the policy mean {@code [∂μ/∂x | ∂μ/∂a_L]} at {@code (x, a_L)}, {@code m×(n+l)}
     * row-major. The default takes central differences of {@link #mean} with steps {@code 10⁻⁶·max(1, |v|)}
     * and allocates; implementations with a closed form override it.
     *
     * @param n {@code dim x}
     * @param l {@code dim a_L}
     * @param m {@code dim a_F}
     */
    default void meanJacobian(double[] x, int xOffset, double[] leaderAction, int leaderOffset, int n, int l, int m,
            double[] out) {
        double[] xs = java.util.Arrays.copyOfRange(x, xOffset, xOffset + n);
        double[] as = java.util.Arrays.copyOfRange(leaderAction, leaderOffset, leaderOffset + l);
        double[] plus = new double[m];
        double[] minus = new double[m];
        for (int c = 0; c < n + l; c++) {
            double[] v = c < n ? xs : as;
            int k = c < n ? c : c - n;
            double saved = v[k];
            double h = 1e-6 * Math.max(1.0, Math.abs(saved));
            v[k] = saved + h;
            mean(xs, 0, as, 0, plus, 0);
            v[k] = saved - h;
            mean(xs, 0, as, 0, minus, 0);
            v[k] = saved;
            for (int r = 0; r < m; r++) {
                out[r * (n + l) + c] = (plus[r] - minus[r]) / (2 * h);
            }
        }
    }

    /** {@code W_F(x, a_L)}, the follower's soft value having seen the leader's action. */
    double softValue(double[] x, int xOffset, double[] leaderAction, int leaderOffset);
}
