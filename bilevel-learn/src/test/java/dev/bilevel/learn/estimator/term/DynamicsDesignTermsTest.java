package dev.bilevel.learn.estimator.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.lqr.SoftLqr;
import dev.bilevel.core.lqr.SoftLqrSolution;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.critic.FittedTdCritic;
import dev.bilevel.learn.critic.QuadraticTdCritic;
import dev.bilevel.learn.estimator.BoltzmannCovariance;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.EstimationTerms;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.method.BchgEstimator;
import dev.bilevel.learn.estimator.method.HpgdEstimator;
import dev.bilevel.learn.estimator.method.NaiveEstimator;
import dev.bilevel.learn.estimator.term.DynamicsDesignTerms.Critic;
import dev.bilevel.learn.estimator.term.DynamicsDesignTerms.Critics;
import dev.bilevel.learn.estimator.term.DynamicsDesignTerms.Fitting;
import dev.bilevel.learn.estimator.term.DynamicsDesignTerms.Options;
import dev.bilevel.learn.estimator.term.DynamicsDesignTerms.Sensitivity;
import dev.bilevel.learn.estimator.term.DynamicsDesignTerms.ValueSampling;
import dev.bilevel.learn.follower.GaussianResponse;
import dev.bilevel.learn.follower.planning.SoftLqrFollower;
import dev.bilevel.learn.sampling.ContinuousBatch;
import dev.bilevel.learn.sampling.ContinuousSampler;
import dev.bilevel.learn.testing.ScalarLqMdp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The dynamics-design terms' pieces against their definitions, on a one-dimensional LQ problem. */
class DynamicsDesignTermsTest {

    private static final ScalarLqMdp MDP = new ScalarLqMdp();

    /** The thermal experiment's four methods: the estimator and the critic the reference gives each. */
    enum Method {
        BCHG, NAIVE, HPGD_MC, HPGD_TD;

        boolean usesQNetwork() {
            return this == BCHG || this == HPGD_TD;
        }

        boolean usesValueGradientNetwork() {
            return this == HPGD_MC || this == HPGD_TD;
        }

        DynamicsDesignTerms terms(Options options, long seed) {
            return new DynamicsDesignTerms(MDP, usesQNetwork() ? Critic.ACTION_VALUE : Critic.STATE_VALUE,
                    usesValueGradientNetwork(), options, new SplitMixRandom(seed));
        }

        Estimator<double[], GaussianResponse, ContinuousBatch> estimator(Options options, long seed) {
            DynamicsDesignTerms terms = terms(options, seed);
            return switch (this) {
                case BCHG -> new BchgEstimator<>(terms);
                case NAIVE -> new NaiveEstimator<>(terms);
                case HPGD_MC, HPGD_TD -> new HpgdEstimator<>(terms);
            };
        }
    }

    /** Width-4 MLP critics left at their initial weights (no fit steps), Monte-Carlo sensitivity. */
    private static Options unfitted(double scoreClip, int subsampleFrom) {
        return new Options(new Critics(false, new int[] {4}, 1e-3, 1.0, FittedTdCritic.Normalisation.NONE,
                FittedTdCritic.Normalisation.NONE), new Fitting(false, 0, 0, 0), new ValueSampling(2, true),
                scoreClip, subsampleFrom, Sensitivity.MONTE_CARLO, false);
    }

    /** Small MLP (or quadratic) critics, five minibatch steps, two antithetic draws, thinning from row 3. */
    private static Options small(boolean quadratic, Sensitivity sensitivity, boolean mirrored) {
        return new Options(new Critics(quadratic, new int[] {8}, 1e-3, 1.0, FittedTdCritic.Normalisation.NONE,
                FittedTdCritic.Normalisation.PER_BATCH), new Fitting(false, 0, 5, 32), new ValueSampling(2, true),
                1.0, 3, sensitivity, mirrored);
    }

    private static Options settings(int steps, int samples, boolean antithetic) {
        return new Options(new Critics(false, new int[] {8}, 1e-3, 1.0, FittedTdCritic.Normalisation.NONE,
                FittedTdCritic.Normalisation.PER_BATCH), new Fitting(false, 0, steps, 32),
                new ValueSampling(samples, antithetic), 1.0, -1, Sensitivity.MONTE_CARLO, false);
    }

