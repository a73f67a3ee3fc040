package dev.bilevel.experiments.stats;

import org.apache.commons.statistics.inference.TTest;

/**
 * A two-sided t-test of the difference of two means, {@code x − y}, with its effect size.
 *
 * <p>{@link Design#WELCH}: Welch's unequal-variance t-test, Welch–Satterthwaite degrees of freedom.
 * {@link Design#PAIRED}: the paired t-test on the differences {@code x[i] − y[i]}, {@code n − 1} degrees of
 * freedom; for samples that share their seeds, where the seed's own luck cancels in the difference.
 * Statistic, degrees of freedom and p-value are Apache Commons Statistics' {@link TTest}.
 *
 * <p>The effect size is Hedges' g, in either design: the difference of the means over the pooled sample
 * standard deviation {@code √(((n_x − 1)s_x² + (n_y − 1)s_y²)/(n_x + n_y − 2))}, times the small-sample
 * correction {@code 1 − 3/(4(n_x + n_y) − 9)}. It does not depend on the design, so effect sizes stay
 * comparable between paired and unpaired settings; the test does.
 *
 * @param design which test
 * @param t the t statistic, positive when {@code x} has the larger mean (infinite when both samples, or
 *     all differences, are constant and the means differ)
 * @param df the degrees of freedom (NaN when both samples are constant)
 * @param p the two-sided p-value (NaN when both samples are constant)
 * @param hedgesG the effect size, signed as {@code t}
 */
public record TwoSampleTest(Design design, double t, double df, double p, double hedgesG) {

    /** Which t-test. */
    public enum Design {
        /** Welch's unequal-variance two-sample t-test. */
        WELCH("Welch"),
        /** The paired t-test on per-seed differences. */
        PAIRED("paired");

        private final String label;

        Design(String label) {
            this.label = label;
        }

        /**
         * How tables name it.
         *
         * @return {@code Welch} or {@code paired}
         */
        public String label() {
            return label;
        }
    }

    /**
     * Welch's t-test of {@code x} against {@code y}.
     *
     * @param x the first sample, at least two values
     * @param y the second sample, at least two values
     * @return the test
     * @throws IllegalArgumentException for a sample of fewer than two values
     */
    public static TwoSampleTest welch(double[] x, double[] y) {
        requireTwo(x.length, y.length);
        TTest.Result r = TTest.withDefaults().test(x, y);
        return new TwoSampleTest(Design.WELCH, r.getStatistic(), r.getDegreesOfFreedom(), r.getPValue(),
                hedgesG(x, y));
    }

    /**
     * The paired t-test of {@code x} against {@code y}, pair {@code i} being {@code (x[i], y[i])}.
     *
     * @param x the first sample, at least two values
     * @param y the second sample, as many values
     * @return the test
     * @throws IllegalArgumentException for samples of different sizes or fewer than two pairs
     */
    public static TwoSampleTest paired(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples of different sizes: " + x.length + " and " + y.length);
        }
        requireTwo(x.length, y.length);
        TTest.Result r = TTest.withDefaults().pairedTest(x, y);
        return new TwoSampleTest(Design.PAIRED, r.getStatistic(), r.getDegreesOfFreedom(), r.getPValue(),
                hedgesG(x, y));
    }

    /**
     * Hedges' g of {@code x} against {@code y}: Cohen's d with the pooled standard deviation, times
     * {@code 1 − 3/(4(n_x + n_y) − 9)}.
     *
     * @param x the first sample
     * @param y the second sample
     * @return the effect size (infinite or NaN when both samples are constant)
     */
    static double hedgesG(double[] x, double[] y) {
        SampleStat sx = SampleStat.of(x);
        SampleStat sy = SampleStat.of(y);
        int df = sx.n() + sy.n() - 2;
        double pooled = Math.sqrt(((sx.n() - 1) * sx.sd() * sx.sd() + (sy.n() - 1) * sy.sd() * sy.sd()) / df);
        double correction = 1.0 - 3.0 / (4.0 * (sx.n() + sy.n()) - 9.0);
        return (sx.mean() - sy.mean()) / pooled * correction;
    }

    private static void requireTwo(int nx, int ny) {
        if (nx < 2 || ny < 2) {
            throw new IllegalArgumentException("a t-test needs at least two values per sample, got " + nx + " and "
                    + ny);
        }
    }
}
