package dev.bilevel.learn.estimator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.lqr.SoftLqr;
import dev.bilevel.core.lqr.SoftLqrSolution;
import dev.bilevel.learn.critic.FittedTdCritic;
import dev.bilevel.learn.critic.QuadraticTdCritic;
import dev.bilevel.learn.follower.GaussianResponse;
import dev.bilevel.learn.follower.planning.SoftLqrFollower;
import dev.bilevel.learn.leader.ClippedSgd;
import dev.bilevel.learn.sampling.ContinuousBatch;
import dev.bilevel.learn.sampling.ContinuousSampler;
import dev.bilevel.learn.estimator.ContinuousHypergradientEstimator.Method;
import dev.bilevel.learn.testing.ScalarLqMdp;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The continuous estimators' pieces against their definitions, on a one-dimensional LQ problem. */
class ContinuousEstimatorTest {

    private static final ScalarLqMdp MDP = new ScalarLqMdp();

    private static ContinuousHypergradientEstimator.Settings settings(int steps, int samples, boolean antithetic) {
        return new ContinuousHypergradientEstimator.Settings(false, 0, steps, 32, samples, antithetic,
                FittedTdCritic.Normalisation.NONE, FittedTdCritic.Normalisation.PER_BATCH, new int[] {8}, 1e-3, 1.0,
                1.0, -1, ContinuousHypergradientEstimator.Sensitivity.MONTE_CARLO, false, false);
    }

    private static GaussianResponse follower(double[] w) {
        SoftLqrSolution sol = new SoftLqr().solve(MDP.configure(w).followerModel());
        return SoftLqrFollower.response(sol, MDP.temperature(), MDP.followerDiscount());
    }

    private static ContinuousBatch batch(double[] w, int episodes, long seed) {
        return ContinuousSampler.sample(MDP, MDP.configure(w), follower(w), episodes, new SplittableRandom(seed));
    }

    @Test
    void samplerRecordsCompleteEpisodesWithScoresIntoEachState() {
        double[] w = {0.3, -0.2};
        ContinuousBatch b = batch(w, 3, 1);
        GaussianResponse f = follower(w);
        assertThat(b.rows()).isEqualTo(60);
        double[] score = new double[2];
        for (int r = 0; r < b.rows(); r++) {
            int t = b.time(r);
            assertThat(b.successor(r)).isEqualTo(t == 19 ? -1 : r + 1);
            assertThat(b.followerValues[r]).isCloseTo(f.softValue(b.states, r), within(1e-12));
            if (t == 0) {
                assertThat(b.scores[2 * r]).isZero();
                assertThat(b.scores[2 * r + 1]).isZero();
            } else {
                MDP.configure(w).transitionScore(new double[] {b.states[r - 1]}, new double[] {b.actions[r - 1]},
                        new double[] {b.states[r]}, score);
                assertThat(b.scores[2 * r]).isEqualTo(score[0]);
                assertThat(b.scores[2 * r + 1]).isEqualTo(score[1]);
            }
        }
        double manual = 0;
        for (int e = 0; e < 3; e++) {
            for (int t = 0; t < 20; t++) {
                manual += Math.pow(0.8, t) * b.leaderRewards[e * 20 + t];
            }
        }
        assertThat(b.discountedLeaderReturn(0.8)).isCloseTo(manual / 3, within(1e-12));
    }

    @Test
    void followerSensitivityAndReturnsAreTheirDiscountedTailSums() {
        ContinuousBatch b = batch(new double[] {0.1, 0.4}, 4, 2);
        int rows = b.rows();
        double[] phi = new double[rows * 2];
        double[] bigPhi = new double[rows * 2];
        ContinuousHypergradientEstimator.followerSensitivity(b, 0.8, false, phi, bigPhi);
        double[] ret = ContinuousHypergradientEstimator.leaderReturns(b, 0.8);
        for (int e = 0; e < 4; e++) {
            for (int t = 0; t < 20; t++) {
                int r = e * 20 + t;
                double expectR = 0;
                for (int j = t; j < 20; j++) {
                    expectR += Math.pow(0.8, j - t) * b.leaderRewards[e * 20 + j];
                }
                assertThat(ret[r]).isCloseTo(expectR, within(1e-9));
                for (int i = 0; i < 2; i++) {
                    double expectPhi = 0;
                    // Φ_t = γ Σ_{j ≥ t} γ^{j−t} score(x_{j+1}) V_F(x_{j+1}), for j + 1 inside the episode.
                    for (int j = t; j < 19; j++) {
                        expectPhi += Math.pow(0.8, j - t + 1) * b.scores[(e * 20 + j + 1) * 2 + i]
                                * b.followerValues[e * 20 + j + 1];
                    }
                    assertThat(bigPhi[r * 2 + i]).isCloseTo(expectPhi, within(1e-9 * (1 + Math.abs(expectPhi))));
                }
            }
        }
    }

