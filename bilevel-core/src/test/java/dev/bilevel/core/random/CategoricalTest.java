package dev.bilevel.core.random;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class CategoricalTest {

    /** Frequencies over 400,000 draws match the slice's probabilities within 5 standard errors. */
    @Test
    void drawsTheSliceItIsGiven() {
        double[] table = {0.9, 0.1, 0.5, 0.0, 0.2, 0.3, 0.7};
        int offset = 2;
        int n = 4;
        int draws = 400_000;
        int[] counts = new int[n];
        SplitMixRandom rng = new SplitMixRandom(42);
        for (int k = 0; k < draws; k++) {
            counts[Categorical.draw(table, offset, n, rng)]++;
        }
        for (int i = 0; i < n; i++) {
            double p = table[offset + i];
            double se = Math.sqrt(p * (1 - p) / draws);
            assertThat((double) counts[i] / draws).as("index " + i).isCloseTo(p, Offset.offset(5 * se + 1e-12));
        }
        assertThat(counts[1]).as("zero probability").isZero();
    }

    @Test
    void roundingNeverLandsOnAZeroEntry() {
        double[] p = {0.3, 0.3, 0.3, 0.0}; // sums to 0.9: a uniform above it falls through
        SplitMixRandom rng = new SplitMixRandom(7);
        for (int k = 0; k < 10_000; k++) {
            assertThat(Categorical.draw(p, 0, 4, rng)).isLessThan(3);
        }
        assertThat(Categorical.draw(new double[] {0.0, 0.0}, 0, 2, rng)).isZero();
    }
}
