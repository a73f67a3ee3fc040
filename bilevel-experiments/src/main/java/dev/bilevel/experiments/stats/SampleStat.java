package dev.bilevel.experiments.stats;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The mean of a sample (values over seeds or repeats), its sample standard deviation and size, and what
 * follows from them: two standard errors and a 95 % confidence interval for the mean.
 *
 * <ul>
 *   <li>{@link #se()}: {@code sd/√n}, the textbook standard error (NaN for {@code n < 2});</li>
 *   <li>{@link #populationSe()}: the population standard deviation (divisor {@code n}) over {@code √n},
 *       the convention of the paper's reference code (0 for one value);</li>
 *   <li>{@link #ciLow()}, {@link #ciHigh()}: {@code mean ∓ t(0.975, n − 1) · sd/√n}, Student t with
 *       {@code n − 1} degrees of freedom (NaN for {@code n < 2}).</li>
 * </ul>
 *
 * @param mean the mean, NaN for no values
 * @param sd the sample standard deviation (divisor {@code n − 1}), NaN for {@code n < 2}
 * @param n how many values went in
 */
public record SampleStat(double mean, double sd, int n) {

    /** The confidence level of {@link #ciLow()} and {@link #ciHigh()}. */
    public static final double CONFIDENCE = 0.95;

    /** No values. */
    public static final SampleStat EMPTY = new SampleStat(Double.NaN, Double.NaN, 0);

    /**
     * The statistic of every value: a NaN or infinite value makes the mean NaN or infinite.
     *
     * @param values the sample
     * @return mean, standard deviation and size
     */
    public static SampleStat of(double[] values) {
        return compute(values, false);
    }

    /**
     * The statistic of the finite values; NaN and infinite values (failed or diverged seeds) are left
     * out, and {@link #n()} counts the values that went in.
     *
     * @param values the sample
     * @return mean, standard deviation and size
     */
    public static SampleStat ofFinite(double[] values) {
        return compute(values, true);
    }

    private static SampleStat compute(double[] values, boolean finiteOnly) {
        double sum = 0.0;
        int n = 0;
        for (double v : values) {
            if (!finiteOnly || Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return EMPTY;
        }
        double mean = sum / n;
        if (n < 2) {
            return new SampleStat(mean, Double.NaN, 1);
        }
        double ss = 0.0;
        for (double v : values) {
            if (!finiteOnly || Double.isFinite(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        return new SampleStat(mean, Math.sqrt(ss / (n - 1)), n);
    }

    /**
     * The standard error of the mean, {@code sd/√n}.
     *
     * @return the standard error, NaN for {@code n < 2}
     */
    public double se() {
        return sd / Math.sqrt(n);
    }

    /**
     * The standard error as the paper's reference code reports it: the population standard deviation
     * (divisor {@code n}) over {@code √n}, that is {@code se() · √((n − 1)/n)}.
     *
     * @return the standard error, 0 for one value, NaN for none
     */
    public double populationSe() {
        return n == 1 ? 0.0 : se() * Math.sqrt((n - 1.0) / n);
    }

    /**
     * Half the width of the 95 % confidence interval: {@code t(0.975, n − 1) · sd/√n}.
     *
     * @return the half-width, NaN for {@code n < 2}
     */
    public double ciHalfWidth() {
        if (n < 2) {
            return Double.NaN;
        }
        return TDistribution.of(n - 1).inverseSurvivalProbability((1 - CONFIDENCE) / 2) * se();
    }

    /**
     * The lower end of the 95 % confidence interval for the mean.
     *
     * @return {@code mean − ciHalfWidth()}, NaN for {@code n < 2}
     */
    public double ciLow() {
        return mean - ciHalfWidth();
    }

    /**
     * The upper end of the 95 % confidence interval for the mean.
     *
     * @return {@code mean + ciHalfWidth()}, NaN for {@code n < 2}
     */
    public double ciHigh() {
        return mean + ciHalfWidth();
    }

    /**
     * The statistic of the values times {@code factor} (a change of unit).
     *
     * @param factor the factor
     * @return mean and standard deviation scaled, the same {@code n}
     */
    public SampleStat scaled(double factor) {
        return new SampleStat(mean * factor, sd * Math.abs(factor), n);
    }
}
