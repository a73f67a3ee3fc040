package dev.bilevel.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DiagonalGaussianHeadTest {

    private static final int BATCH = 5;
    private static final int D = 3;

    private static double normalLogDensity(double x, double mu, double sigma) {
        double z = (x - mu) / sigma;
        return -0.5 * z * z - Math.log(sigma) - 0.5 * Math.log(2.0 * Math.PI);
    }

    @Test
    void logProbMatchesProductOfUnivariateDensities() {
        SplittableRandom rng = new SplittableRandom(1);
        double[] mean = FiniteDifferences.uniform(rng, BATCH * D, -1, 1);
        double[] logStd = FiniteDifferences.uniform(rng, BATCH * D, -1, 0.5);
        double[] shared = FiniteDifferences.uniform(rng, D, -1, 0.5);
        double[] a = FiniteDifferences.uniform(rng, BATCH * D, -2, 2);
        double[] lp = new double[BATCH];
        double[] lpShared = new double[BATCH];
        DiagonalGaussianHead.logProb(mean, logStd, BATCH, D, a, lp);
        DiagonalGaussianHead.logProbSharedStd(mean, shared, BATCH, D, a, lpShared);
        for (int i = 0; i < BATCH; i++) {
            double expected = 0.0;
            double expectedShared = 0.0;
            for (int j = 0; j < D; j++) {
                expected += normalLogDensity(a[i * D + j], mean[i * D + j], Math.exp(logStd[i * D + j]));
                expectedShared += normalLogDensity(a[i * D + j], mean[i * D + j], Math.exp(shared[j]));
            }
            assertThat(lp[i]).isCloseTo(expected, within(1e-13));
            assertThat(lpShared[i]).isCloseTo(expectedShared, within(1e-13));
        }
    }

    @Test
    void logProbGradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(2);
        double[] mean = FiniteDifferences.uniform(rng, BATCH * D, -1, 1);
        double[] logStd = FiniteDifferences.uniform(rng, BATCH * D, -1, 0.5);
        double[] a = FiniteDifferences.uniform(rng, BATCH * D, -2, 2);
        double[] w = FiniteDifferences.uniform(rng, BATCH, -2, 2);
        double[] lp = new double[BATCH];
        java.util.function.DoubleSupplier objective = () -> {
            DiagonalGaussianHead.logProb(mean, logStd, BATCH, D, a, lp);
            return weighted(w, lp);
        };
        double[] gMean = new double[BATCH * D];
        double[] gLogStd = new double[BATCH * D];
        DiagonalGaussianHead.accumulateLogProbGradient(mean, logStd, BATCH, D, a, w, gMean, gLogStd);
        FiniteDifferences.assertClose(gMean, FiniteDifferences.gradient(objective, mean, mean.length, 1e-5), 1e-6, 1e-2);
        FiniteDifferences.assertClose(gLogStd, FiniteDifferences.gradient(objective, logStd, logStd.length, 1e-5),
                1e-6, 1e-2);
        // null skips a gradient; accumulation adds
        DiagonalGaussianHead.accumulateLogProbGradient(mean, logStd, BATCH, D, a, w, null, gLogStd);
        double[] again = new double[BATCH * D];
        DiagonalGaussianHead.accumulateLogProbGradient(mean, logStd, BATCH, D, a, w, again, null);
        for (int i = 0; i < again.length; i++) {
            assertThat(again[i]).isEqualTo(gMean[i]);
        }
    }

    @Test
    void sharedStdLogProbGradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] mean = FiniteDifferences.uniform(rng, BATCH * D, -1, 1);
        double[] shared = FiniteDifferences.uniform(rng, D, -1, 0.5);
        double[] a = FiniteDifferences.uniform(rng, BATCH * D, -2, 2);
        double[] lp = new double[BATCH];
        java.util.function.DoubleSupplier objective = () -> {
            DiagonalGaussianHead.logProbSharedStd(mean, shared, BATCH, D, a, lp);
            return weighted(null, lp);
        };
        double[] gMean = new double[BATCH * D];
        double[] gLogStd = new double[D];
        DiagonalGaussianHead.accumulateLogProbGradientSharedStd(mean, shared, BATCH, D, a, null, gMean, gLogStd);
        FiniteDifferences.assertClose(gMean, FiniteDifferences.gradient(objective, mean, mean.length, 1e-5), 1e-6, 1e-2);
        FiniteDifferences.assertClose(gLogStd, FiniteDifferences.gradient(objective, shared, D, 1e-5), 1e-6, 1e-2);
    }

    @Test
    void entropyAndItsGradients() {
        SplittableRandom rng = new SplittableRandom(4);
        double[] logStd = FiniteDifferences.uniform(rng, BATCH * D, -1, 0.5);
        double[] shared = FiniteDifferences.uniform(rng, D, -1, 0.5);
        double[] w = FiniteDifferences.uniform(rng, BATCH, -2, 2);
        double[] h = new double[BATCH];
        DiagonalGaussianHead.entropy(logStd, BATCH, D, h);
        for (int i = 0; i < BATCH; i++) {
            double expected = 0.0;
            for (int j = 0; j < D; j++) {
                expected += 0.5 * Math.log(2.0 * Math.PI * Math.E * Math.exp(2.0 * logStd[i * D + j]));
            }
            assertThat(h[i]).isCloseTo(expected, within(1e-14));
        }
        double[] g = new double[BATCH * D];
        DiagonalGaussianHead.accumulateEntropyGradient(logStd, BATCH, D, w, g);
        FiniteDifferences.assertClose(g, FiniteDifferences.gradient(() -> {
            DiagonalGaussianHead.entropy(logStd, BATCH, D, h);
            return weighted(w, h);
        }, logStd, logStd.length, 1e-5), 1e-6, 1e-2);

        double[] gShared = new double[D];
        DiagonalGaussianHead.accumulateEntropyGradientSharedStd(shared, BATCH, D, w, gShared);
        FiniteDifferences.assertClose(gShared, FiniteDifferences.gradient(() -> {
            DiagonalGaussianHead.entropySharedStd(shared, BATCH, D, h);
            return weighted(w, h);
        }, shared, D, 1e-5), 1e-6, 1e-2);
    }

    /**
     * 200,000 draws; the sample mean is within 5 standard errors {@code σ/√n}, the sample variance within
     * 5 standard errors {@code σ²·√(2/n)}.
     */
    @Test
    void sampleMeanAndVariance() {
        double[] mean = {9, 9, 9, /* row 1 */ 0.5, -1.0, 2.0};
        double[] logStd = {0, 0, 0, /* row 1 */ -1.0, 0.0, 0.7};
        double[] shared = {-1.0, 0.0, 0.7};
        for (boolean useShared : new boolean[] {false, true}) {
            SplittableRandom rng = new SplittableRandom(77);
            int n = 200_000;
            double[] sum = new double[D];
            double[] sumSq = new double[D];
            double[] out = new double[2 * D];
            for (int s = 0; s < n; s++) {
                if (useShared) {
                    DiagonalGaussianHead.sampleSharedStd(mean, shared, 1, D, rng, out, D);
                } else {
                    DiagonalGaussianHead.sample(mean, logStd, 1, D, rng, out, D);
                }
                for (int j = 0; j < D; j++) {
                    sum[j] += out[D + j];
                    sumSq[j] += out[D + j] * out[D + j];
                }
            }
            for (int j = 0; j < D; j++) {
                double sigma = Math.exp(shared[j]);
                double m = sum[j] / n;
                double v = sumSq[j] / n - m * m;
                assertThat(m).isCloseTo(mean[D + j], within(5.0 * sigma / Math.sqrt(n)));
                assertThat(v).isCloseTo(sigma * sigma, within(5.0 * sigma * sigma * Math.sqrt(2.0 / n)));
            }
            assertThat(out[0]).isZero(); // only the requested slot was written
        }
        double[] single = new double[D];
        DiagonalGaussianHead.sample(mean, logStd, 0, D, new SplittableRandom(1), single);
        assertThat(single[0]).isBetween(4.0, 14.0);
    }

    private static double weighted(double[] w, double[] values) {
        double s = 0.0;
        for (int i = 0; i < values.length; i++) {
            s += (w == null ? 1.0 : w[i]) * values[i];
        }
        return s;
    }
}
