package dev.bilevel.learn.estimator.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.critic.LeaderQFunction;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.method.BchgEstimator;
import dev.bilevel.learn.estimator.method.NaiveEstimator;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import dev.bilevel.learn.sampling.Minibatch;
import dev.bilevel.learn.testing.TestDoubles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BC-HG and Naive-PGD over {@link GaussianPolicyTerms} against their definition, written out plainly here: the direct
 * term {@code (λ1/N)Σ_i ∇log π(a_i|x_i)·A_i}, the benefit {@code Q_i − (1/M)Σ_m Q(x_i, ũ_m, a_i)} and the influence
 * {@code Σ_k w_k ∇log π·Ŵ_F} over each sample's episode future, with the same draws.
 */
class GaussianPolicyTermsTest {

    private static GaussianPolicyTerms.Options options(boolean directAdvantage, boolean influenceAdvantage,
            boolean weighted, boolean fromNext) {
        return new GaussianPolicyTerms.Options(GaussianPolicyTerms.Direct.SCORE, directAdvantage, 5, 7,
                GaussianPolicyTerms.Influence.SCORE, new InfluenceOptions(influenceAdvantage, weighted, fromNext,
                        0.7, 1.3));
    }

    /** Three episodes of lengths 5, 9, 4 on n = 2 with arbitrary values. */
    private static ContinuousReplayBuffer buffer() {
        ContinuousReplayBuffer buffer = new ContinuousReplayBuffer(64, 0.9, false, 2, 1, 1);
        SplitMixRandom rng = new SplitMixRandom(77);
        int[] lengths = {5, 9, 4};
        double[] x = new double[2];
        double[] a = new double[1];
        double[] u = new double[1];
        double[] next = new double[2];
        for (int length : lengths) {
            for (int t = 0; t < length; t++) {
                x[0] = rng.nextGaussian();
                x[1] = rng.nextGaussian();
                a[0] = 0.4 * x[0] - 0.2 * x[1] + 0.3 * rng.nextGaussian();
                u[0] = rng.nextGaussian();
                buffer.add(x, 0, a, 0, u, 0, rng.nextDouble(), 0.0, next, 0, false, t == length - 1, t);
            }
        }
        return buffer;
    }

