package dev.bilevel.experiments.diagnose;

/**
 * A mean over repeats and its standard error {@code sd/√n} ({@code sd} with divisor {@code n − 1};
 * NaN when {@code n < 2}).
 *
 * @param mean the sample mean
 * @param se its standard error
 */
public record Stat(double mean, double se) {

    /**
     * The mean and standard error of {@code values}.
     *
     * @param values at least one value
     * @return the statistic
     */
    public static Stat of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Stat(Double.NaN, Double.NaN);
        }
        double mean = 0.0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        if (n < 2) {
            return new Stat(mean, Double.NaN);
        }
        double ss = 0.0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new Stat(mean, Math.sqrt(ss / (n - 1) / n));
    }
}
