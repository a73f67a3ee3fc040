package dev.bilevel.learn.follower;

import dev.bilevel.core.random.SplitMixRandom;

/**
 * What the leader observes of a linear-Gaussian follower in a continuous configurable MDP (the soft-LQR
 * follower): its policy {@code u ~ N(−Kx, LLᵀ)} and its quadratic soft value {@code V_F(x) = −(xᵀPx + v)}, with
 * the temperature {@code β} and discount {@code γ_F}. Nothing of how the follower solved for them crosses this
 * line. Arrays are row-major, copied in and held for hot loops.
 */
public final class GaussianResponse implements FollowerResponse {

    private final int n;
    private final int m;
    private final double[] gain;
    private final double[] cholesky;
    private final double[] valueMatrix;
    private final double valueOffset;
    private final double temperature;
    private final double discount;

    /**
     * @param stateDimension {@code n}
     * @param actionDimension {@code m}
     * @param gain {@code K}, {@code m×n} (copied)
     * @param covarianceCholesky the lower Cholesky factor {@code L} of the policy covariance, {@code m×m} (copied)
     * @param valueMatrix {@code P}, {@code n×n} (copied)
     * @param valueOffset {@code v}
     * @param temperature {@code β}
     * @param discount {@code γ_F}
     */
    public GaussianResponse(int stateDimension, int actionDimension, double[] gain, double[] covarianceCholesky,
            double[] valueMatrix, double valueOffset, double temperature, double discount) {
        if (gain.length != actionDimension * stateDimension || covarianceCholesky.length != actionDimension
                * actionDimension || valueMatrix.length != stateDimension * stateDimension) {
            throw new IllegalArgumentException("gain, covariance factor or value matrix does not match n = "
                    + stateDimension + ", m = " + actionDimension);
        }
        this.n = stateDimension;
        this.m = actionDimension;
        this.gain = gain.clone();
        this.cholesky = covarianceCholesky.clone();
        this.valueMatrix = valueMatrix.clone();
        this.valueOffset = valueOffset;
        this.temperature = temperature;
        this.discount = discount;
    }

    /** @return the state dimension */
    public int stateDimension() {
        return n;
    }

    /** @return the action dimension */
    public int actionDimension() {
        return m;
    }

    /** @return {@code β} */
    @Override
    public double temperature() {
        return temperature;
    }

    /** @return {@code γ_F} */
    @Override
    public double discount() {
        return discount;
    }

    /**
     * Writes the policy mean {@code −Kx}.
     *
     * @param x the state, from {@code xOffset}
     * @param xOffset where the state starts
     * @param out receives the mean, {@code m} entries from {@code outOffset}
     * @param outOffset where to write
     */
    public void meanAction(double[] x, int xOffset, double[] out, int outOffset) {
        for (int i = 0; i < m; i++) {
            double s = 0.0;
            int row = i * n;
            for (int j = 0; j < n; j++) {
                s -= gain[row + j] * x[xOffset + j];
            }
            out[outOffset + i] = s;
        }
    }

    /**
     * Adds {@code sign·Lε} to an action, for a standard normal {@code ε} (pass the same {@code ε} with both
     * signs for an antithetic pair).
     *
     * @param eps {@code m} standard normal draws
     * @param sign {@code +1} or {@code −1}
     * @param out the action, {@code m} entries from {@code outOffset}, updated in place
     * @param outOffset where the action starts
     */
    public void addNoise(double[] eps, double sign, double[] out, int outOffset) {
        for (int i = 0; i < m; i++) {
            double s = 0.0;
            for (int j = 0; j <= i; j++) {
                s += cholesky[i * m + j] * eps[j];
            }
            out[outOffset + i] += sign * s;
        }
    }

    /**
     * Samples {@code u ~ N(−Kx, Σ)}.
     *
     * @param x the state, from {@code xOffset}
     * @param xOffset where the state starts
     * @param rng the random stream
     * @param eps scratch of length {@code m}
     * @param out receives the action from {@code outOffset}
     * @param outOffset where to write
     */
    public void sampleAction(double[] x, int xOffset, SplitMixRandom rng, double[] eps, double[] out,
            int outOffset) {
        meanAction(x, xOffset, out, outOffset);
        for (int i = 0; i < m; i++) {
            eps[i] = rng.nextGaussian();
        }
        addNoise(eps, 1.0, out, outOffset);
    }

    /**
     * @param mean the mean {@code μ} of a Gaussian state
     * @param noiseCovariance its covariance {@code W}, row-major {@code n×n}
     * @return {@code E V_F(x) = −(μᵀPμ + tr(PW) + v)} for {@code x ~ N(μ, W)}
     */
    public double expectedSoftValue(double[] mean, double[] noiseCovariance) {
        double trace = 0.0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                trace += valueMatrix[i * n + k] * noiseCovariance[k * n + i];
            }
        }
        return softValue(mean, 0) - trace;
    }

    /**
     * Writes {@code ∇_x V_F(x) = −2Px}, which is also {@code ∇_μ E[V_F(x')]} for {@code x' ~ N(μ, W)}.
     *
     * @param x the state
     * @param out receives the gradient, length {@code n}
     */
    public void valueGradient(double[] x, double[] out) {
        for (int i = 0; i < n; i++) {
            double row = 0.0;
            for (int j = 0; j < n; j++) {
                row += valueMatrix[i * n + j] * x[j];
            }
            out[i] = -2.0 * row;
        }
    }

    /**
     * @param x the state, from {@code offset}
     * @param offset where it starts
     * @return {@code V_F(x) = −(xᵀPx + v)}
     */
    public double softValue(double[] x, int offset) {
        double quad = 0.0;
        for (int i = 0; i < n; i++) {
            double row = 0.0;
            for (int j = 0; j < n; j++) {
                row += valueMatrix[i * n + j] * x[offset + j];
            }
            quad += x[offset + i] * row;
        }
        return -(quad + valueOffset);
    }
}
