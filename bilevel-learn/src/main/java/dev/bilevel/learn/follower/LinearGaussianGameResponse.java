package dev.bilevel.learn.follower;

import dev.bilevel.core.math.StackedForms;
import dev.bilevel.core.random.SplitMixRandom;

/**
 * The observable response of a MaxEnt-LQR game follower (reference-markov-game.md §2.3): the Gaussian policy
 * {@code N(G·[x; a_L], Σ)}, linear in the state and the leader's action, and the quadratic soft value
 * {@code W_F(x, a_L) = −([x; a_L]ᵀ M [x; a_L] + v)}, with {@code β} and {@code γ_F}. Only these arrays cross the
 * boundary; the follower's Riccati solution stays with the follower. Immutable and thread-safe.
 */
public final class LinearGaussianGameResponse implements GaussianGameResponse {

    private final int n;
    private final int m;
    private final int l;
    private final double[] meanGain;
    private final double[] valueQuadratic;
    private final double valueOffset;
    private final double[] sigmaCholesky;
    private final double temperature;
    private final double discount;

    /**
     * @param stateDimension {@code n}
     * @param followerActionDimension {@code m}
     * @param leaderActionDimension {@code l}
     * @param meanGain {@code G}, {@code m×(n+l)} row-major (copied)
     * @param valueQuadratic {@code M}, {@code (n+l)×(n+l)} row-major (copied)
     * @param valueOffset {@code v}
     * @param sigmaCholesky the lower Cholesky factor of {@code Σ}, {@code m×m} (copied)
     * @param temperature {@code β}
     * @param discount {@code γ_F}
     */
    public LinearGaussianGameResponse(int stateDimension, int followerActionDimension, int leaderActionDimension,
            double[] meanGain, double[] valueQuadratic, double valueOffset, double[] sigmaCholesky,
            double temperature, double discount) {
        int d = stateDimension + leaderActionDimension;
        if (meanGain.length != followerActionDimension * d || valueQuadratic.length != d * d
                || sigmaCholesky.length != followerActionDimension * followerActionDimension) {
            throw new IllegalArgumentException("mean gain, value form or covariance factor does not match n = "
                    + stateDimension + ", m = " + followerActionDimension + ", l = " + leaderActionDimension);
        }
        this.n = stateDimension;
        this.m = followerActionDimension;
        this.l = leaderActionDimension;
        this.meanGain = meanGain.clone();
        this.valueQuadratic = valueQuadratic.clone();
        this.valueOffset = valueOffset;
        this.sigmaCholesky = sigmaCholesky.clone();
        this.temperature = temperature;
        this.discount = discount;
    }

    /** {@code G}, the policy mean's gain, {@code m×(n+l)} row-major (a copy): part of the observed policy. */
    public double[] meanGain() {
        return meanGain.clone();
    }

    /** The lower Cholesky factor of the policy's covariance {@code Σ}, {@code m×m} (a copy). */
    public double[] covarianceCholesky() {
        return sigmaCholesky.clone();
    }

    @Override
    public double temperature() {
        return temperature;
    }

    @Override
    public double discount() {
        return discount;
    }

    @Override
    public void mean(double[] x, int xOffset, double[] leaderAction, int leaderOffset, double[] out, int outOffset) {
        StackedForms.affine(meanGain, m, n, l, x, xOffset, leaderAction, leaderOffset, out, outOffset);
    }

    @Override
    public void sample(double[] x, int xOffset, double[] leaderAction, int leaderOffset, SplitMixRandom rng,
            double[] out, int outOffset) {
        mean(x, xOffset, leaderAction, leaderOffset, out, outOffset);
        if (m == 1) {
            out[outOffset] += sigmaCholesky[0] * rng.nextGaussian();
            return;
        }
        double[] z = new double[m];
        for (int i = 0; i < m; i++) {
            z[i] = rng.nextGaussian();
        }
        for (int i = 0; i < m; i++) {
            double sum = 0.0;
            for (int k = 0; k <= i; k++) {
                sum += sigmaCholesky[i * m + k] * z[k];
            }
            out[outOffset + i] += sum;
        }
    }

    @Override
    public void sampleMany(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            SplitMixRandom rng, double[] out, int count, int width) {
        if (width != 1) {
            GaussianGameResponse.super.sampleMany(x, xOffset, leaderAction, leaderOffset, rng, out, count, width);
            return;
        }
        // One mean for all draws; the same values as count single draws.
        mean(x, xOffset, leaderAction, leaderOffset, out, 0);
        double mean = out[0];
        double scale = sigmaCholesky[0];
        for (int j = 0; j < count; j++) {
            out[j] = mean + scale * rng.nextGaussian();
        }
    }

    /** The closed form: the mean is linear in {@code (x, a_L)}, its Jacobian is {@code G}. */
    @Override
    public void meanJacobian(double[] x, int xOffset, double[] leaderAction, int leaderOffset, int n, int l, int m,
            double[] out) {
        System.arraycopy(meanGain, 0, out, 0, meanGain.length);
    }

    @Override
    public double softValue(double[] x, int xOffset, double[] leaderAction, int leaderOffset) {
        return -(StackedForms.quadratic(valueQuadratic, n, l, x, xOffset, leaderAction, leaderOffset) + valueOffset);
    }
}