    /** The final sums against a direct transcription of the four estimators' formulas. */
    @ParameterizedTest
    @EnumSource(Method.class)
    void combinedSumsFollowTheEstimatorDefinitions(Method method) {
        ContinuousBatch b = batch(new double[] {0.2, 0.1}, 5, 3);
        int rows = b.rows();
        SplittableRandom rng = new SplittableRandom(4);
        double[] v = new double[rows];
        double[] q = new double[rows];
        double[] psiHat = new double[rows * 2];
        double[] bigPhi = new double[rows * 2];
        double[] ret = new double[rows];
        for (int r = 0; r < rows; r++) {
            v[r] = rng.nextGaussian();
            q[r] = rng.nextGaussian();
            ret[r] = rng.nextGaussian();
            for (int i = 0; i < 2; i++) {
                psiHat[r * 2 + i] = rng.nextGaussian();
                bigPhi[r * 2 + i] = rng.nextGaussian();
            }
        }
        double clip = 0.5;
        ContinuousHypergradientEstimator est = new ContinuousHypergradientEstimator(MDP, method,
                new ContinuousHypergradientEstimator.Settings(false, 0, 0, 0, 2, true,
                        FittedTdCritic.Normalisation.NONE, FittedTdCritic.Normalisation.NONE, new int[] {4}, 1e-3, 1.0,
                        clip, -1, ContinuousHypergradientEstimator.Sensitivity.MONTE_CARLO, false, false), new SplittableRandom(1));
        double[] direct = new double[2];
        double[] response = new double[2];
        double beta = 0.2;
        double[] weights = new double[rows];
        for (int r = 0; r < rows; r++) {
            weights[r] = Math.pow(0.8, r % 20);
        }
        est.combine(b, v, null, q, psiHat, bigPhi, ret, weights, 0.8, beta, direct, response);
        double[] expectDirect = new double[2];
        double[] expectResponse = new double[2];
        for (int r = 0; r < rows; r++) {
            int t = r % 20;
            double w = Math.pow(0.8, t);
            for (int i = 0; i < 2; i++) {
                // groups of one weight: clipping to norm 0.5 is clipping the magnitude
                double psi = t == 0 ? 0 : Math.max(-clip, Math.min(clip, b.scores[r * 2 + i]));
                expectDirect[i] += w * (b.leaderRewardGradients[r * 2 + i] + psi * v[r]);
                double br = switch (method) {
                    case BCHG -> bigPhi[r * 2 + i] * (q[r] - v[r]) / beta;
                    case NAIVE -> 0;
                    case HPGD_MC -> (bigPhi[r * 2 + i] - psiHat[r * 2 + i]) * ret[r] / beta;
                    case HPGD_TD -> (bigPhi[r * 2 + i] - psiHat[r * 2 + i]) * q[r] / beta;
                };
                expectResponse[i] += w * br;
            }
        }
        for (int i = 0; i < 2; i++) {
            assertThat(direct[i]).isCloseTo(expectDirect[i] / 5, within(1e-9));
            assertThat(response[i]).isCloseTo(expectResponse[i] / 5, within(1e-9));
        }
    }

