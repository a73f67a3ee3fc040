package dev.bilevel.experiments.aggregate;

/**
 * A mean over seeds and its standard error as the reference reports it: the population standard
 * deviation (divisor {@code n}) over {@code √n}, so 0 for one seed. Non-finite values are left out.
 *
 * @param mean the mean, NaN when no value is finite
 * @param se the standard error, NaN when no value is finite
 * @param n how many values went in
 */
public record SeedStat(double mean, double se, int n) {

    /** No values. */
    public static final SeedStat EMPTY = new SeedStat(Double.NaN, Double.NaN, 0);

    /**
     * The statistic of the finite values.
     *
     * @param values per-seed numbers
     * @return the mean and standard error
     */
    public static SeedStat of(double[] values) {
        double sum = 0.0;
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return EMPTY;
        }
        double mean = sum / n;
        double ss = 0.0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        return new SeedStat(mean, Math.sqrt(ss / n) / Math.sqrt(n), n);
    }
}
