package dev.bilevel.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CategoricalHeadTest {

    private static final int BATCH = 6;
    private static final int K = 5;

    private static double[] logits(long seed) {
        return FiniteDifferences.uniform(new SplittableRandom(seed), BATCH * K, -3.0, 3.0);
    }

    @Test
    void logSoftmaxAndProbabilitiesMatchTheDefinition() {
        double[] z = logits(1);
        double[] logP = new double[BATCH * K];
        double[] p = new double[BATCH * K];
        CategoricalHead.logSoftmax(z, BATCH, K, logP);
        CategoricalHead.probabilities(z, BATCH, K, p);
        for (int i = 0; i < BATCH; i++) {
            double total = 0.0;
            for (int j = 0; j < K; j++) {
                total += Math.exp(z[i * K + j]);
            }
            double rowSum = 0.0;
            for (int j = 0; j < K; j++) {
                assertThat(p[i * K + j]).isCloseTo(Math.exp(z[i * K + j]) / total, within(1e-15));
                assertThat(logP[i * K + j]).isCloseTo(z[i * K + j] - Math.log(total), within(1e-14));
                rowSum += p[i * K + j];
            }
            assertThat(rowSum).isCloseTo(1.0, within(1e-14));
        }
    }

    @Test
    void stableForHugeLogitsAndInPlace() {
        double[] z = {1000.0, 1001.0, -1000.0, -1e300};
        double[] out = new double[4];
        CategoricalHead.logSoftmax(z, 1, 4, out);
        double lse = 1001.0 + Math.log(1.0 + Math.exp(-1.0));
        assertThat(out[0]).isCloseTo(1000.0 - lse, within(1e-12));
        assertThat(out[1]).isCloseTo(1001.0 - lse, within(1e-12));
        assertThat(out[3]).isEqualTo(-1e300 - lse);
        CategoricalHead.probabilities(z, 1, 4, z); // in place
        assertThat(z[0] + z[1]).isCloseTo(1.0, within(1e-12)); // logits near 1000 carry 1e-13 absolute error
        assertThat(z[2]).isZero();
        assertThat(z[3]).isZero();
    }

    @Test
    void maskedCategoriesHaveZeroProbabilityAndNoEntropyNaN() {
        double ninf = Double.NEGATIVE_INFINITY;
        double[] z = {0.0, ninf, Math.log(3.0)};
        double[] h = new double[1];
        CategoricalHead.entropy(z, 1, 3, h);
        double expected = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
        assertThat(h[0]).isCloseTo(expected, within(1e-15));
        double[] g = new double[3];
        CategoricalHead.accumulateEntropyGradient(z, 1, 3, null, g);
        assertThat(g[1]).isZero();
        assertThat(g[0]).isFinite();
        SplittableRandom rng = new SplittableRandom(5);
        for (int n = 0; n < 10_000; n++) {
            assertThat(CategoricalHead.sample(z, 0, 3, rng)).isNotEqualTo(1);
        }
    }

    @Test
    void logProbPicksTheActionsEntry() {
        double[] z = logits(2);
        int[] actions = {0, 4, 2, 2, 1, 3};
        double[] lp = new double[BATCH];
        double[] logP = new double[BATCH * K];
        CategoricalHead.logProb(z, BATCH, K, actions, lp);
        CategoricalHead.logSoftmax(z, BATCH, K, logP);
        for (int i = 0; i < BATCH; i++) {
            assertThat(lp[i]).isEqualTo(logP[i * K + actions[i]]);
        }
    }

    @Test
    void logProbGradientMatchesFiniteDifferences() {
        double[] z = logits(3);
        int[] actions = {0, 4, 2, 2, 1, 3};
        double[] w = FiniteDifferences.uniform(new SplittableRandom(33), BATCH, -2.0, 2.0);
        double[] g = new double[BATCH * K];
        java.util.Arrays.fill(g, 0.5); // accumulates
        CategoricalHead.accumulateLogProbGradient(z, BATCH, K, actions, w, g);
        double[] lp = new double[BATCH];
        double[] numeric = FiniteDifferences.gradient(() -> {
            CategoricalHead.logProb(z, BATCH, K, actions, lp);
            double s = 0.0;
            for (int i = 0; i < BATCH; i++) {
                s += w[i] * lp[i];
            }
            return s;
        }, z, z.length, 1e-5);
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] += 0.5;
        }
        FiniteDifferences.assertClose(g, numeric, 1e-6, 1e-2);
        // closed form w·(onehot − p)
        double[] p = new double[BATCH * K];
        CategoricalHead.probabilities(z, BATCH, K, p);
        for (int i = 0; i < BATCH; i++) {
            for (int j = 0; j < K; j++) {
                double expected = 0.5 + w[i] * ((j == actions[i] ? 1.0 : 0.0) - p[i * K + j]);
                assertThat(g[i * K + j]).isCloseTo(expected, within(1e-14));
            }
        }
    }

    @Test
    void entropyMatchesDefinitionAndItsGradientMatchesFiniteDifferences() {
        double[] z = logits(4);
        double[] h = new double[BATCH];
        CategoricalHead.entropy(z, BATCH, K, h);
        double[] p = new double[BATCH * K];
        CategoricalHead.probabilities(z, BATCH, K, p);
        for (int i = 0; i < BATCH; i++) {
            double expected = 0.0;
            for (int j = 0; j < K; j++) {
                expected -= p[i * K + j] * Math.log(p[i * K + j]);
            }
            assertThat(h[i]).isCloseTo(expected, within(1e-14));
        }
        double[] w = FiniteDifferences.uniform(new SplittableRandom(44), BATCH, -2.0, 2.0);
        double[] g = new double[BATCH * K];
        CategoricalHead.accumulateEntropyGradient(z, BATCH, K, w, g);
        double[] numeric = FiniteDifferences.gradient(() -> {
            CategoricalHead.entropy(z, BATCH, K, h);
            double s = 0.0;
            for (int i = 0; i < BATCH; i++) {
                s += w[i] * h[i];
            }
            return s;
        }, z, z.length, 1e-5);
        FiniteDifferences.assertClose(g, numeric, 1e-6, 1e-2);
        // uniform logits: maximal entropy log K, zero gradient
        double[] flat = new double[K];
        double[] hf = new double[1];
        CategoricalHead.entropy(flat, 1, K, hf);
        assertThat(hf[0]).isCloseTo(Math.log(K), within(1e-15));
    }

    /**
     * 200,000 draws from a 5-category row; Pearson's statistic has 4 degrees of freedom (mean 4, sd 2.8), and
     * 30 is exceeded with probability below 1e-5.
     */
    @Test
    void sampleFrequenciesMatchProbabilities() {
        double[] z = {0.3, -1.2, 2.0, 0.0, -0.5, /* row 1 */ 1.0, 1.0, -4.0, 0.5, 0.1};
        SplittableRandom rng = new SplittableRandom(20240601);
        for (int row = 0; row < 2; row++) {
            int n = 200_000;
            long[] counts = new long[K];
            for (int s = 0; s < n; s++) {
                counts[CategoricalHead.sample(z, row, K, rng)]++;
            }
            double[] p = new double[2 * K];
            CategoricalHead.probabilities(z, 2, K, p);
            double chi2 = 0.0;
            for (int j = 0; j < K; j++) {
                double expected = n * p[row * K + j];
                chi2 += (counts[j] - expected) * (counts[j] - expected) / expected;
            }
            assertThat(chi2).as("row %d", row).isLessThan(30.0);
        }
    }

    @Test
    void samplingIsDeterministicGivenTheSeedAndUsesOneDraw() {
        double[] z = logits(6);
        SplittableRandom a = new SplittableRandom(9);
        SplittableRandom b = new SplittableRandom(9);
        for (int s = 0; s < 100; s++) {
            int row = s % BATCH;
            assertThat(CategoricalHead.sample(z, row, K, a)).isEqualTo(CategoricalHead.sample(z, row, K, b));
        }
        SplittableRandom c = new SplittableRandom(10);
        SplittableRandom d = new SplittableRandom(10);
        CategoricalHead.sample(z, 0, K, c);
        d.nextDouble();
        assertThat(c.nextLong()).isEqualTo(d.nextLong());
    }

    @Test
    void modeIsArgmax() {
        double[] z = {0.1, 3.0, 3.0, -1.0, /* row 1 */ -5.0, -4.0, -6.0, -4.5};
        assertThat(CategoricalHead.mode(z, 0, 4)).isEqualTo(1);
        assertThat(CategoricalHead.mode(z, 1, 4)).isEqualTo(1);
    }
}
