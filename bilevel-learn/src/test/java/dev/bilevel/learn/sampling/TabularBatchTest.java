package dev.bilevel.learn.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Bookkeeping of a hand-built batch: successors, episode counts and used rows. */
class TabularBatchTest {

    /**
     * Stream 0 (6 of 6 rows): an episode that terminates at row 2, then one truncated at row 4, then
     * one cut by the batch end. Stream 1 (3 of 6 rows): one episode cut by the stream's end (not done);
     * rows 3–5 unused but deliberately filled with done flags and τ = 0 that must be ignored.
     */
    private static TabularBatch batch() {
        TabularBatch batch = BatchAccess.of(6, new int[][][] {
            {{0, 1, 0, 0}, {2, 0, 1, 0}, {4, 1, 2, 1}, {1, 1, 0, 0}, {3, 0, 1, 2}, {0, 0, 0, 0}},
            {{1, 0, 0, 0}, {2, 1, 1, 0}, {4, 0, 2, 0}}});
        for (int i = 9; i < 12; i++) {
            batch.terminated()[i] = true;
            batch.truncated()[i] = i == 10;
            batch.times()[i] = 0;
        }
        return batch;
    }

    @Test
    void successorsStopAtEpisodeEndsStreamEndsAndUnusedRows() {
        TabularBatch b = batch();
        // row 8 is the last used row of stream 1: no successor although row 9 exists and it is not done
        boolean[] expected = {true, true, false, true, false, false, true, true, false, false, false, false};
        for (int i = 0; i < expected.length; i++) {
            assertThat(b.hasSuccessor(i)).as("row %d", i).isEqualTo(expected[i]);
        }
    }

    @Test
    void countsEpisodesOnlyInUsedRows() {
        TabularBatch b = batch();
        assertThat(b.streams()).isEqualTo(2);
        assertThat(b.length()).isEqualTo(6);
        assertThat(b.size()).isEqualTo(12);
        assertThat(b.streamLength(0)).isEqualTo(6);
        assertThat(b.streamLength(1)).isEqualTo(3);
        assertThat(b.usedRows()).isEqualTo(9);
        assertThat(b.completedEpisodes()).as("two in stream 0; the trailing ones and unused rows do not count")
                .isEqualTo(2);
        assertThat(b.startedEpisodes()).isEqualTo(4);
        assertThat(b.done(2)).isTrue();
        assertThat(b.done(4)).isTrue();
        assertThat(b.done(5)).isFalse();
    }

    @Test
    void aFreshBatchUsesEveryRow() {
        TabularBatch b = new TabularBatch(3, 4);
        assertThat(b.usedRows()).isEqualTo(12);
        assertThat(b.startedEpisodes()).as("all τ are 0 in a fresh batch").isEqualTo(12);
        assertThat(b.completedEpisodes()).isZero();
        assertThat(b.hasSuccessor(3)).isFalse();
        assertThat(b.hasSuccessor(2)).isTrue();
    }

    @Test
    void rejectsEmptyShapes() {
        assertThatThrownBy(() -> new TabularBatch(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TabularBatch(5, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
