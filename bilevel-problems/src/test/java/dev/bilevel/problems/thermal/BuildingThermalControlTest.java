package dev.bilevel.problems.thermal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.lqr.SoftLqr;
import dev.bilevel.core.lqr.SoftLqrSolution;
import dev.bilevel.core.random.SplitMixRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link BuildingThermalControl}: dynamics, derivatives against finite differences, statistics, closed form. */
class BuildingThermalControlTest {

    private static final BuildingThermalControl ENV = new BuildingThermalControl();

    private static double[] levels(double v) {
        return new double[] {v, v, v, v};
    }

    private static double[] randomWeights(SplitMixRandom rng) {
        double[] w = new double[8];
        for (int i = 0; i < 8; i++) {
            w[i] = rng.nextGaussian();
        }
        return w;
    }

    @Test
    void stateMatrixRowsSumToOnePlusInsulationEffect() {
        SplitMixRandom rng = new SplitMixRandom(3);
        double[] e = {0.04, 0.03, 0.06, 0.05};
        for (int trial = 0; trial < 5; trial++) {
            BuildingThermalControl.Design d = ENV.configure(randomWeights(rng));
            double[] a = d.stateMatrix();
            double[] il = d.insulation();
            for (int i = 0; i < 4; i++) {
                double sum = a[i * 4] + a[i * 4 + 1] + a[i * 4 + 2] + a[i * 4 + 3];
                assertThat(sum).isCloseTo(1 + e[i] * (1 - il[i]), within(1e-14));
            }
            // No coupling between opposite zones.
            assertThat(a[2]).isZero();
            assertThat(a[8]).isZero();
            assertThat(a[7]).isZero();
            assertThat(a[13]).isZero();
        }
        double[] a0 = BuildingThermalControl.stateMatrix(levels(0), levels(0));
        assertThat(a0).containsExactly(1.04, 0, 0, 0, 0, 1.03, 0, 0, 0, 0, 1.06, 0, 0, 0, 0, 1.05);
        double[] a1 = BuildingThermalControl.stateMatrix(levels(1), levels(1));
        assertThat(a1[0 * 4 + 1]).isEqualTo(0.05);
        assertThat(a1[0]).isCloseTo(1.0 - 0.05 - 0.05, within(1e-15));
    }

    @Test
    void stateMatrixDerivativeMatchesCentralDifferences() {
        double[] il = {0.2, 0.7, 0.4, 0.9};
        double[] aa = {0.5, 0.1, 0.8, 0.3};
        double h = 1e-6;
        for (int k = 0; k < 8; k++) {
            double[] ilp = il.clone();
            double[] ilm = il.clone();
            double[] aap = aa.clone();
            double[] aam = aa.clone();
            if (k < 4) {
                ilp[k] += h;
                ilm[k] -= h;
            } else {
                aap[k - 4] += h;
                aam[k - 4] -= h;
            }
            double[] plus = BuildingThermalControl.stateMatrix(ilp, aap);
            double[] minus = BuildingThermalControl.stateMatrix(ilm, aam);
            double[] analytic = BuildingThermalControl.stateMatrixDerivative(k);
            for (int i = 0; i < 16; i++) {
                assertThat(analytic[i]).as("k=%d entry %d", k, i).isCloseTo((plus[i] - minus[i]) / (2 * h),
                        within(1e-8));
            }
        }
    }

    /** Random weights, state and action {@code {w, x, u}}; at seed 4 zone 0's mean is beyond the clip at 30. */
    private static double[][] randomPoint(long seed, SplitMixRandom rng) {
        double[] w = randomWeights(rng);
        double[] x = new double[4];
        double[] u = {rng.nextGaussian() * 3, rng.nextGaussian() * 3};
        for (int i = 0; i < 4; i++) {
            x[i] = 5 * rng.nextGaussian();
        }
        if (seed == 4) {
            x[0] = 35.0; // the clipped coordinate contributes nothing to the score or the mean's gradient
        }
        return new double[][] {w, x, u};
    }

