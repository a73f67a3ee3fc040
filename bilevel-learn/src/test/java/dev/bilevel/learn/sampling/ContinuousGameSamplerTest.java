package dev.bilevel.learn.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.learn.testing.TestDoubles;
import org.junit.jupiter.api.Test;

class ContinuousGameSamplerTest {

    /** A follower on the line game: {@code a_F ~ N(−0.5·a_L, 0.1²)}. */
    private static final GaussianGameResponse FOLLOWER = new GaussianGameResponse() {
        @Override
        public double temperature() {
            return 1.0;
        }

        @Override
        public double discount() {
            return 0.9;
        }

        @Override
        public void mean(double[] x, int xo, double[] a, int ao, double[] out, int oo) {
            out[oo] = -0.5 * a[ao];
        }

        @Override
        public void sample(double[] x, int xo, double[] a, int ao, SplitMixRandom rng, double[] out, int oo) {
            out[oo] = -0.5 * a[ao] + 0.1 * rng.nextGaussian();
        }

        @Override
        public double softValue(double[] x, int xo, double[] a, int ao) {
            return 0.0;
        }
    };

    @Test
    void recordsChainedTransitionsRewardsFlagsAndReturns() {
        TestDoubles.LineGame game = new TestDoubles.LineGame();
        ContinuousGameSampler sampler = new ContinuousGameSampler(game, 6, 0.9, 0.5);
        LinearGaussianPolicy leader = new LinearGaussianPolicy(1, new double[] {-0.2}, new double[] {0.05});
        ContinuousReplayBuffer buffer = new ContinuousReplayBuffer(100, 0.9, false, 1, 1, 1);
        double[] returns = new double[12];
        int steps = sampler.play(leader, FOLLOWER, false, 3, buffer, returns, new SplitMixRandom(4));
        assertThat(steps).isEqualTo(18);
        for (int e = 0; e < 3; e++) {
            double discounted = 0.0;
            double total = 0.0;
            double followerDiscounted = 0.0;
            for (int t = 0; t < 6; t++) {
                int i = 6 * e + t;
                double x = buffer.states()[i];
                double a = buffer.leaderActions()[i];
                double u = buffer.followerActions()[i];
                assertThat(buffer.nextStates()[i]).isCloseTo(x + a + u, within(1e-15));
                if (t == 0) {
                    assertThat(x).isEqualTo(1.0);
                } else {
                    assertThat(x).isEqualTo(buffer.nextStates()[i - 1]);
                }
                assertThat(buffer.leaderReward(i)).isEqualTo(-x * x);
                assertThat(buffer.followerReward(i)).isEqualTo(-u * u);
                assertThat(buffer.time(i)).isEqualTo(t);
                assertThat(buffer.last(i)).isEqualTo(t == 5);
                assertThat(buffer.terminal(i)).isFalse();
                discounted += Math.pow(0.9, t) * -x * x;
                total += -x * x;
                followerDiscounted += Math.pow(0.5, t) * -u * u;
            }
            assertThat(returns[4 * e]).isCloseTo(discounted, within(1e-12));
            assertThat(returns[4 * e + 1]).isCloseTo(total, within(1e-12));
            assertThat(returns[4 * e + 2]).isCloseTo(followerDiscounted, within(1e-12));
        }
    }

    @Test
    void exploringLeaderDrawsStandardNormalsAndTerminalStatesEndEpisodes() {
        TestDoubles.LineGame game = new TestDoubles.LineGame();
        ContinuousGameSampler sampler = new ContinuousGameSampler(game, 200, 0.9, 0.9);
        LinearGaussianPolicy leader = new LinearGaussianPolicy(1, new double[] {0.0}, new double[] {1e-3});
        ContinuousReplayBuffer buffer = new ContinuousReplayBuffer(100_000, 0.9, false, 1, 1, 1);
        sampler.play(leader, FOLLOWER, true, 300, buffer, null, new SplitMixRandom(8));
        int n = buffer.size();
        double sum = 0.0;
        double sq = 0.0;
        int terminalCount = 0;
        for (int i = 0; i < n; i++) {
            double a = buffer.leaderActions()[i];
            sum += a;
            sq += a * a;
            if (buffer.terminal(i)) {
                terminalCount++;
                assertThat(Math.abs(buffer.states()[i])).isGreaterThan(3.0);
                assertThat(buffer.last(i)).isTrue();
            }
        }
        assertThat(sum / n).isCloseTo(0.0, within(5.0 / Math.sqrt(n)));
        assertThat(sq / n).isCloseTo(1.0, within(0.05));
        // A random walk with unit-variance steps leaves |x| ≤ 3 well within 200 steps almost always.
        assertThat(terminalCount).isGreaterThan(290);
    }
}
