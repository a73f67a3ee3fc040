package dev.bilevel.learn.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.core.random.SplitMixRandom;
import org.junit.jupiter.api.Test;

class ContinuousReplayBufferTest {

    /** Adds an episode whose state entries are {@code tag + t/1000}. */
    private static void episode(ContinuousReplayBuffer buffer, int tag, int length) {
        double[] x = new double[2];
        double[] next = new double[2];
        double[] a = {tag};
        double[] u = {-tag};
        for (int t = 0; t < length; t++) {
            x[0] = tag + t / 1000.0;
            x[1] = -x[0];
            next[0] = x[0] + 0.5;
            buffer.add(x, 0, a, 0, u, 0, tag, 2 * tag, next, 0, false, t == length - 1, t);
        }
    }

    @Test
    void storesVectorsAndGrowsPastItsFirstAllocation() {
        ContinuousReplayBuffer buffer = new ContinuousReplayBuffer(1_000_000, 0.99, false, 2, 1, 1);
        for (int e = 0; e < 30; e++) {
            episode(buffer, e, 100);
        }
        assertThat(buffer.size()).isEqualTo(3000);
        int i = 2 * 100 + 7;
        assertThat(buffer.states()[2 * i]).isEqualTo(2.007);
        assertThat(buffer.states()[2 * i + 1]).isEqualTo(-2.007);
        assertThat(buffer.nextStates()[2 * i]).isEqualTo(2.507);
        assertThat(buffer.leaderActions()[i]).isEqualTo(2.0);
        assertThat(buffer.followerActions()[i]).isEqualTo(-2.0);
        assertThat(buffer.leaderReward(i)).isEqualTo(2.0);
        assertThat(buffer.followerReward(i)).isEqualTo(4.0);
        assertThat(buffer.time(i)).isEqualTo(7);
        assertThat(buffer.subsequenceLength(i)).isEqualTo(93);
        assertThat(buffer.last(299)).isTrue();
        int[] out = new int[3000];
        buffer.sample(3000, false, true, new SplitMixRandom(1), out);
        assertThat(java.util.Arrays.stream(out).distinct().count()).isEqualTo(3000);
    }

    @Test
    void onPolicyBufferKeepsTheLastEpisodesAndTheReferenceEdgeCase() {
        ContinuousReplayBuffer buffer = new ContinuousReplayBuffer(400, 0.99, true, 2, 1, 1);
        for (int e = 0; e < 9; e++) {
            episode(buffer, e, 100);
        }
        // Nine episodes into 400 slots: slots 0..99 hold episode 8, 100..399 episodes 5..7.
        assertThat(buffer.states()[0]).isEqualTo(8.0);
        assertThat(buffer.states()[2 * 100]).isEqualTo(5.0);
        // The write pointer is at slot 100, the oldest entry: the reference gives it a length-1 subsequence.
        assertThat(buffer.subsequenceLength(100)).isEqualTo(1);
        assertThat(buffer.subsequenceLength(0)).isEqualTo(100);
        assertThat(buffer.subsequenceLength(101)).isEqualTo(99);
        ContinuousReplayBuffer exact = new ContinuousReplayBuffer(400, 0.99, false, 2, 1, 1);
        for (int e = 0; e < 9; e++) {
            episode(exact, e, 100);
        }
        assertThat(exact.subsequenceLength(100)).isEqualTo(100);
    }
}
