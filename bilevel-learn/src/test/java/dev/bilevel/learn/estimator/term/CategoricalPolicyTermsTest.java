package dev.bilevel.learn.estimator.term;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.core.game.ExactGameHypergradient;
import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.GameFollowerSolution;
import dev.bilevel.core.game.JointPolicy;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.game.SoftQIteration;
import dev.bilevel.core.game.TabularSoftmaxPolicy;
import dev.bilevel.core.tabular.DiscountedOccupancy;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.learn.sampling.GameEpisodeSampler;
import dev.bilevel.learn.sampling.GammaReplayBuffer;
import dev.bilevel.learn.sampling.Minibatch;
import dev.bilevel.learn.testing.Instances;
import dev.bilevel.learn.testing.Vectors;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.method.BchgEstimator;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.follower.planning.TabularGameFollower;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The discrete leader's BC-HG batch estimate (discount-sampled transitions with their episode futures,
 * as the neural leader uses it) with the exact critic, against the exact hypergradient with respect to
 * a tabular policy's logits. Sampling ∝ γ_L^τ from whole episodes estimates the gradient scaled by
 * (1 − γ_L)/(1 − γ_L^H). Each round (a fresh buffer of 20 episodes, 10 batches of 64) is one
 * independent estimate; the mean over 400 rounds must be within 4.5 standard errors of the exact value
 * in every component.
 */
class CategoricalPolicyTermsTest {

    private static final int STATES = 5;
    private static final int NB = 2;
    private static final int NA = 3;

    @ParameterizedTest
    @ValueSource(longs = {2, 9}) // instances where the response is ≥ 30 % of the hypergradient (most random games: 3–16 %)
    void meanOfBatchEstimatesIsTheExactHypergradient(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        MarkovGame base = Instances.randomGame(rng, STATES, NB, NA, FollowerOperator.SEQUENTIAL);
        // λ = 0.1 makes the follower's response a large part of the hypergradient.
        MarkovGame game = new MarkovGame(base.dynamics(), NB, NA, base.followerReward(), base.leaderReward(),
                base.followerDiscount(), base.leaderDiscount(), 0.1, FollowerOperator.SEQUENTIAL);
        double[] logits = new double[STATES * NB];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = rng.nextGaussian();
        }
        double[] leader = TabularSoftmaxPolicy.probabilities(logits, STATES, NB);
        GameFollowerSolution follower = SoftQIteration.exact().solve(game, leader, null);
        TabularGameResponse observed = TabularGameFollower.response(game, follower);
        double[] exact = ExactGameHypergradient.compute(game, leader, follower).gradient();
        double[] qRows = PolicyEvaluation.evaluate(game.dynamics(),
                JointPolicy.of(leader, follower.policy(), game.leaderActions(), game.followerActions()),
                game.leaderReward(), game.leaderDiscount()).actionValues();
        double[] exactDirect = exactDirectTerm(game, leader, follower, qRows);
        // The instance is informative: the follower's response is a large part of the hypergradient.
        assertThat(Vectors.relativeError(exactDirect, exact)).isGreaterThan(0.3);

        double[] q = new double[qRows.length];
        for (int s = 0; s < STATES; s++) {
            for (int b = 0; b < NB; b++) {
                for (int a = 0; a < NA; a++) {
                    q[(s * NA + a) * NB + b] = qRows[(s * NB + b) * NA + a];
                }
            }
        }
        Estimator<double[], TabularGameResponse, Minibatch<GammaReplayBuffer, double[]>> estimator =
                new BchgEstimator<>(new CategoricalPolicyTerms(STATES, NB, NA, new CategoricalPolicyTerms.Options(
                        false, 0, new InfluenceOptions(true, false, false, 1.0, 1.0))));
        int horizon = 60;
        int episodes = 20;
        int rounds = 400;
        int batchesPerRound = 10;
        double gamma = game.leaderDiscount();
        double scale = (1 - Math.pow(gamma, horizon)) / (1 - gamma) / batchesPerRound;
        GameEpisodeSampler sampler = new GameEpisodeSampler(game, horizon);
        int[] indices = new int[64];
        double[] sum = new double[STATES * NB];
        double[] sumSq = new double[STATES * NB];
        double[] round = new double[STATES * NB];
        for (int r = 0; r < rounds; r++) {
            GammaReplayBuffer buffer = new GammaReplayBuffer(episodes * horizon, gamma, false);
            sampler.play(leader, observed, false, episodes, buffer, null, rng);
            java.util.Arrays.fill(round, 0.0);
            for (int k = 0; k < batchesPerRound; k++) {
                buffer.sample(64, true, true, rng, indices);
                Estimate estimate = estimator.estimate(new Estimation<>(0, leader, observed,
                        new Minibatch<>(buffer, indices, 64, q), rng));
                double[] direct = estimate.direct();
                double[] response = estimate.response();
                for (int s = 0; s < STATES; s++) {
                    double total = 0.0;
                    for (int b = 0; b < NB; b++) {
                        total += direct[s * NB + b] + response[s * NB + b];
                    }
                    for (int b = 0; b < NB; b++) {
                        round[s * NB + b] += scale * (direct[s * NB + b] + response[s * NB + b]
                                - leader[s * NB + b] * total);
                    }
                }
            }
            for (int i = 0; i < round.length; i++) {
                sum[i] += round[i];
                sumSq[i] += round[i] * round[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            double mean = sum[i] / rounds;
            double se = Math.sqrt(Math.max(sumSq[i] / rounds - mean * mean, 0.0) / (rounds - 1));
            assertThat(Math.abs(mean - exact[i])).as("component " + i).isLessThanOrEqualTo(4.5 * se + 1e-9);
        }
        double[] mean = sum.clone();
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= rounds;
        }
        assertThat(Vectors.relativeError(mean, exact)).isLessThan(0.5 * Vectors.relativeError(exactDirect, exact));
    }

    /** {@code d_L(s)·π(b|s)·(Q_L(s,b) − V_L(s))}: the hypergradient with the follower held fixed. */
    private static double[] exactDirectTerm(MarkovGame game, double[] leader, GameFollowerSolution follower,
            double[] qRows) {
        double[] d = DiscountedOccupancy.states(game.dynamics(),
                JointPolicy.of(leader, follower.policy(), game.leaderActions(), game.followerActions()),
                game.leaderDiscount());
        double[] out = new double[STATES * NB];
        for (int s = 0; s < STATES; s++) {
            double[] qb = new double[NB];
            double v = 0.0;
            for (int b = 0; b < NB; b++) {
                for (int a = 0; a < NA; a++) {
                    qb[b] += follower.policy()[(s * NB + b) * NA + a] * qRows[(s * NB + b) * NA + a];
                }
                v += leader[s * NB + b] * qb[b];
            }
            for (int b = 0; b < NB; b++) {
                out[s * NB + b] = d[s] * leader[s * NB + b] * (qb[b] - v);
            }
        }
        return out;
    }
}
