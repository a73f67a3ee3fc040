package dev.bilevel.learn.estimator.term;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.core.game.ExactGameHypergradient;
import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.GameFollowerSolution;
import dev.bilevel.core.game.JointPolicy;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.game.SoftQIteration;
import dev.bilevel.core.game.TabularSoftmaxPolicy;
import dev.bilevel.learn.critic.ExactLeaderCritic;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.learn.testing.Instances;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.method.BchgEstimator;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.follower.planning.TabularGameFollower;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The game BC-HG estimator with an exact critic against the exact game hypergradient. */
class SoftmaxPolicyTermsTest {

    private static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void meanOverBatchesMatchesTheExactHypergradient(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        MarkovGame game = Instances.randomGame(rng, 5, 2, 3, FollowerOperator.SEQUENTIAL);
        double[] logits = new double[10];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = rng.nextGaussian();
        }
        double[] leader = TabularSoftmaxPolicy.probabilities(logits, 5, 2);
        GameFollowerSolution follower = SoftQIteration.exact().solve(game, leader, null);
        TabularGameResponse response = TabularGameFollower.response(game, follower);
        double[] exact = ExactGameHypergradient.compute(game, leader, follower).gradient();
        TabularSampler sampler = new TabularSampler(game.dynamics(), 120);
        double[] joint = JointPolicy.of(leader, follower.policy(), game.leaderActions(), game.followerActions());
        BchgEstimator<double[], TabularGameResponse, TabularBatch> estimator = new BchgEstimator<>(
                new SoftmaxPolicyTerms(5, 2, 3, game.leaderReward(), game.leaderDiscount(),
                        new ExactLeaderCritic(game.dynamics())));
        int batches = 40;
        double[] sum = new double[exact.length];
        double[] sumSq = new double[exact.length];
        for (int n = 0; n < batches; n++) {
            double[] g = estimator.estimate(new Estimation<>(0, logits, response, sampler.sampleEpisodes(joint, 500, 120, rng), rng)).gradient();
            for (int j = 0; j < g.length; j++) {
                sum[j] += g[j];
                sumSq[j] += g[j] * g[j];
            }
        }
        double[] mean = new double[exact.length];
        for (int j = 0; j < exact.length; j++) {
            mean[j] = sum[j] / batches;
            double var = (sumSq[j] / batches - mean[j] * mean[j]) * batches / (batches - 1);
            double se = Math.sqrt(Math.max(var, 0.0) / batches);
            // Horizon 120 at γ = 0.85 leaves a truncation bias below 1e-8.
            assertThat(Math.abs(mean[j] - exact[j])).as("component " + j).isLessThanOrEqualTo(4 * se + 1e-6);
        }
        assertThat(cosine(mean, exact)).isGreaterThan(0.99);
        double[] single = estimator.estimate(new Estimation<>(0, logits, response, sampler.sampleEpisodes(joint, 20_000, 120, rng), rng)).gradient();
        assertThat(cosine(single, exact)).isGreaterThan(0.95);
    }
}
