package dev.bilevel.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.testing.RandomInstances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogSumExpTest {

    /** Naive λ·log Σ exp(v/λ), fine at moderate temperature. */
    private static double naiveSoft(double[] v, double lambda) {
        double sum = 0.0;
        for (double x : v) {
            sum += Math.exp(x / lambda);
        }
        return lambda * Math.log(sum);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void softAndSoftmaxMatchNaiveFormulaOnSlices(long seed) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        int n = 1 + rng.nextInt(6);
        double lambda = RandomInstances.uniform(rng, 0.3, 2.0);
        double[] values = RandomInstances.uniformVector(rng, n, -3.0, 3.0);
        // Embed the slice between large entries that must be ignored.
        int offset = 1 + rng.nextInt(3);
        double[] padded = new double[offset + n + 2];
        java.util.Arrays.fill(padded, 1e6);
        System.arraycopy(values, 0, padded, offset, n);
        double[] out = new double[n + 3];
        out[0] = -7.0;
        out[n + 2] = -7.0;

        double expected = naiveSoft(values, lambda);
        assertThat(LogSumExp.soft(padded, offset, n, lambda)).isCloseTo(expected, within(1e-12));
        double returned = LogSumExp.softmax(padded, offset, n, lambda, out, 1);
        assertThat(returned).isCloseTo(expected, within(1e-12));
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            double naive = Math.exp(values[i] / lambda) / Math.exp(expected / lambda);
            assertThat(out[1 + i]).isCloseTo(naive, within(1e-12));
            total += out[1 + i];
        }
        assertThat(total).isCloseTo(1.0, within(1e-14));
        assertThat(out[0]).isEqualTo(-7.0);
        assertThat(out[n + 2]).isEqualTo(-7.0);
    }

    @Test
    void stableAtTemperatureOneThousandth() {
        double lambda = 1e-3;
        // Values ~1: v/λ ≈ 1000, exp overflows in the naive formula.
        double[] v = {1.0, 0.999, 1.002, 0.95, 1.002};
        assertThat(Math.exp(v[0] / lambda)).isInfinite();
        double[] p = new double[v.length];
        double soft = LogSumExp.softmax(v, 0, v.length, lambda, p, 0);
        assertThat(soft).isFinite();
        assertThat(LogSumExp.soft(v, 0, v.length, lambda)).isCloseTo(soft, within(1e-15));
        // Two tied maxima at 1.002; the others are ≥ 2 (in units of λ) below.
        double expected = 1.002 + lambda * Math.log(2.0 + Math.exp(-2.0) + Math.exp(-3.0) + Math.exp(-52.0));
        assertThat(soft).isCloseTo(expected, within(1e-13));
        double total = 0.0;
        for (double x : p) {
            assertThat(x).isFinite().isBetween(0.0, 1.0);
            total += x;
        }
        assertThat(total).isCloseTo(1.0, within(1e-14));
        assertThat(p[2]).isEqualTo(p[4]);
        assertThat(p[2]).isCloseTo(1.0 / (2.0 + Math.exp(-2.0) + Math.exp(-3.0) + Math.exp(-52.0)), within(1e-14));
        assertThat(p[3]).isLessThan(1e-20);
    }

    @Test
    void softLiesBetweenMaxAndMaxPlusLambdaLogN() {
        SplitMixRandom rng = new SplitMixRandom(99);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + rng.nextInt(8);
            double lambda = Math.pow(10, RandomInstances.uniform(rng, -3, 1));
            double[] v = RandomInstances.uniformVector(rng, n, -1000, 1000);
            double max = java.util.Arrays.stream(v).max().orElseThrow();
            double soft = LogSumExp.soft(v, 0, n, lambda);
            assertThat(soft).isBetween(max, max + lambda * Math.log(n) + 1e-9 * Math.abs(max));
        }
    }

    @Test
    void equalValuesGiveUniformPolicy() {
        double[] v = {0.3, 0.3, 0.3, 0.3};
        double[] p = new double[4];
        double soft = LogSumExp.softmax(v, 0, 4, 0.01, p, 0);
        assertThat(soft).isCloseTo(0.3 + 0.01 * Math.log(4), within(1e-15));
        assertThat(p).containsOnly(0.25);
    }
}
