package dev.bilevel.learn.estimator.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.lqr.LeaderAwareLqrSolution;
import dev.bilevel.core.lqr.LeaderAwareMaxEntLqr;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.LinearGaussianGameResponse;
import dev.bilevel.learn.follower.planning.MaxEntLqrGameFollower;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.learn.sampling.ContinuousGameSampler;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import dev.bilevel.problems.lqr.LqrGame;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PathwiseDirectTerm} on stored episodes of the LQR game against central differences of the same
 * episodes' discounted leader return re-simulated with the gain moved and every noise held fixed (the leader's
 * {@code a − Kx} and the follower's {@code a_F − μ_F(x, a)}, the follower's policy unchanged): the two must agree to
 * the differences' truncation error, episode average and normalisation included.
 */
class PathwiseDirectTermTest {

    private static final double GAMMA = 0.99;
    private static final int HORIZON = 100;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void equalsCentralDifferencesOfTheReSimulatedEpisodes(long seed) {
        LqrGame game = LqrGame.referenceV4();
        double[] k = {-8.0, -2.0};
        double[] w = {1e-3};
        LeaderAwareLqrSolution solution = new LeaderAwareMaxEntLqr().solve(game.followerModel(0.95, 0.1), k, w);
        LinearGaussianGameResponse follower = MaxEntLqrGameFollower.response(solution, 0.1, 0.95);
        LinearGaussianPolicy policy = new LinearGaussianPolicy(2, k, w);
        int episodes = 3;
        ContinuousReplayBuffer buffer = new ContinuousReplayBuffer(episodes * HORIZON, GAMMA, false, 2, 1, 1);
        new ContinuousGameSampler(game, HORIZON, GAMMA, 0.95).play(policy, follower, false, episodes, buffer, null,
                new SplitMixRandom(seed));

        double[] estimate = new double[2];
        int used = new PathwiseDirectTerm(game, GAMMA).estimate(buffer, policy, follower, 1.0, estimate);
        assertThat(used).isEqualTo(episodes);

        double h = 1e-6;
        double normaliser = (1 - Math.pow(GAMMA, HORIZON)) / (1 - GAMMA);
        for (int i = 0; i < 2; i++) {
            double[] kp = k.clone();
            double[] km = k.clone();
            kp[i] += h;
            km[i] -= h;
            double difference = 0.0;
            for (int e = 0; e < episodes; e++) {
                difference += (replay(game, solution, buffer, e * HORIZON, k, kp)
                        - replay(game, solution, buffer, e * HORIZON, k, km)) / (2 * h);
            }
            double expected = difference / (episodes * normaliser);
            assertThat(estimate[i]).as("K_%d", i + 1)
                    .isCloseTo(expected, within(1e-6 * Math.max(1, Math.abs(expected))));
        }
        // The check can fail: the gradient is not negligible here, on the ridge of the leader's reward.
        assertThat(Math.abs(estimate[0])).isGreaterThan(1e-4);
    }

    /** The discounted leader return of the episode stored from {@code start}, re-simulated under {@code gain}. */
    private static double replay(LqrGame game, LeaderAwareLqrSolution follower, ContinuousReplayBuffer buffer,
            int start, double[] recorded, double[] gain) {
        double[] xs = {buffer.states()[start * 2], buffer.states()[start * 2 + 1]};
        double[] a = new double[1];
        double[] u = new double[1];
        double[] mean = new double[1];
        double[] next = new double[2];
        double total = 0.0;
        double weight = 1.0;
        for (int t = 0; t < HORIZON; t++, weight *= GAMMA) {
            int j = start + t;
            double[] xr = {buffer.states()[2 * j], buffer.states()[2 * j + 1]};
            double leaderNoise = buffer.leaderActions()[j] - (recorded[0] * xr[0] + recorded[1] * xr[1]);
            follower.followerMean(xr, 0, buffer.leaderActions(), j, mean, 0);
            double followerNoise = buffer.followerActions()[j] - mean[0];
            total += weight * game.leaderReward(xs, 0);
            a[0] = gain[0] * xs[0] + gain[1] * xs[1] + leaderNoise;
            follower.followerMean(xs, 0, a, 0, u, 0);
            u[0] += followerNoise;
            game.step(xs, 0, a, 0, u, 0, null, next, 0);
            xs[0] = next[0];
            xs[1] = next[1];
        }
        return total;
    }
}