    @ParameterizedTest
    @CsvSource({"true, true, false, false, false", "true, false, true, false, false", "true, true, true, true, true",
        "false, true, false, false, false"})
    void matchesTheDefinitionTermByTerm(boolean bchg, boolean directAdvantage, boolean influenceAdvantage,
            boolean weighted, boolean fromNext) {
        GaussianPolicyTerms terms = new GaussianPolicyTerms(2, 1, 1, 16, 0.9, options(directAdvantage,
                influenceAdvantage, weighted, fromNext), null);
        ContinuousReplayBuffer buffer = buffer();
        LinearGaussianPolicy policy = new LinearGaussianPolicy(2, new double[] {0.4, -0.2}, new double[] {0.3});
        TestDoubles.Follower follower = new TestDoubles.Follower();
        TestDoubles.Critic critic = new TestDoubles.Critic();
        int[] indices = {0, 3, 4, 5, 9, 13, 14, 17, 2, 2};
        int count = indices.length;
        Estimator<LinearGaussianPolicy, GaussianGameResponse, Minibatch<ContinuousReplayBuffer, LeaderQFunction>>
                estimator = bchg ? new BchgEstimator<>(terms) : new NaiveEstimator<>(terms);
        Estimate estimate = estimator.estimate(new Estimation<>(0, policy, follower,
                new Minibatch<>(buffer, indices, count, critic), new SplitMixRandom(3)));
        double[] direct = estimate.direct();
        double[] response = estimate.response();

        // The definition, with the same draws in the same order.
        SplitMixRandom rng = new SplitMixRandom(3);
        double[] expectedDirect = new double[2];
        double[] expectedResponse = new double[2];
        double benefitSum = 0.0;
        double lengthSum = 0.0;
        double[] row = new double[4];
        double[] draw = new double[1];
        double beta = follower.temperature();
        double gammaF = follower.discount();
        for (int i : indices) {
            double x0 = buffer.states()[2 * i];
            double x1 = buffer.states()[2 * i + 1];
            double a = buffer.leaderActions()[i];
            double u = buffer.followerActions()[i];
            row[0] = x0;
            row[1] = x1;
            row[2] = u;
            row[3] = a;
            double q = TestDoubles.Critic.q(row, 0);
            double advantage = q;
            if (directAdvantage) {
                double mean = 0.0;
                for (int j = 0; j < 5; j++) {
                    double drawn = 0.4 * x0 - 0.2 * x1 + 0.3 * rng.nextGaussian();
                    row[3] = drawn;
                    mean += TestDoubles.Critic.q(row, 0) / 5;
                }
                row[3] = a;
                advantage -= mean;
            }
            double score = (a - (0.4 * x0 - 0.2 * x1)) / 0.09;
            expectedDirect[0] += 0.7 * advantage / count * score * x0;
            expectedDirect[1] += 0.7 * advantage / count * score * x1;
            if (!bchg) {
                continue;
            }
            double baseline = 0.0;
            for (int m = 0; m < 7; m++) {
                row[2] = 0.5 * x0 - a + 0.2 * rng.nextGaussian();
                baseline += TestDoubles.Critic.q(row, 0) / 7;
            }
            double benefit = q - baseline;
            benefitSum += benefit;
            // The episode future of slot i: episodes occupy slots [0,5), [5,14), [14,18).
            int end = i < 5 ? 5 : i < 14 ? 14 : 18;
            int length = end - i;
            lengthSum += length;
            int first = fromNext ? 1 : 0;
            double normaliser = 0.0;
            for (int k = first; k < length; k++) {
                normaliser += Math.pow(gammaF, k);
            }
            if (!weighted) {
                normaliser = 1.0;
            }
            for (int k = first; k < length; k++) {
                int j = i + k;
                double y0 = buffer.states()[2 * j];
                double y1 = buffer.states()[2 * j + 1];
                double b = buffer.leaderActions()[j];
                double value = -(y0 * y0 + (b - y0) * (b - y0)) - y1;
                if (influenceAdvantage) {
                    double mean = 0.0;
                    for (int r = 0; r < 5; r++) {
                        draw[0] = 0.4 * y0 - 0.2 * y1 + 0.3 * rng.nextGaussian();
                        mean += (-(y0 * y0 + (draw[0] - y0) * (draw[0] - y0)) - y1) / 5;
                    }
                    value -= mean;
                }
                double sc = (b - (0.4 * y0 - 0.2 * y1)) / 0.09;
                double weight = 1.3 * benefit / (beta * count) * Math.pow(gammaF, k) / normaliser * value * sc;
                expectedResponse[0] += weight * y0;
                expectedResponse[1] += weight * y1;
            }
        }
        for (int k = 0; k < 2; k++) {
            assertThat(direct[k]).isCloseTo(expectedDirect[k], within(1e-12 * (1 + Math.abs(expectedDirect[k]))));
            assertThat(response[k]).isCloseTo(expectedResponse[k],
                    within(1e-12 * (1 + Math.abs(expectedResponse[k]))));
        }
        if (bchg) {
            assertThat(estimate.diagnostic("mean_benefit")).isCloseTo(benefitSum / count, within(1e-12));
            assertThat(estimate.diagnostic("mean_subsequence_length")).isCloseTo(lengthSum / count, within(1e-12));
            assertThat(response).isNotEqualTo(new double[2]);
        } else {
            assertThat(response).containsExactly(0.0, 0.0);
            assertThat(estimate.diagnostic("mean_benefit")).isNaN();
        }
    }
}
