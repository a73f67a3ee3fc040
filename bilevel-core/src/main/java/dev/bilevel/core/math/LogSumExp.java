package dev.bilevel.core.math;

/**
 * Numerically stable soft maximum and softmax at a temperature, on slices of flat arrays.
 *
 * <p>With temperatures as low as 0.001 the scaled values {@code q/λ} reach 10³, so every routine
 * subtracts the maximum before exponentiating.
 */
public final class LogSumExp {

    private LogSumExp() {
    }

    /** Returns {@code λ·log Σ_i exp(v[offset+i]/λ)} over {@code n} entries. */
    public static double soft(double[] v, int offset, int n, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = offset, end = offset + n; i < end; i++) {
            if (v[i] > max) {
                max = v[i];
            }
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        double sum = 0.0;
        double inv = 1.0 / temperature;
        for (int i = offset, end = offset + n; i < end; i++) {
            sum += Math.exp((v[i] - max) * inv);
        }
        return max + temperature * Math.log(sum);
    }

    /**
     * Writes {@code softmax(v/λ)} of the slice into {@code out[outOffset..outOffset+n)} and returns
     * the soft maximum {@code λ·log Σ exp(v/λ)} of the slice.
     */
    public static double softmax(double[] v, int offset, int n, double temperature, double[] out, int outOffset) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = offset, end = offset + n; i < end; i++) {
            if (v[i] > max) {
                max = v[i];
            }
        }
        double inv = 1.0 / temperature;
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp((v[offset + i] - max) * inv);
            out[outOffset + i] = e;
            sum += e;
        }
        double norm = 1.0 / sum;
        for (int i = 0; i < n; i++) {
            out[outOffset + i] *= norm;
        }
        return max + temperature * Math.log(sum);
    }
}