    /** Thinning late rows keeps the expectation: averaged over draws, the estimate matches the full sum. */
    @Test
    void thinnedRowsGiveTheSameExpectedEstimate() {
        double[] w = {0.2, -0.1};
        ContinuousBatch b = batch(w, 6, 9);
        GaussianResponse f = follower(w);
        ContinuousHypergradientEstimator.Settings full = new ContinuousHypergradientEstimator.Settings(false, 0, 0, 0,
                2, true, FittedTdCritic.Normalisation.NONE, FittedTdCritic.Normalisation.NONE, new int[] {4}, 1e-3,
                1.0, 1.0, -1, ContinuousHypergradientEstimator.Sensitivity.MONTE_CARLO, false, false);
        ContinuousHypergradientEstimator.Settings thin = new ContinuousHypergradientEstimator.Settings(false, 0, 0, 0,
                2, true, FittedTdCritic.Normalisation.NONE, FittedTdCritic.Normalisation.NONE, new int[] {4}, 1e-3,
                1.0, 1.0, 5, ContinuousHypergradientEstimator.Sensitivity.MONTE_CARLO, false, false);
        // HPGD (MC) with untrained networks is deterministic given the batch except for the thinning.
        double[] exact = new ContinuousHypergradientEstimator(MDP, Method.HPGD_MC, full, new SplittableRandom(3))
                .estimate(b, MDP.configure(w), f, new SplittableRandom(1)).gradient();
        ContinuousHypergradientEstimator thinned = new ContinuousHypergradientEstimator(MDP, Method.HPGD_MC, thin,
                new SplittableRandom(3));
        SplittableRandom rng = new SplittableRandom(2);
        int draws = 1500;
        double[] sum = new double[2];
        double[] sq = new double[2];
        for (int k = 0; k < draws; k++) {
            double[] g = thinned.estimate(b, MDP.configure(w), f, rng).gradient();
            for (int i = 0; i < 2; i++) {
                sum[i] += g[i];
                sq[i] += g[i] * g[i];
            }
        }
        for (int i = 0; i < 2; i++) {
            double mean = sum[i] / draws;
            double se = Math.sqrt((sq[i] / draws - mean * mean) / draws);
            assertThat(mean).isCloseTo(exact[i], within(4 * se + 1e-9));
        }
    }

    /** The transition baseline is the follower value's conditional mean, so centring φ keeps its expectation. */
    @Test
    void transitionBaselineIsTheConditionalMeanOfTheNextFollowerValue() {
        double[] w = {0.3, 0.2};
        ContinuousBatch b = batch(w, 2, 12);
        GaussianResponse f = follower(w);
        var configured = MDP.configure(w);
        SplittableRandom rng = new SplittableRandom(13);
        for (int r : new int[] {0, 7, 25}) {
            double[] x = {b.states[r]};
            double[] u = {b.actions[r]};
            double[] next = new double[1];
            int n = 8_000;
            double sum = 0;
            double sq = 0;
            for (int k = 0; k < n; k++) {
                configured.step(x, u, rng, next);
                double v = f.softValue(next, 0);
                sum += v;
                sq += v * v;
            }
            double mean = sum / n;
            double se = Math.sqrt((sq / n - mean * mean) / n);
            assertThat(b.expectedNextFollowerValues[r]).isCloseTo(mean, within(4 * se + 1e-12));
        }
        double[] phi = new double[b.rows() * 2];
        double[] bigPhi = new double[b.rows() * 2];
        ContinuousHypergradientEstimator.followerSensitivity(b, 0.8, true, phi, bigPhi);
        assertThat(phi[6 * 2]).isCloseTo(b.scores[7 * 2] * (b.followerValues[7] - b.expectedNextFollowerValues[6]),
                within(1e-9));
    }

    /** {@code ∇_x V_F = −2Px} against central differences of the soft value. */
    @Test
    void followerValueGradientMatchesCentralDifferences() {
        GaussianResponse f = follower(new double[] {0.4, -0.3});
        double[] g = new double[1];
        for (double x : new double[] {-2, 0.3, 1.7}) {
            f.valueGradient(new double[] {x}, g);
            double h = 1e-5;
            double fd = (f.softValue(new double[] {x + h}, 0) - f.softValue(new double[] {x - h}, 0)) / (2 * h);
            assertThat(g[0]).isCloseTo(fd, within(1e-6 * (1 + Math.abs(fd))));
        }
    }

    /** The follower's {@code E[V_F(x')|x,u]} at decision {@code w}, in closed form. */
    private static double expectedNextValue(double[] w, double x, double u) {
        SoftLqrSolution sol = new SoftLqr().solve(MDP.configure(w).followerModel());
        double mu = ScalarLqMdp.a(w) * x + u;
        double p = sol.pArray()[0];
        return -(p * (mu * mu + ScalarLqMdp.SIGMA * ScalarLqMdp.SIGMA) + sol.v());
    }

