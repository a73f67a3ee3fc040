package dev.bilevel.learn.critic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import org.junit.jupiter.api.Test;

/** LSTD with quadratic features against the closed-form values of a linear-Gaussian chain. */
class QuadraticTdCriticTest {

    private static final double A = 0.7;
    private static final double SIGMA = 0.5;
    private static final double GAMMA = 0.9;

    private record Chain(double[] x, int[] successors, double[] rewards) {
    }

    /** {@code x' = Ax + σz}; rewards {@code (x², 1 + x)}; episodes of 50 steps from {@code N(0, 1)}. */
    private static Chain chain(int episodes, long seed) {
        int h = 50;
        int rows = episodes * h;
        Chain c = new Chain(new double[rows], new int[rows], new double[rows * 2]);
        SplitMixRandom rng = new SplitMixRandom(seed);
        for (int e = 0; e < episodes; e++) {
            double s = rng.nextGaussian();
            for (int t = 0; t < h; t++) {
                int r = e * h + t;
                c.x[r] = s;
                c.successors[r] = t < h - 1 ? r + 1 : -1;
                c.rewards[2 * r] = s * s;
                c.rewards[2 * r + 1] = 1 + s;
                s = A * s + SIGMA * rng.nextGaussian();
            }
        }
        return c;
    }

    @Test
    void recoversTheClosedFormValuesOfALinearGaussianChain() {
        Chain data = chain(400, 1);
        QuadraticTdCritic critic = new QuadraticTdCritic(1, 2, GAMMA);
        assertThat(critic.features()).isEqualTo(3);
        TdCritic.FitResult fit = critic.fit(data.x(), data.successors(), data.rewards(), data.x().length, 0, 0, null);
        assertThat(fit.steps()).isZero();
        // V₁(x) = x²/(1−γA²) + γσ²/((1−γ)(1−γA²)),  V₂(x) = 1/(1−γ) + x/(1−γA)
        double k = 1 / (1 - GAMMA * A * A);
        double c = GAMMA * SIGMA * SIGMA * k / (1 - GAMMA);
        double[] out = new double[2];
        double[] f = new double[critic.features()];
        for (double x : new double[] {-1.5, 0.0, 0.7, 2.0}) {
            critic.predict(new double[] {x}, 0, f, out);
            double v1 = k * x * x + c;
            double v2 = 1 / (1 - GAMMA) + x / (1 - GAMMA * A);
            // 20,000 transitions: the fit's sampling error is about 1 % here.
            assertThat(out[0]).as("V1(%s)", x).isCloseTo(v1, within(0.03 * Math.abs(v1)));
            assertThat(out[1]).as("V2(%s)", x).isCloseTo(v2, within(0.03 * Math.abs(v2)));
        }
        assertThat(fit.lastLoss()).isFinite().isPositive();
    }

    @Test
    void batchPredictionMatchesRowByRowAndResetForgets() {
        Chain data = chain(20, 2);
        QuadraticTdCritic critic = new QuadraticTdCritic(1, 2, GAMMA);
        critic.fit(data.x(), data.successors(), data.rewards(), data.x().length, 0, 0, null);
        double[] inputs = {-1, 0.5, 3};
        double[] batch = new double[6];
        critic.predict(inputs, 3, batch);
        double[] one = new double[2];
        double[] f = new double[critic.features()];
        for (int r = 0; r < 3; r++) {
            critic.predict(inputs, r, f, one);
            assertThat(batch[2 * r]).isEqualTo(one[0]);
            assertThat(batch[2 * r + 1]).isEqualTo(one[1]);
        }
        critic.reset();
        critic.predict(inputs, 3, batch);
        assertThat(batch).containsOnly(0.0);
    }

    @Test
    void fitLstdFitsTheSameParametersAsFit() {
        Chain data = chain(20, 3);
        QuadraticTdCritic reported = new QuadraticTdCritic(1, 2, GAMMA);
        QuadraticTdCritic plain = new QuadraticTdCritic(1, 2, GAMMA);
        reported.fit(data.x(), data.successors(), data.rewards(), data.x().length, 0, 0, null);
        plain.fitLstd(data.x(), data.successors(), data.rewards(), data.x().length);
        double[] a = new double[data.x().length * 2];
        double[] b = new double[a.length];
        reported.predict(data.x(), data.x().length, a);
        plain.predict(data.x(), data.x().length, b);
        assertThat(b).containsExactly(a);
    }

    @Test
    void rejectsBadArgumentsAndEmptyBatches() {
        assertThatThrownBy(() -> new QuadraticTdCritic(0, 1, 0.9)).hasMessageContaining("dimensions");
        assertThatThrownBy(() -> new QuadraticTdCritic(1, 1, 1.0)).hasMessageContaining("discount");
        QuadraticTdCritic critic = new QuadraticTdCritic(2, 1, 0.9);
        assertThatThrownBy(() -> critic.fit(new double[4], new int[] {-1, -1}, new double[2], 2, 0, 0, null))
                .isInstanceOf(ArithmeticException.class).hasMessageContaining("LSTD");
        assertThatThrownBy(() -> critic.fitLstd(new double[4], new int[] {-1, -1}, new double[2], 2))
                .isInstanceOf(ArithmeticException.class).hasMessageContaining("LSTD");
    }
}
