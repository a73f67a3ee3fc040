package dev.bilevel.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GradientClippingTest {

    @Test
    void clipsLargeGradientsToTheMaxNorm() {
        double[] g = {3.0, 4.0};
        double norm = GradientClipping.clipGlobalNorm(g, 1.0);
        assertThat(norm).isEqualTo(5.0);
        double coefficient = 1.0 / (5.0 + 1e-6);
        assertThat(g).containsExactly(3.0 * coefficient, 4.0 * coefficient);
        assertThat(GradientClipping.globalNorm(g)).isCloseTo(1.0, within(1e-6)).isLessThan(1.0);
    }

    @Test
    void leavesSmallGradientsAlone() {
        double[] g = {0.3, -0.4};
        assertThat(GradientClipping.clipGlobalNorm(g, 1.0)).isCloseTo(0.5, within(1e-15));
        assertThat(g).containsExactly(0.3, -0.4);
        double[] zero = {0.0, 0.0};
        assertThat(GradientClipping.clipGlobalNorm(zero, 0.5)).isZero();
        assertThat(zero).containsExactly(0.0, 0.0);
    }

    @Test
    void atExactlyTheMaxNormTorchStillScalesByMaxOverNormPlusEpsilon() {
        double[] g = {0.6, 0.8};
        GradientClipping.clipGlobalNorm(g, 1.0);
        double coefficient = 1.0 / (1.0 + 1e-6);
        assertThat(g[0]).isCloseTo(0.6 * coefficient, within(1e-16));
        assertThat(g[1]).isCloseTo(0.8 * coefficient, within(1e-16));
    }

    @Test
    void jointNormOverSeveralVectors() {
        double[] actor = {3.0};
        double[] critic = {0.0, 4.0};
        double norm = GradientClipping.clipGlobalNorm(0.5, actor, critic);
        assertThat(norm).isEqualTo(5.0);
        double coefficient = 0.5 / (5.0 + 1e-6);
        assertThat(actor).containsExactly(3.0 * coefficient);
        assertThat(critic).containsExactly(0.0, 4.0 * coefficient);
    }
}
