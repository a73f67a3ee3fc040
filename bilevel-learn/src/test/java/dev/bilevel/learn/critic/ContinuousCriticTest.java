package dev.bilevel.learn.critic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ContinuousCritic}: the piecewise-affine slice mean against one forward pass per draw. */
class ContinuousCriticTest {

    @ParameterizedTest
    @CsvSource({"64-64, 1", "64-64, 3", "16-32-8, 2", "32, 0", "8-8, 2"})
    void sliceMeanEqualsTheBatchedForwardPass(String hidden, int column) {
        String[] parts = hidden.split("-");
        int[] widths = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            widths[i] = Integer.parseInt(parts[i]);
        }
        SplitMixRandom rng = new SplitMixRandom(widths.length * 31L + column);
        ContinuousCritic critic = new ContinuousCritic(4, widths, 0.1, 64, 256, rng);
        // Train a few steps so biases are non-zero and some units are dead.
        double[] rows = new double[64 * 4];
        double[] targets = new double[64];
        for (int step = 0; step < 20; step++) {
            for (int i = 0; i < rows.length; i++) {
                rows[i] = rng.nextGaussian();
            }
            for (int i = 0; i < 64; i++) {
                targets[i] = Math.sin(rows[4 * i]) + rows[4 * i + 3] * rows[4 * i + 2];
            }
            critic.trainStep(rows, targets, 64);
        }
        double[] row = new double[6];
        double[] draws = new double[256];
        for (int trial = 0; trial < 50; trial++) {
            for (int i = 0; i < row.length; i++) {
                row[i] = 2 * rng.nextGaussian();
            }
            double center = rng.nextGaussian();
            double spread = trial % 2 == 0 ? 1e-3 : 3.0;
            for (int j = 0; j < draws.length; j++) {
                draws[j] = center + spread * rng.nextGaussian();
            }
            double fast = critic.sliceMean(row, 1, column, draws, 0, 256);
            double slow = critic.sliceMeanByForward(row, 1, column, draws, 0, 256);
            assertThat(fast).as("trial %d", trial).isCloseTo(slow, within(1e-12 * (1 + Math.abs(slow))));
        }
        // Exactly at a breakpoint, and a single draw.
        double[] one = {0.0};
        assertThat(critic.sliceMean(row, 1, column, one, 0, 1))
                .isCloseTo(critic.sliceMeanByForward(row, 1, column, one, 0, 1), within(1e-12));
    }
}
