package dev.bilevel.nn;

import java.util.random.RandomGenerator;

/**
 * Row-wise diagonal Gaussian distributions with mean {@code μ [batch][d]} and log standard deviation
 * {@code log σ}, either per row ({@code [batch][d]}, the plain methods) or one state-independent vector
 * {@code [d]} shared by all rows (the {@code …SharedStd} methods, whose {@code logStd} gradients are summed
 * over rows). All arrays are row-major; nothing allocates.
 *
 * <pre>
 * log p(a) = Σ_j [ −½((a_j − μ_j)/σ_j)² − log σ_j − ½ log 2π ]
 * H        = Σ_j [ ½ + ½ log 2π + log σ_j ]
 * </pre>
 */
public final class DiagonalGaussianHead {

    /** {@code ½ log 2π}. */
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2.0 * Math.PI);

    private DiagonalGaussianHead() {
    }

    /**
     * {@code out[i] = log p_i(actions[i])} with per-row {@code logStd [batch][d]}.
     *
     * @param mean {@code [batch][d]}
     * @param logStd {@code [batch][d]}
     * @param batch rows
     * @param d action dimension
     * @param actions {@code [batch][d]}
     * @param out {@code [batch]}
     */
    public static void logProb(double[] mean, double[] logStd, int batch, int d, double[] actions, double[] out) {
        logProb(mean, logStd, d, batch, d, actions, out);
    }

    /**
     * {@code out[i] = log p_i(actions[i])} with a shared {@code logStd [d]}.
     *
     * @param mean {@code [batch][d]}
     * @param logStd {@code [d]}
     * @param batch rows
     * @param d action dimension
     * @param actions {@code [batch][d]}
     * @param out {@code [batch]}
     */
    public static void logProbSharedStd(double[] mean, double[] logStd, int batch, int d, double[] actions,
            double[] out) {
        logProb(mean, logStd, 0, batch, d, actions, out);
    }

    private static void logProb(double[] mean, double[] logStd, int stdStride, int batch, int d,
            double[] actions, double[] out) {
        for (int i = 0; i < batch; i++) {
            int o = i * d;
            int so = i * stdStride;
            double lp = 0.0;
            for (int j = 0; j < d; j++) {
                double ls = logStd[so + j];
                double z = (actions[o + j] - mean[o + j]) * Math.exp(-ls);
                lp += -0.5 * z * z - ls - HALF_LOG_TWO_PI;
            }
            out[i] = lp;
        }
    }

    /**
     * Accumulates the gradient of {@code Σ_i w_i log p_i(actions[i])} with per-row {@code logStd}:
     * {@code gradMean += w·(a − μ)/σ²}, {@code gradLogStd += w·(((a − μ)/σ)² − 1)}.
     *
     * @param mean {@code [batch][d]}
     * @param logStd {@code [batch][d]}
     * @param batch rows
     * @param d action dimension
     * @param actions {@code [batch][d]}
     * @param weights {@code [batch]}, or {@code null} for all ones
     * @param gradMean {@code [batch][d]}, accumulated into; {@code null} to skip
     * @param gradLogStd {@code [batch][d]}, accumulated into; {@code null} to skip
     */
    public static void accumulateLogProbGradient(double[] mean, double[] logStd, int batch, int d,
            double[] actions, double[] weights, double[] gradMean, double[] gradLogStd) {
        accumulateLogProbGradient(mean, logStd, d, batch, d, actions, weights, gradMean, gradLogStd);
    }

    /**
     * As {@link #accumulateLogProbGradient} with a shared {@code logStd [d]}; its gradient
     * {@code gradLogStd [d]} is summed over the rows.
     *
     * @param mean {@code [batch][d]}
     * @param logStd {@code [d]}
     * @param batch rows
     * @param d action dimension
     * @param actions {@code [batch][d]}
     * @param weights {@code [batch]}, or {@code null} for all ones
     * @param gradMean {@code [batch][d]}, accumulated into; {@code null} to skip
     * @param gradLogStd {@code [d]}, accumulated into; {@code null} to skip
     */
    public static void accumulateLogProbGradientSharedStd(double[] mean, double[] logStd, int batch, int d,
            double[] actions, double[] weights, double[] gradMean, double[] gradLogStd) {
        accumulateLogProbGradient(mean, logStd, 0, batch, d, actions, weights, gradMean, gradLogStd);
    }

    private static void accumulateLogProbGradient(double[] mean, double[] logStd, int stdStride, int batch, int d,
            double[] actions, double[] weights, double[] gradMean, double[] gradLogStd) {
        for (int i = 0; i < batch; i++) {
            int o = i * d;
            int so = i * stdStride;
            double w = weights == null ? 1.0 : weights[i];
            for (int j = 0; j < d; j++) {
                double invStd = Math.exp(-logStd[so + j]);
                double z = (actions[o + j] - mean[o + j]) * invStd;
                if (gradMean != null) {
                    gradMean[o + j] += w * z * invStd;
                }
                if (gradLogStd != null) {
                    gradLogStd[so + j] += w * (z * z - 1.0);
                }
            }
        }
    }

    /**
     * {@code out[i] = H_i} with per-row {@code logStd [batch][d]}.
     *
     * @param logStd {@code [batch][d]}
     * @param batch rows
     * @param d action dimension
     * @param out {@code [batch]}
     */
    public static void entropy(double[] logStd, int batch, int d, double[] out) {
        entropy(logStd, d, batch, d, out);
    }

    /**
     * {@code out[i] = H} (the same for every row) with a shared {@code logStd [d]}.
     *
     * @param logStd {@code [d]}
     * @param batch rows
     * @param d action dimension
     * @param out {@code [batch]}
     */
    public static void entropySharedStd(double[] logStd, int batch, int d, double[] out) {
        entropy(logStd, 0, batch, d, out);
    }

    private static void entropy(double[] logStd, int stdStride, int batch, int d, double[] out) {
        for (int i = 0; i < batch; i++) {
            int so = i * stdStride;
            double h = 0.0;
            for (int j = 0; j < d; j++) {
                h += 0.5 + HALF_LOG_TWO_PI + logStd[so + j];
            }
            out[i] = h;
        }
    }

    /**
     * {@code gradLogStd[i][j] += w_i} (the entropy's gradient is 1 per {@code log σ} entry), per-row layout.
     *
     * @param logStd {@code [batch][d]} (unused by the formula; kept for symmetry and size checks)
     * @param batch rows
     * @param d action dimension
     * @param weights {@code [batch]}, or {@code null} for all ones
     * @param gradLogStd {@code [batch][d]}, accumulated into
     */
    public static void accumulateEntropyGradient(double[] logStd, int batch, int d, double[] weights,
            double[] gradLogStd) {
        accumulateEntropyGradient(logStd, d, batch, d, weights, gradLogStd);
    }

    /**
     * {@code gradLogStd[j] += Σ_i w_i}, the gradient of {@code Σ_i w_i H_i} for a shared {@code logStd [d]}.
     *
     * @param logStd {@code [d]} (unused by the formula; kept for symmetry and size checks)
     * @param batch rows
     * @param d action dimension
     * @param weights {@code [batch]}, or {@code null} for all ones
     * @param gradLogStd {@code [d]}, accumulated into
     */
    public static void accumulateEntropyGradientSharedStd(double[] logStd, int batch, int d, double[] weights,
            double[] gradLogStd) {
        accumulateEntropyGradient(logStd, 0, batch, d, weights, gradLogStd);
    }

    private static void accumulateEntropyGradient(double[] logStd, int stdStride, int batch, int d,
            double[] weights, double[] gradLogStd) {
        if (logStd.length < (stdStride == 0 ? d : batch * d)) {
            throw new IllegalArgumentException("logStd too short: " + logStd.length);
        }
        for (int i = 0; i < batch; i++) {
            int so = i * stdStride;
            double w = weights == null ? 1.0 : weights[i];
            for (int j = 0; j < d; j++) {
                gradLogStd[so + j] += w;
            }
        }
    }

    /**
     * Draws {@code out[j] = μ_j + σ_j·ξ_j} ({@code ξ_j} standard normal, {@code j < d}) for one row with
     * per-row {@code logStd [batch][d]}.
     *
     * @param mean {@code [batch][d]}
     * @param logStd {@code [batch][d]}
     * @param row the row
     * @param d action dimension
     * @param rng the random source ({@code d} Gaussian draws)
     * @param out receives the action in {@code out[0 .. d)}
     */
    public static void sample(double[] mean, double[] logStd, int row, int d, RandomGenerator rng, double[] out) {
        sample(mean, logStd, row * d, row, d, rng, out, 0);
    }

    /**
     * As {@link #sample(double[], double[], int, int, RandomGenerator, double[])}, writing
     * {@code out[outOffset .. outOffset + d)} (for instance {@code outOffset = row·d} to fill a batch of
     * actions).
     *
     * @param mean {@code [batch][d]}
     * @param logStd {@code [batch][d]}
     * @param row the row
     * @param d action dimension
     * @param rng the random source ({@code d} Gaussian draws)
     * @param out receives the action
     * @param outOffset where the action starts in {@code out}
     */
    public static void sample(double[] mean, double[] logStd, int row, int d, RandomGenerator rng, double[] out,
            int outOffset) {
        sample(mean, logStd, row * d, row, d, rng, out, outOffset);
    }

    /**
     * Draws an action for one row with a shared {@code logStd [d]} into {@code out[0 .. d)}.
     *
     * @param mean {@code [batch][d]}
     * @param logStd {@code [d]}
     * @param row the row
     * @param d action dimension
     * @param rng the random source ({@code d} Gaussian draws)
     * @param out receives the action in {@code out[0 .. d)}
     */
    public static void sampleSharedStd(double[] mean, double[] logStd, int row, int d, RandomGenerator rng,
            double[] out) {
        sample(mean, logStd, 0, row, d, rng, out, 0);
    }

    /**
     * Draws an action for one row with a shared {@code logStd [d]} into {@code out[outOffset .. outOffset + d)}.
     *
     * @param mean {@code [batch][d]}
     * @param logStd {@code [d]}
     * @param row the row
     * @param d action dimension
     * @param rng the random source ({@code d} Gaussian draws)
     * @param out receives the action
     * @param outOffset where the action starts in {@code out}
     */
    public static void sampleSharedStd(double[] mean, double[] logStd, int row, int d, RandomGenerator rng,
            double[] out, int outOffset) {
        sample(mean, logStd, 0, row, d, rng, out, outOffset);
    }

    private static void sample(double[] mean, double[] logStd, int stdOffset, int row, int d, RandomGenerator rng,
            double[] out, int outOffset) {
        int o = row * d;
        for (int j = 0; j < d; j++) {
            out[outOffset + j] = mean[o + j] + Math.exp(logStd[stdOffset + j]) * rng.nextGaussian();
        }
    }
}
