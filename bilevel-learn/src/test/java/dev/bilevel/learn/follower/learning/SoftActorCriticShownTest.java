package dev.bilevel.learn.follower.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.SoftActorCriticGameResponse;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What a leader observes of a soft actor-critic follower in a game ({@link SoftActorCriticGameResponse}): the
 * follower's own policy and soft value at {@code [x, clip(a_L)]}, as they were when it was shown them, read without
 * changing the follower's future.
 */
class SoftActorCriticShownTest {

    private static final SacSettings SETTINGS = new SacSettings(new int[] {8}, 16, 0.9, 0.01, 3e-3, 3e-3, 0.3, 0.0,
            -1.0, 100, 0, 1);

    /** A follower of 2 state coordinates and the wind, trained a little so that its networks are not symmetric. */
    private static ContinuousSoftActorCritic follower(long seed, int steps) {
        ContinuousSoftActorCritic sac = new ContinuousSoftActorCritic(3, new double[] {2.0}, SETTINGS,
                new SplitMixRandom(seed));
        train(sac, new SplitMixRandom(seed + 1), steps);
        return sac;
    }

    private static void train(ContinuousSoftActorCritic sac, SplitMixRandom env, int steps) {
        double[] o = new double[3];
        double[] next = new double[3];
        double[] a = new double[1];
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < 3; k++) {
                o[k] = env.nextGaussian();
                next[k] = env.nextGaussian();
            }
            sac.act(o, 0, a, 0);
            sac.learn(o, a, -a[0] * a[0] + o[2], next, false);
        }
    }

    @Test
    void theFollowerSeesTheStateItKnowsAndTheClippedWind() {
        ContinuousSoftActorCritic sac = follower(3, 40);
        SoftActorCriticGameResponse response = sac.response(2, 1.0, 4, new SplitMixRandom(9));
        // the leader's state carries a feature of its own after the game's 2 coordinates; the wind 5 is clipped to 1
        double[] out = new double[1];
        double[] expected = new double[1];
        response.mean(new double[] {0.3, -0.2, 0.5}, 0, new double[] {5.0}, 0, out, 0);
        sac.mean(new double[] {0.3, -0.2, 1.0}, 0, expected, 0);
        assertThat(out[0]).isEqualTo(expected[0]);
        response.mean(new double[] {0.3, -0.2, 7.0}, 0, new double[] {-0.4}, 0, out, 0);
        sac.mean(new double[] {0.3, -0.2, -0.4}, 0, expected, 0);
        assertThat(out[0]).isEqualTo(expected[0]);
        assertThat(response.temperature()).isEqualTo(sac.temperature());
        assertThat(response.discount()).isEqualTo(0.9);
    }

    /** Its soft value is the follower's own estimate with the same draws, and its draws follow the follower's law. */
    @Test
    void itsValueAndDrawsAreTheFollowers() {
        ContinuousSoftActorCritic sac = follower(4, 40);
        SoftActorCriticGameResponse response = sac.response(2, 1.0, 6, new SplitMixRandom(11));
        double value = response.softValue(new double[] {0.1, 0.5}, 0, new double[] {-3.0}, 0);
        assertThat(value).isEqualTo(sac.softValue(new double[] {0.1, 0.5, -1.0}, 0, 6, new SplitMixRandom(11)));
        // c·tanh(μ + σε) is monotone in ε, so the median of the draws is the follower's deterministic c·tanh(μ)
        int count = 4_001;
        double[] draws = new double[count];
        double[] a = new double[1];
        SplitMixRandom rng = new SplitMixRandom(5);
        for (int i = 0; i < count; i++) {
            response.sample(new double[] {0.1, 0.5}, 0, new double[] {0.2}, 0, rng, a, 0);
            draws[i] = a[0];
        }
        Arrays.sort(draws);
        double[] mode = new double[1];
        sac.mean(new double[] {0.1, 0.5, 0.2}, 0, mode, 0);
        assertThat(draws[0]).isGreaterThanOrEqualTo(-2.0);
        assertThat(draws[count - 1]).isLessThanOrEqualTo(2.0);
        assertThat(draws[count / 2]).isCloseTo(mode[0], within(0.08));
    }

    /**
     * The response is a copy: the follower learning on does not change it until it is shown again, and the leader
     * drawing from it does not change what the follower does next.
     */
    @Test
    void itIsACopyTakenWhenShown() {
        ContinuousSoftActorCritic watched = follower(5, 40);
        ContinuousSoftActorCritic alone = follower(5, 40);
        SoftActorCriticGameResponse response = watched.response(2, 1.0, 3, new SplitMixRandom(1));
        double[] x = {0.2, 0.1};
        double[] wind = {0.5};
        double[] o = {0.2, 0.1, 0.5};
        double[] before = new double[1];
        response.mean(x, 0, wind, 0, before, 0);
        SplitMixRandom leaderRng = new SplitMixRandom(2);
        double[] draw = new double[1];
        for (int i = 0; i < 100; i++) {
            response.sample(x, 0, wind, 0, leaderRng, draw, 0);
            response.softValue(x, 0, wind, 0);
        }
        train(watched, new SplitMixRandom(7), 30);
        train(alone, new SplitMixRandom(7), 30);
        double[] a = new double[1];
        double[] b = new double[1];
        watched.mean(o, 0, a, 0);
        alone.mean(o, 0, b, 0);
        assertThat(a[0]).as("observing changed nothing of the follower").isEqualTo(b[0]);
        double[] still = new double[1];
        response.mean(x, 0, wind, 0, still, 0);
        assertThat(still[0]).as("the copy stays as it was shown").isEqualTo(before[0]).isNotEqualTo(a[0]);
        watched.showTo(response);
        response.mean(x, 0, wind, 0, still, 0);
        assertThat(still[0]).isEqualTo(a[0]);
    }

    /** While the follower still acts at random, so do the leader's draws of it: uniform in its box. */
    @Test
    void aFollowerStillExploringIsDrawnUniformly() {
        ContinuousSoftActorCritic sac = new ContinuousSoftActorCritic(3, new double[] {2.0}, new SacSettings(
                new int[] {8}, 16, 0.9, 0.01, 3e-3, 3e-3, 0.3, 0.0, -1.0, 100, 1_000, 1), new SplitMixRandom(8));
        SoftActorCriticGameResponse response = sac.response(2, 1.0, 2, new SplitMixRandom(3));
        SplitMixRandom rng = new SplitMixRandom(4);
        double[] a = new double[1];
        int[] quarters = new int[4];
        int count = 8_000;
        for (int i = 0; i < count; i++) {
            response.sample(new double[] {0.0, 0.0}, 0, new double[] {0.0}, 0, rng, a, 0);
            quarters[(int) Math.min(3, Math.floor((a[0] + 2.0) / 1.0))]++;
        }
        for (int q : quarters) {
            // each quarter of [−2, 2] holds 1/4 of the draws, within 4 standard errors
            assertThat(Math.abs(q - count / 4.0)).isLessThan(4 * Math.sqrt(count * 0.25 * 0.75));
        }
    }

    @Test
    void badArgumentsAreRefused() {
        ContinuousSoftActorCritic sac = follower(6, 0);
        SplitMixRandom rng = new SplitMixRandom(0);
        assertThatThrownBy(() -> sac.response(3, 1.0, 1, rng)).hasMessageContaining("state dimension");
        assertThatThrownBy(() -> sac.response(2, 0.0, 1, rng)).hasMessageContaining("leader bound");
        assertThatThrownBy(() -> sac.response(2, 1.0, 0, rng)).hasMessageContaining("draws");
    }
}