    /**
     * The model sensitivity {@code G(x,u)} (one-step part in closed form, {@code Ψ̂ ≈ ∇_w V_F} by LSTD on a batch)
     * moves with the action like the exact {@code ∇_w Q_F(x,u) = γ_F ∇_w E[V_F(x')|x,u]} (central differences of
     * the re-solved follower): {@code G} differs from it by a constant in {@code u}, which the BC-HG covariance does
     * not see.
     */
    @Test
    void modelSensitivityTracksTheExactFollowerSensitivityAcrossActions() {
        double[] w = {0.3, -0.2};
        var configured = MDP.configure(w);
        GaussianResponse f = follower(w);
        ContinuousBatch b = batch(w, 500, 21);
        int rows = b.rows();
        QuadraticTdCritic psi = new QuadraticTdCritic(1, 2, MDP.followerDiscount());
        ModelSensitivity g = new ModelSensitivity(configured, f, psi, 1, 2);
        int[] succ = new int[rows];
        double[] rewards = new double[rows * 2];
        double[] one = new double[2];
        for (int r = 0; r < rows; r++) {
            succ[r] = b.successor(r);
            g.oneStep(new double[] {b.states[r]}, new double[] {b.actions[r]}, one);
            rewards[2 * r] = MDP.followerDiscount() * one[0];
            rewards[2 * r + 1] = MDP.followerDiscount() * one[1];
        }
        psi.fitLstd(b.states, succ, rewards, rows);
        double h = 1e-5;
        double x = 0.8;
        double[] ga = new double[2];
        double[] gb = new double[2];
        for (double[] pair : new double[][] {{-1.0, 0.5}, {0.2, 1.5}, {-0.6, -1.4}}) {
            g.evaluate(new double[] {x}, new double[] {pair[0]}, ga);
            g.evaluate(new double[] {x}, new double[] {pair[1]}, gb);
            for (int i = 0; i < 2; i++) {
                double[] wp = w.clone();
                double[] wm = w.clone();
                wp[i] += h;
                wm[i] -= h;
                double exact = MDP.followerDiscount() * ((expectedNextValue(wp, x, pair[0])
                        - expectedNextValue(wm, x, pair[0])) - (expectedNextValue(wp, x, pair[1])
                        - expectedNextValue(wm, x, pair[1]))) / (2 * h);
                // 10,000 transitions: LSTD's sampling error is a few per cent of the difference.
                assertThat(ga[i] - gb[i]).as("weight %d, actions %s", i, java.util.Arrays.toString(pair))
                        .isCloseTo(exact, within(0.05 * Math.abs(exact) + 1e-4));
            }
        }
    }

    /** The mirrored direct term is {@code ½ ψ·(V̂(x) − V̂(x̃))}, unclipped. */
    @Test
    void mirroredDirectTermFollowsItsDefinition() {
        ContinuousBatch b = batch(new double[] {0.2, 0.1}, 4, 5);
        int rows = b.rows();
        SplittableRandom rng = new SplittableRandom(6);
        double[] v = new double[rows];
        double[] mirrored = new double[rows];
        double[] weights = new double[rows];
        for (int r = 0; r < rows; r++) {
            v[r] = rng.nextGaussian();
            mirrored[r] = rng.nextGaussian();
            weights[r] = Math.pow(0.8, r % 20);
        }
        ContinuousHypergradientEstimator est = new ContinuousHypergradientEstimator(MDP, Method.NAIVE,
                settings(0, 2, true), new SplittableRandom(1));
        double[] direct = new double[2];
        double[] response = new double[2];
        est.combine(b, v, mirrored, null, null, null, null, weights, 0.8, 0.2, direct, response);
        double[] expect = new double[2];
        for (int r = 0; r < rows; r++) {
            int t = r % 20;
            for (int i = 0; i < 2; i++) {
                double term = t == 0 ? 0 : b.scores[r * 2 + i] * 0.5 * (v[r] - mirrored[r]);
                expect[i] += Math.pow(0.8, t) * (b.leaderRewardGradients[r * 2 + i] + term);
            }
        }
        for (int i = 0; i < 2; i++) {
            assertThat(direct[i]).isCloseTo(expect[i] / 4, within(1e-9));
        }
    }

    @Test
    void perGroupClipScalesEachGroupSeparately() {
        ContinuousHypergradientEstimator est = new ContinuousHypergradientEstimator(new ScalarLqMdp() {
            @Override
            public int[] decisionGroups() {
                return new int[] {2, 2};
            }

            @Override
            public int decisionDimension() {
                return 4;
            }
        }, Method.NAIVE, settings(0, 2, true), new SplittableRandom(1));
        double[] v = {3, 4, 0.3, 0.4};
        est.clipPerGroup(v, 1.0);
        assertThat(v).containsExactly(new double[] {0.6, 0.8, 0.3, 0.4}, within(1e-9));
    }