    private static Estimation<double[], GaussianResponse, ContinuousBatch> at(double[] w, ContinuousBatch b,
            SplitMixRandom rng) {
        return new Estimation<>(0, w, follower(w), b, rng);
    }

    /** {@code Φ = γ·tails(φ)}, as the terms compute it. */
    private static double[] tails(ContinuousBatch b, double[] phi, double gamma) {
        double[] out = new double[phi.length];
        BoltzmannCovariance.backward(b, phi, b.decisionDimension, gamma, gamma, out);
        return out;
    }

    private static GaussianResponse follower(double[] w) {
        SoftLqrSolution sol = new SoftLqr().solve(MDP.configure(w).followerModel());
        return SoftLqrFollower.response(sol, MDP.temperature(), MDP.followerDiscount());
    }

    private static ContinuousBatch batch(double[] w, int episodes, long seed) {
        return ContinuousSampler.sample(MDP, MDP.configure(w), follower(w), episodes, new SplitMixRandom(seed));
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
        double[] bigPhi = tails(b, DynamicsDesignTerms.followerScoreValues(b, false), 0.8);
        double[] ret = DynamicsDesignTerms.leaderReturns(b, 0.8);
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
        SplitMixRandom rng = new SplitMixRandom(4);
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
        DynamicsDesignTerms terms = method.terms(unfitted(clip, -1), 1);
        double beta = 0.2;
        double[] weights = new double[rows];
        double[] discount = new double[20];
        for (int t = 0; t < 20; t++) {
            discount[t] = Math.pow(0.8, t);
        }
        for (int r = 0; r < rows; r++) {
            weights[r] = discount[r % 20];
        }
        int[] all = java.util.stream.IntStream.range(0, rows).toArray();
        EstimationTerms.Pass pass = terms.pass(b, beta, new DynamicsDesignTerms.Inputs(discount, weights, all, v,
                method.usesQNetwork() ? q : null, null, bigPhi, psiHat, method == Method.HPGD_MC ? ret : null, 0, 0));
        for (int r = 0; r < rows; r++) {
            pass.direct(r);
            switch (method) {
                case BCHG -> pass.covariance(r, pass.benefit(r));
                case HPGD_MC, HPGD_TD -> pass.centred(r, pass.advantage(r));
                case NAIVE -> {
                }
            }
        }
        Estimate estimate = pass.close();
        double[] direct = estimate.direct();
        double[] response = estimate.response();
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
        Options full = unfitted(1.0, -1);
        Options thin = unfitted(1.0, 5);
        // HPGD (MC) with untrained networks is deterministic given the batch except for the thinning.
        double[] exact = Method.HPGD_MC.estimator(full, 3).estimate(new Estimation<>(0, w, f, b,
                new SplitMixRandom(1))).gradient();
        Estimator<double[], GaussianResponse, ContinuousBatch> thinned = Method.HPGD_MC.estimator(thin, 3);
        SplitMixRandom rng = new SplitMixRandom(2);
        int draws = 1500;
        double[] sum = new double[2];
        double[] sq = new double[2];
        for (int k = 0; k < draws; k++) {
            double[] g = thinned.estimate(new Estimation<>(0, w, f, b, rng)).gradient();
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
        SplitMixRandom rng = new SplitMixRandom(13);
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
        double[] phi = DynamicsDesignTerms.followerScoreValues(b, true);
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
        SplitMixRandom rng = new SplitMixRandom(6);
        double[] v = new double[rows];
        double[] mirrored = new double[rows];
        double[] weights = new double[rows];
        for (int r = 0; r < rows; r++) {
            v[r] = rng.nextGaussian();
            mirrored[r] = rng.nextGaussian();
            weights[r] = Math.pow(0.8, r % 20);
        }
        double[] discount = new double[20];
        for (int t = 0; t < 20; t++) {
            discount[t] = Math.pow(0.8, t);
        }
        int[] all = java.util.stream.IntStream.range(0, rows).toArray();
        EstimationTerms.Pass pass = Method.NAIVE.terms(settings(0, 2, true), 1).pass(b, 0.2,
                new DynamicsDesignTerms.Inputs(discount, weights, all, v, null, mirrored, null, null, null, 0, 0));
        for (int r = 0; r < rows; r++) {
            pass.direct(r);
        }
        double[] direct = pass.close().direct();
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
        DynamicsDesignTerms est = new DynamicsDesignTerms(new ScalarLqMdp() {
            @Override
            public int[] decisionGroups() {
                return new int[] {2, 2};
            }

            @Override
            public int decisionDimension() {
                return 4;
            }
        }, Critic.STATE_VALUE, false, settings(0, 2, true), new SplitMixRandom(1));
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
        DynamicsDesignTerms pair = Method.BCHG.terms(settings(0, 2, true), 8);
        DynamicsDesignTerms many = Method.BCHG.terms(settings(0, 20_000, false), 8);
        double[] vPair = new double[b.rows()];
        double[] vMany = new double[b.rows()];
        int[] all = java.util.stream.IntStream.range(0, b.rows()).toArray();
        pair.sampledValue(b.states, f, new SplitMixRandom(1), all, vPair);
        many.sampledValue(b.states, f, new SplitMixRandom(2), all, vMany);
        for (int r = 0; r < b.rows(); r++) {
            // Same initial weights (same seed): the two estimates of the same expectation agree.
            assertThat(vPair[r]).isCloseTo(vMany[r], within(2e-3 + 0.05 * Math.abs(vMany[r])));
        }
    }

    @Test
    void everyVariantRunsEndToEnd() {
        double[] w = {0.1, 0.1};
        for (Method m : Method.values()) {
            for (Sensitivity sens : Sensitivity.values()) {
                if (sens == Sensitivity.MODEL && m != Method.BCHG) {
                    continue;
                }
                for (int flags = 0; flags < 4; flags++) {
                    Estimator<double[], GaussianResponse, ContinuousBatch> est = m.estimator(
                            small((flags & 2) != 0, sens, (flags & 1) != 0), 1);
                    double[] g = est.estimate(at(w, batch(w, 6, 6), new SplitMixRandom(2))).gradient();
                    assertThat(Double.isFinite(g[0]) && Double.isFinite(g[1])).as("%s %s %d", m, sens, flags)
                            .isTrue();
                }
            }
        }
        assertThatThrownBy(() -> new DynamicsDesignTerms(MDP, Critic.STATE_VALUE, false,
                small(false, Sensitivity.MODEL, false), new SplitMixRandom(1)))
                .hasMessageContaining("action-value critic");
    }

    @Test
    void estimatorsRunEndToEndAndRejectBadSettings() {
        double[] w = {0.1, 0.1};
        for (Method m : Method.values()) {
            Estimate e = m.estimator(settings(20, 2, true), 1).estimate(at(w, batch(w, 4, 6),
                    new SplitMixRandom(2)));
            assertThat(e.gradient()).hasSize(2);
            assertThat(Double.isFinite(e.gradient()[0]) && Double.isFinite(e.gradient()[1])).isTrue();
            assertThat(Double.isNaN(e.diagnostic("mean_leader_q"))).isEqualTo(!m.usesQNetwork());
            assertThat(Double.isNaN(e.diagnostic("value_gradient_loss"))).isEqualTo(!m.usesValueGradientNetwork());
            if (m == Method.NAIVE) {
                assertThat(e.response()).containsOnly(0.0);
            }
        }
        assertThatThrownBy(() -> settings(1, 3, true)).hasMessageContaining("even");
        // BC-HG's benefit needs Q̂: terms built with the state-value critic refuse it when the estimate opens.
        DynamicsDesignTerms stateValue = new DynamicsDesignTerms(MDP, Critic.STATE_VALUE, false,
                settings(20, 2, true), new SplitMixRandom(1));
        assertThatThrownBy(() -> new BchgEstimator<>(stateValue).estimate(at(w, batch(w, 4, 6),
                new SplitMixRandom(2)))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("action-value critic");
    }
}
