package dev.bilevel.learn.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.random.SplitMixRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GammaReplayBufferTest {

    /** Adds an episode of {@code length} steps whose state field is {@code tag}. */
    private static void episode(GammaReplayBuffer buffer, int tag, int length) {
        for (int t = 0; t < length; t++) {
            buffer.add(tag, 0, 0, 0.0, 0.0, tag, false, t == length - 1, t);
        }
    }

    @Test
    void discountWeightedDrawsFollowGammaToTheEpisodeTime() {
        GammaReplayBuffer buffer = new GammaReplayBuffer(30, 0.8, true);
        episode(buffer, 0, 20);
        episode(buffer, 1, 10);
        int draws = 300_000;
        int[] out = new int[draws];
        buffer.sample(draws, true, true, new SplitMixRandom(7), out);
        int[] counts = new int[30];
        for (int i : out) {
            counts[i]++;
        }
        double total = 0.0;
        for (int i = 0; i < 30; i++) {
            total += Math.pow(0.8, buffer.time(i));
        }
        for (int i = 0; i < 30; i++) {
            double p = Math.pow(0.8, buffer.time(i)) / total;
            double sd = Math.sqrt(draws * p * (1 - p));
            assertThat(Math.abs(counts[i] - draws * p)).as("index " + i).isLessThanOrEqualTo(4.5 * sd + 1);
        }
    }

    @Test
    void overwrittenEntriesTakeTheirNewWeights() {
        GammaReplayBuffer buffer = new GammaReplayBuffer(8, 0.5, false);
        episode(buffer, 0, 8); // times 0..7
        episode(buffer, 1, 4); // overwrites indices 0..3 with times 0..3
        int draws = 200_000;
        int[] out = new int[draws];
        buffer.sample(draws, true, true, new SplitMixRandom(3), out);
        int[] counts = new int[8];
        for (int i : out) {
            counts[i]++;
        }
        double total = 0.0;
        for (int i = 0; i < 8; i++) {
            total += Math.pow(0.5, buffer.time(i));
        }
        assertThat(buffer.time(0)).isZero();
        assertThat(buffer.time(4)).isEqualTo(4);
        for (int i = 0; i < 8; i++) {
            double p = Math.pow(0.5, buffer.time(i)) / total;
            assertThat(Math.abs(counts[i] - draws * p)).isLessThanOrEqualTo(4.5 * Math.sqrt(draws * p * (1 - p)) + 1);
        }
    }

    @Test
    void uniformDrawsWithoutReplacementAreDistinctAndCoverEverything() {
        GammaReplayBuffer buffer = new GammaReplayBuffer(100, 0.99, true);
        episode(buffer, 0, 40);
        int[] out = new int[40];
        buffer.sample(40, false, false, new SplitMixRandom(1), out);
        Set<Integer> seen = new HashSet<>();
        for (int i : out) {
            seen.add(i);
        }
        assertThat(seen).hasSize(40);
        assertThatThrownBy(() -> buffer.sample(41, false, false, new SplitMixRandom(1), new int[41]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subsequencesRunToTheEndOfTheirEpisode() {
        GammaReplayBuffer buffer = new GammaReplayBuffer(100, 0.99, true);
        episode(buffer, 0, 5);
        episode(buffer, 1, 3);
        assertThat(buffer.subsequenceLength(0)).isEqualTo(5);
        assertThat(buffer.subsequenceLength(3)).isEqualTo(2);
        assertThat(buffer.subsequenceLength(4)).isEqualTo(1);
        assertThat(buffer.subsequenceLength(5)).isEqualTo(3);
        assertThat(buffer.state(buffer.offset(5, 2))).isEqualTo(1);
    }

    @Test
    void referenceEdgeCaseCutsTheSubsequenceAtTheWritePointer() {
        GammaReplayBuffer reference = new GammaReplayBuffer(8, 0.99, true);
        GammaReplayBuffer fixed = new GammaReplayBuffer(8, 0.99, false);
        for (GammaReplayBuffer b : new GammaReplayBuffer[] {reference, fixed}) {
            episode(b, 0, 4);
            episode(b, 1, 4); // full, write pointer back at 0
        }
        assertThat(reference.subsequenceLength(0)).isEqualTo(1);
        assertThat(fixed.subsequenceLength(0)).isEqualTo(4);
        assertThat(reference.subsequenceLength(1)).isEqualTo(3);
        assertThat(reference.subsequenceLength(4)).isEqualTo(4);
    }
}