    /** Antithetic pairs are exact for a critic that is affine in the action; iid draws average to the same. */
    @Test
    void sampledValueIsTheCriticsMeanUnderThePolicy() {
        double[] w = {0.0, 0.0};
        ContinuousBatch b = batch(w, 2, 5);
        GaussianResponse f = follower(w);
        ContinuousHypergradientEstimator pair = new ContinuousHypergradientEstimator(MDP, Method.BCHG,
                settings(0, 2, true), new SplittableRandom(8));
        ContinuousHypergradientEstimator many = new ContinuousHypergradientEstimator(MDP, Method.BCHG,
                settings(0, 20_000, false), new SplittableRandom(8));
        double[] vPair = new double[b.rows()];
        double[] vMany = new double[b.rows()];
        int[] all = java.util.stream.IntStream.range(0, b.rows()).toArray();
        pair.sampledValue(b.states, f, new SplittableRandom(1), all, vPair);
        many.sampledValue(b.states, f, new SplittableRandom(2), all, vMany);
        for (int r = 0; r < b.rows(); r++) {
            // Same initial weights (same seed): the two estimates of the same expectation agree.
            assertThat(vPair[r]).isCloseTo(vMany[r], within(2e-3 + 0.05 * Math.abs(vMany[r])));
        }
    }

    @Test
    void everyVariantRunsEndToEnd() {
        double[] w = {0.1, 0.1};
        for (Method m : Method.values()) {
            for (ContinuousHypergradientEstimator.Sensitivity sens : ContinuousHypergradientEstimator.Sensitivity
                    .values()) {
                for (int flags = 0; flags < 4; flags++) {
                    ContinuousHypergradientEstimator est = new ContinuousHypergradientEstimator(MDP, m,
                            new ContinuousHypergradientEstimator.Settings(false, 0, 5, 32, 2, true,
                                    FittedTdCritic.Normalisation.NONE, FittedTdCritic.Normalisation.PER_BATCH,
                                    new int[] {8}, 1e-3, 1.0, 1.0, 3, sens, (flags & 1) != 0, (flags & 2) != 0),
                            new SplittableRandom(1));
                    double[] g = est.estimate(batch(w, 6, 6), MDP.configure(w), follower(w), new SplittableRandom(2))
                            .gradient();
                    assertThat(Double.isFinite(g[0]) && Double.isFinite(g[1])).as("%s %s %d", m, sens, flags)
                            .isTrue();
                }
            }
        }
        assertThatThrownBy(() -> ContinuousHypergradientEstimator.Sensitivity.parse("exact", "estimator.sensitivity"))
                .hasMessageContaining("estimator.sensitivity").hasMessageContaining("monte-carlo");
    }

    @Test
    void estimatorsRunEndToEndAndRejectBadSettings() {
        double[] w = {0.1, 0.1};
        for (Method m : Method.values()) {
            ContinuousHypergradientEstimator est = new ContinuousHypergradientEstimator(MDP, m, settings(20, 2, true),
                    new SplittableRandom(1));
            ContinuousHypergradientEstimator.Estimate e = est.estimate(batch(w, 4, 6), MDP.configure(w), follower(w),
                    new SplittableRandom(2));
            assertThat(e.gradient()).hasSize(2);
            assertThat(Double.isFinite(e.gradient()[0]) && Double.isFinite(e.gradient()[1])).isTrue();
            assertThat(Double.isNaN(e.meanLeaderQ())).isEqualTo(!m.usesQNetwork());
            assertThat(Double.isNaN(e.valueGradientLoss())).isEqualTo(!m.usesValueGradientNetwork());
            if (m == Method.NAIVE) {
                assertThat(e.response()).containsOnly(0.0);
            }
        }
        assertThatThrownBy(() -> settings(1, 3, true)).hasMessageContaining("even");
        assertThatThrownBy(() -> Method.parse("ppo", "method")).hasMessage(
                "method: unknown method 'ppo', expected bchg, naive, hpgd-mc or hpgd-td");
    }

    @Test
    void groupClippedSgdClipsEachGroupAndAscends() {
        ClippedSgd sgd = new ClippedSgd(new int[] {2, 1}, 0.1, 1.0);
        double[] w = {0, 0, 0};
        double[] norms = sgd.ascend(w, new double[] {3, 4, 0.5});
        assertThat(norms).containsExactly(5.0, 0.5);
        assertThat(w).containsExactly(new double[] {0.06, 0.08, 0.05}, within(1e-12));
    }
}
