package dev.bilevel.learn.critic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.nn.Mlp;
import org.junit.jupiter.api.Test;

/** {@link FittedTdCritic}: initialisation gains, reset, and TD fitting on a small chain with a known value. */
class FittedTdCriticTest {

    @Test
    void initialKernelsAreOrthogonalWithTheReferenceGains() {
        FittedTdCritic critic = new FittedTdCritic(FittedTdCritic.Settings.reference(6, 1, 0.9,
                FittedTdCritic.Normalisation.NONE), new SplitMixRandom(1));
        Mlp net = critic.network();
        double[] p = net.parameters();
        // Layer 0 is [64][6]: its columns are orthogonal with squared norm 2 (gain √2).
        int w0 = net.weightOffset(0);
        for (int a = 0; a < 6; a++) {
            for (int b = 0; b < 6; b++) {
                double dot = 0;
                for (int r = 0; r < 64; r++) {
                    dot += p[w0 + r * 6 + a] * p[w0 + r * 6 + b];
                }
                assertThat(dot).isCloseTo(a == b ? 2.0 : 0.0, within(1e-12));
            }
        }
        // The output layer [1][64] is a row of norm 0.01; biases are zero.
        int w2 = net.weightOffset(2);
        double norm = 0;
        for (int i = 0; i < 64; i++) {
            norm += p[w2 + i] * p[w2 + i];
        }
        assertThat(Math.sqrt(norm)).isCloseTo(0.01, within(1e-12));
        for (int i = net.biasOffset(0); i < net.biasOffset(0) + 64; i++) {
            assertThat(p[i]).isZero();
        }
    }

    /**
     * A two-state Markov chain (one-hot inputs), rewards 1 and −1, switching with probability 0.3: the TD fixed
     * point is {@code V = (I − γP)⁻¹r}. Rows without a successor are left out.
     */
    @Test
    void tdFitReachesTheValueOfASmallChainAndNormalisationIsUndone() {
        double gamma = 0.5;
        SplitMixRandom rng = new SplitMixRandom(7);
        int episodes = 20;
        int horizon = 50;
        int rows = episodes * horizon;
        double[] inputs = new double[rows * 2];
        double[] rewards = new double[rows];
        int[] successors = new int[rows];
        for (int e = 0; e < episodes; e++) {
            int s = rng.nextInt(2);
            for (int t = 0; t < horizon; t++) {
                int r = e * horizon + t;
                inputs[r * 2 + s] = 1;
                rewards[r] = s == 0 ? 3.0 : -3.0;
                successors[r] = t == horizon - 1 ? -1 : r + 1;
                if (rng.nextDouble() < 0.3) {
                    s = 1 - s;
                }
            }
        }
        // The TD fixed point on this data is the value of the empirical chain: V = (I − γP̂)⁻¹r.
        double[][] counts = new double[2][2];
        for (int r = 0; r < rows; r++) {
            if (successors[r] >= 0) {
                counts[inputs[r * 2] == 1 ? 0 : 1][inputs[successors[r] * 2] == 1 ? 0 : 1]++;
            }
        }
        double p01 = counts[0][1] / (counts[0][0] + counts[0][1]);
        double p10 = counts[1][0] / (counts[1][0] + counts[1][1]);
        double m00 = 1 - gamma * (1 - p01);
        double m01 = -gamma * p01;
        double m10 = -gamma * p10;
        double m11 = 1 - gamma * (1 - p10);
        double det = m00 * m11 - m01 * m10;
        double v0 = (m11 * 3.0 - m01 * -3.0) / det;
        double v1 = (-m10 * 3.0 + m00 * -3.0) / det;
        for (FittedTdCritic.Normalisation mode : FittedTdCritic.Normalisation.values()) {
            FittedTdCritic critic = new FittedTdCritic(new FittedTdCritic.Settings(2, 1, new int[] {16}, 1e-2, 1.0,
                    gamma, mode), new SplitMixRandom(3));
            critic.fit(inputs, successors, rewards, rows, 400, 0, rng);
            double[] out = new double[2];
            critic.predict(new double[] {1, 0, 0, 1}, 2, out);
            assertThat(out[0]).as(mode.name()).isCloseTo(v0, within(0.05));
            assertThat(out[1]).as(mode.name()).isCloseTo(v1, within(0.05));
            assertThat(critic.scale()[0]).isEqualTo(mode == FittedTdCritic.Normalisation.NONE ? 1.0 : 3.0);
            // Minibatch steps from a warm start stay at the fixed point.
            critic.fit(inputs, successors, rewards, rows, 200, 64, rng);
            critic.predict(new double[] {1, 0, 0, 1}, 2, out);
            assertThat(out[0]).isCloseTo(v0, within(0.35));
        }
    }

    @Test
    void resetRestoresTheInitialWeightsAndFirstBatchScaleIsKept() {
        FittedTdCritic critic = new FittedTdCritic(new FittedTdCritic.Settings(1, 1, new int[] {8}, 1e-2, 1.0, 0.5,
                FittedTdCritic.Normalisation.FIRST_BATCH), new SplitMixRandom(5));
        double[] initial = critic.network().parameters().clone();
        double[] x = {0.1, 0.2, 0.3};
        int[] succ = {1, 2, -1};
        critic.fit(x, succ, new double[] {1, 2, 4}, 3, 20, 0, new SplitMixRandom(1));
        assertThat(critic.scale()[0]).isEqualTo(4.0);
        critic.fit(x, succ, new double[] {10, 20, 40}, 3, 20, 0, new SplitMixRandom(1));
        assertThat(critic.scale()[0]).as("first batch's scale is kept").isEqualTo(4.0);
        assertThat(critic.network().parameters()).isNotEqualTo(initial);
        critic.reset();
        assertThat(critic.network().parameters()).isEqualTo(initial);
        critic.fit(x, succ, new double[] {10, 20, 40}, 3, 1, 0, new SplitMixRandom(1));
        assertThat(critic.scale()[0]).isEqualTo(40.0);
    }
}
