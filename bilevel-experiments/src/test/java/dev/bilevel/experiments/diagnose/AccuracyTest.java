package dev.bilevel.experiments.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import org.junit.jupiter.api.Test;

class AccuracyTest {

    @Test
    void handComputedExample() {
        // g = (1, 0); estimates (2, 0) and (0, 0): mean (1, 0), so no bias, but a spread of ±1.
        Accuracy a = Accuracy.of(new double[] {1, 0}, new double[][] {{2, 0}, {0, 0}});
        assertThat(a.cosine().mean()).isEqualTo(0.5); // 1 and, for the zero estimate, 0
        assertThat(a.cosine().se()).isEqualTo(0.5);
        assertThat(a.relativeError().mean()).isEqualTo(1.0);
        assertThat(a.relativeError().se()).isZero();
        assertThat(a.bias()).isZero();
        assertThat(a.totalVariance()).isEqualTo(2.0); // ((2−1)² + (0−1)²)/(2 − 1)
        assertThat(a.normalizedVariance()).isEqualTo(2.0);
        assertThat(a.biasFloor()).isEqualTo(1.0); // √(2/2)/1
        assertThat(a.relativeMse()).isEqualTo(1.0);
    }

    @Test
    void scaledGradientHasCosineOneAndKnownBias() {
        double[] g = {0.3, -0.4}; // ‖g‖ = 0.5
        Accuracy a = Accuracy.of(g, new double[][] {{0.6, -0.8}, {0.6, -0.8}, {0.6, -0.8}});
        assertThat(a.cosine().mean()).isCloseTo(1.0, within(1e-15));
        assertThat(a.bias()).isCloseTo(1.0, within(1e-15));
        assertThat(a.totalVariance()).isZero();
        assertThat(a.relativeError().mean()).isCloseTo(1.0, within(1e-15));
    }

    @Test
    void mseSplitsIntoBiasAndVariance() {
        SplitMixRandom rng = new SplitMixRandom(11);
        int d = 7;
        int repeats = 13;
        double[] g = new double[d];
        for (int j = 0; j < d; j++) {
            g[j] = rng.nextGaussian();
        }
        double[][] estimates = new double[repeats][d];
        for (double[] e : estimates) {
            for (int j = 0; j < d; j++) {
                e[j] = g[j] + 0.3 + 0.5 * rng.nextGaussian();
            }
        }
        Accuracy a = Accuracy.of(g, estimates);
        double expected = a.bias() * a.bias() + (repeats - 1.0) / repeats * a.normalizedVariance();
        assertThat(a.relativeMse()).isCloseTo(expected, within(1e-12));
        double norm2 = 0;
        for (double v : g) {
            norm2 += v * v;
        }
        assertThat(a.totalVariance() / norm2).isCloseTo(a.normalizedVariance(), within(1e-12));
        assertThat(a.biasFloor() * a.biasFloor() * repeats * norm2).isCloseTo(a.totalVariance(), within(1e-9));
    }

    @Test
    void oneRepeatHasNoVarianceOrStandardError() {
        Accuracy a = Accuracy.of(new double[] {1, 1}, new double[][] {{1, 2}});
        assertThat(a.totalVariance()).isNaN();
        assertThat(a.cosine().se()).isNaN();
        assertThat(a.bias()).isCloseTo(Math.sqrt(0.5), within(1e-15));
    }

    @Test
    void zeroExactGradientGivesNaNRelativeNumbers() {
        Accuracy a = Accuracy.of(new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}});
        assertThat(a.cosine().mean()).isNaN();
        assertThat(a.relativeError().mean()).isNaN();
    }

    @Test
    void rejectsMismatchedLengths() {
        assertThatThrownBy(() -> Accuracy.of(new double[] {1, 2}, new double[][] {{1}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("estimates[0]");
    }
}
