package dev.bilevel.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class InitializerTest {

    /**
     * A 256×256 layer has 65,536 weights; the sample variance's relative standard error is about
     * {@code sqrt(2/n) ≈ 0.55%} (normal) and {@code sqrt(0.8/n) ≈ 0.35%} (uniform), so 3% is over 5 standard
     * errors. Target variance {@code 2 / (fanIn + fanOut) = 1/256} for both.
     */
    @ParameterizedTest
    @EnumSource(value = Initializer.class, names = {"XAVIER_NORMAL", "XAVIER_UNIFORM"})
    void xavierVariance(Initializer init) {
        Mlp net = Mlp.of(256, new int[0], 256, Activation.IDENTITY, Activation.IDENTITY);
        java.util.Arrays.fill(net.parameters(), 7.0);
        net.initialize(init, new SplittableRandom(2024));
        int n = 256 * 256;
        double sum = 0.0;
        double sumSq = 0.0;
        double maxAbs = 0.0;
        for (int i = 0; i < n; i++) {
            double w = net.parameters()[i];
            sum += w;
            sumSq += w * w;
            maxAbs = Math.max(maxAbs, Math.abs(w));
        }
        double mean = sum / n;
        double variance = sumSq / n - mean * mean;
        double target = 2.0 / 512.0;
        assertThat(mean).isCloseTo(0.0, within(5.0 * Math.sqrt(target / n)));
        assertThat(variance / target).isCloseTo(1.0, within(0.03));
        if (init == Initializer.XAVIER_UNIFORM) {
            assertThat(maxAbs).isLessThanOrEqualTo(Math.sqrt(6.0 / 512.0));
        }
        for (int j = n; j < net.parameterCount(); j++) {
            assertThat(net.parameters()[j]).isZero(); // biases
        }
    }

    /** Gram matrix of the {@code [rows][cols]} weights: {@code WᵀW} (cols×cols) or {@code WWᵀ} (rows×rows). */
    private static double maxDeviationFromIdentity(double[] p, int offset, int rows, int cols, boolean columns) {
        int n = columns ? cols : rows;
        double worst = 0.0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double dot = 0.0;
                int len = columns ? rows : cols;
                for (int i = 0; i < len; i++) {
                    double x = columns ? p[offset + i * cols + a] : p[offset + a * cols + i];
                    double y = columns ? p[offset + i * cols + b] : p[offset + b * cols + i];
                    dot += x * y;
                }
                worst = Math.max(worst, Math.abs(dot - (a == b ? 1.0 : 0.0)));
            }
        }
        return worst;
    }

    @ParameterizedTest(name = "out {0}, in {1}")
    @CsvSource({"64, 64", "256, 256", "64, 16", "16, 64", "7, 1", "1, 7"})
    void orthogonalGivesOrthonormalColumnsOrRows(int out, int in) {
        Mlp net = Mlp.of(in, new int[0], out, Activation.IDENTITY, Activation.IDENTITY);
        net.initialize(Initializer.ORTHOGONAL, new SplittableRandom(99));
        double[] p = net.parameters();
        if (out >= in) {
            assertThat(maxDeviationFromIdentity(p, 0, out, in, true)).isLessThan(1e-12); // WᵀW = I
        }
        if (out <= in) {
            assertThat(maxDeviationFromIdentity(p, 0, out, in, false)).isLessThan(1e-12); // WWᵀ = I
        }
        for (int j = 0; j < out; j++) {
            assertThat(p[net.biasOffset(0) + j]).isZero();
        }
    }

    @Test
    void orthogonalEveryLayerOfADeepNet() {
        Mlp net = Mlp.of(6, new int[] {64, 64}, 2, Activation.RELU, Activation.IDENTITY);
        net.initialize(Initializer.ORTHOGONAL, new SplittableRandom(3));
        int[] s = net.layerSizes();
        for (int l = 0; l < net.layerCount(); l++) {
            int out = s[l + 1];
            int in = s[l];
            assertThat(maxDeviationFromIdentity(net.parameters(), net.weightOffset(l), out, in, out >= in))
                    .as("layer %d", l).isLessThan(1e-12);
        }
    }

    @Test
    void orthogonalMatrixIsNotTrivial() {
        // A rotation drawn from a Gaussian: entries of a 64×64 orthogonal matrix have variance 1/64.
        Mlp net = Mlp.of(64, new int[0], 64, Activation.IDENTITY, Activation.IDENTITY);
        net.initialize(Initializer.ORTHOGONAL, new SplittableRandom(4));
        double sumSq = 0.0;
        int offDiagonalLarge = 0;
        for (int r = 0; r < 64; r++) {
            for (int c = 0; c < 64; c++) {
                double w = net.parameters()[r * 64 + c];
                sumSq += w * w;
                if (r != c && Math.abs(w) > 0.05) {
                    offDiagonalLarge++;
                }
            }
        }
        assertThat(sumSq).isCloseTo(64.0, within(1e-9));
        assertThat(offDiagonalLarge).isGreaterThan(64 * 63 / 3);
    }
}