    /** The transition score is the gradient of the log-density in the leader's weights. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void transitionScoreMatchesCentralDifferencesOfTheLogDensity(long seed) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        double[][] point = randomPoint(seed, rng);
        double[] w = point[0];
        double[] x = point[1];
        double[] u = point[2];
        double[] next = new double[4];
        ENV.configure(w).step(x, u, rng, next);
        double[] score = new double[8];
        ENV.configure(w).transitionScore(x, u, next, score);
        double h = 1e-6;
        for (int k = 0; k < 8; k++) {
            double[] wp = w.clone();
            double[] wm = w.clone();
            wp[k] += h;
            wm[k] -= h;
            double fd = (ENV.configure(wp).transitionLogDensity(x, u, next)
                    - ENV.configure(wm).transitionLogDensity(x, u, next)) / (2 * h);
            assertThat(score[k]).as("weight %d", k).isCloseTo(fd, within(1e-5 * (1 + Math.abs(fd))));
        }
    }

    /**
     * The mean's vector–Jacobian product is the gradient of {@code v·μ(x,u;w)}, and the score is that product at
     * {@code v = (x' − μ)/σ²}.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void transitionMeanGradientMatchesCentralDifferencesAndTheScore(long seed) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        double[][] point = randomPoint(seed, rng);
        double[] w = point[0];
        double[] x = point[1];
        double[] u = point[2];
        double[] v = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
        double[] product = new double[8];
        ENV.configure(w).transitionMeanGradient(x, u, v, product);
        double h = 1e-6;
        double[] mp = new double[4];
        double[] mm = new double[4];
        for (int k = 0; k < 8; k++) {
            double[] wp = w.clone();
            double[] wm = w.clone();
            wp[k] += h;
            wm[k] -= h;
            ENV.configure(wp).transitionMean(x, u, mp);
            ENV.configure(wm).transitionMean(x, u, mm);
            double fd = 0.0;
            for (int i = 0; i < 4; i++) {
                fd += v[i] * (mp[i] - mm[i]) / (2 * h);
            }
            assertThat(product[k]).as("weight %d", k).isCloseTo(fd, within(1e-6 * (1 + Math.abs(fd))));
        }
        double[] next = new double[4];
        ENV.configure(w).step(x, u, rng, next);
        double[] mean = new double[4];
        ENV.configure(w).transitionMean(x, u, mean);
        double[] residual = new double[4];
        for (int i = 0; i < 4; i++) {
            residual[i] = (next[i] - mean[i]) / (BuildingThermalControl.NOISE_STD * BuildingThermalControl.NOISE_STD);
        }
        double[] score = new double[8];
        double[] viaProduct = new double[8];
        ENV.configure(w).transitionScore(x, u, next, score);
        ENV.configure(w).transitionMeanGradient(x, u, residual, viaProduct);
        assertThat(viaProduct).containsExactly(score, within(1e-9));
    }

    @Test
    void leaderRewardGradientMatchesCentralDifferences() {
        SplitMixRandom rng = new SplitMixRandom(9);
        double[] w = randomWeights(rng);
        double[] x = {1, -2, 3, 0.5};
        double[] u = {0.3, -1.2};
        double[] g = new double[8];
        ENV.configure(w).leaderRewardGradient(x, u, g);
        double h = 1e-6;
        for (int k = 0; k < 8; k++) {
            double[] wp = w.clone();
            double[] wm = w.clone();
            wp[k] += h;
            wm[k] -= h;
            double fd = (ENV.configure(wp).leaderReward(x, u, null) - ENV.configure(wm).leaderReward(x, u, null))
                    / (2 * h);
            assertThat(g[k]).isCloseTo(fd, within(1e-8));
        }
    }

    @Test
    void leaderRewardAndComponentsFollowTheDefinition() {
        BuildingThermalControl.Design d = ENV.configureLevels(new double[] {0.1, 0.2, 0.3, 0.4},
                new double[] {1, 0, 0.5, 0.5});
        double[] x = {1, 2, 3, 6};
        double[] u = {1, -2};
        double[] c = new double[4];
        double r = d.leaderReward(x, u, c);
        // mean 3, population variance (4 + 1 + 0 + 9)/4 = 3.5
        assertThat(c).containsExactly(new double[] {-3.5, 5.0, 0.3, 1.5}, within(1e-14));
        assertThat(r).isCloseTo(-3.5 - 0.5 * 5 - 0.1 * 0.3 - 0.1 * 1.5, within(1e-14));
        assertThat(d.followerReward(x, u)).isCloseTo(-(8 + 4 + 45 + 216) - 0.01 * 5, within(1e-12));
    }

    @Test
    void resetAndTransitionNoiseHaveTheirStatedDistributions() {
        BuildingThermalControl.Design d = ENV.configure(new double[8]);
        SplitMixRandom rng = new SplitMixRandom(21);
        int n = 40_000;
        double sum = 0;
        double sq = 0;
        double[] x = new double[4];
        for (int k = 0; k < n; k++) {
            d.reset(rng, x);
            for (double v : x) {
                sum += v;
                sq += v * v;
            }
        }
        double mean = sum / (4.0 * n);
        double var = sq / (4.0 * n) - mean * mean;
        assertThat(mean).isCloseTo(0.0, within(4 * 5 / Math.sqrt(4.0 * n)));
        assertThat(var).isCloseTo(25.0, within(0.6)); // SE of the variance ≈ 25·√(2/160000) ≈ 0.09
        // Step residuals (x' − μ)/σ are standard normal away from the bounds.
        double[] u = {0.5, -0.5};
        double[] next = new double[4];
        double[] a = d.stateMatrix();
        double[][] b = {{0.1, 0}, {0.6, 0}, {0, 0.55}, {0, 0.3}};
        double rs = 0;
        double rq = 0;
        x = new double[] {1, -1, 2, 0};
        for (int k = 0; k < n; k++) {
            d.step(x, u, rng, next);
            for (int i = 0; i < 4; i++) {
                double mu = a[i * 4] * x[0] + a[i * 4 + 1] * x[1] + a[i * 4 + 2] * x[2] + a[i * 4 + 3] * x[3]
                        + b[i][0] * u[0] + b[i][1] * u[1];
                double z = (next[i] - mu) / BuildingThermalControl.NOISE_STD;
                rs += z;
                rq += z * z;
            }
        }
        assertThat(rs / (4.0 * n)).isCloseTo(0.0, within(0.02));
        assertThat(rq / (4.0 * n)).isCloseTo(1.0, within(0.03));
        // At the bound the mean is clipped to 30 and the noise truncated so that x' ≤ 30.
        double[] hot = {100, 0, 0, 0};
        for (int k = 0; k < 1000; k++) {
            d.step(hot, new double[2], rng, next);
            assertThat(next[0]).isBetween(BuildingThermalControl.TEMPERATURE_MAX - 0.2,
                    BuildingThermalControl.TEMPERATURE_MAX);
        }
    }

    /** The closed-form expected return reproduces the reference's Monte-Carlo table (§2.3, 20,000 episodes). */
    @Test
    void expectedLeaderReturnMatchesTheReferenceTable() {
        SoftLqr solver = new SoftLqr();
        BuildingThermalControl.Design half = ENV.configureLevels(levels(0.5), levels(0.5));
        double[] c = new double[4];
        assertThat(half.expectedLeaderReturn(solver.solve(half.followerModel()), 100, c))
                .isCloseTo(-263.0, within(1.5));
        assertThat(c[0]).isCloseTo(-128.7, within(1.5));
        assertThat(c[1]).isCloseTo(264.5, within(1.5));
        assertThat(c[2]).isCloseTo(10.0, within(0.01));
        BuildingThermalControl.Design full = ENV.configureLevels(levels(1), levels(1));
        assertThat(full.expectedLeaderReturn(solver.solve(full.followerModel()), 100, c))
                .isCloseTo(-197.7, within(1.0));
        assertThat(c[0]).isCloseTo(-70.6, within(1.0));
        assertThat(c[1]).isCloseTo(238.3, within(1.0));
        BuildingThermalControl.Design mixed = ENV.configureLevels(levels(1), levels(0));
        assertThat(mixed.expectedLeaderReturn(solver.solve(mixed.followerModel()), 100, null))
                .isCloseTo(-280.0, within(1.5));
    }

    @Test
    void followerModelIsTheReferenceLqr() {
        SoftLqrSolution sol = new SoftLqr().solve(ENV.configureLevels(levels(0.5), levels(0.5)).followerModel());
        assertThat(sol.iterations()).isEqualTo(79);
        assertThat(sol.v()).isCloseTo(1.3269, within(2e-4));
    }

    @Test
    void badDecisionsAreRejected() {
        assertThatThrownBy(() -> ENV.configure(new double[7])).hasMessageContaining("8 weights");
        assertThatThrownBy(() -> ENV.configureLevels(levels(1.5), levels(0))).hasMessageContaining("insulation");
    }
}
