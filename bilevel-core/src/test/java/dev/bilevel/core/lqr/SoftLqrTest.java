package dev.bilevel.core.lqr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SoftLqr}: the reference table (reference-configurable-mdp.md §2.3) and brute-force soft Bellman checks. */
class SoftLqrTest {

    private static final double[][] A0 = {
        {1.00, 0.05, 0.00, 0.05}, {0.03, 1.00, 0.04, 0.00}, {0.00, 0.04, 1.00, 0.06}, {0.05, 0.00, 0.03, 1.00}};
    private static final double[] E = {0.04, 0.03, 0.06, 0.05};
    private static final double[][] B = {{0.1, 0}, {0.6, 0}, {0, 0.55}, {0, 0.3}};
    private static final double[][] Q = {{8, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 5, 0}, {0, 0, 0, 6}};
    private static final double[][] R = {{0.01, 0}, {0, 0.01}};
    private static final double SIGMA = 0.02;

    /** The building-thermal A(il, aa) of the reference, written out here so the test does not depend on it. */
    static double[][] thermalA(double il, double aa) {
        double[][] a = new double[4][4];
        for (int i = 0; i < 4; i++) {
            a[i][i] = A0[i][i] + E[i] * (1 - il);
        }
        for (int i = 0; i < 4; i++) {
            int j = (i + 1) % 4;
            a[i][j] = A0[i][j] * aa;
            a[j][i] = A0[j][i] * aa;
            a[i][i] -= A0[i][j] * aa;
            a[j][j] -= A0[j][i] * aa;
        }
        return a;
    }

    static SoftLqrProblem thermal(double il, double aa) {
        double[][] w = new double[4][4];
        for (int i = 0; i < 4; i++) {
            w[i][i] = SIGMA * SIGMA;
        }
        return SoftLqrProblem.of(thermalA(il, aa), B, Q, R, w, 0.9, 0.1);
    }

    private static void assertMatrix(DMatrixRMaj actual, double[][] expected, double tol) {
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertThat(actual.get(i, j)).as("(%d,%d)", i, j).isCloseTo(expected[i][j], within(tol));
            }
        }
    }

    @Test
    void halfInsulationHalfAirflowMatchesTheReference() {
        SoftLqrSolution sol = new SoftLqr().solve(thermal(0.5, 0.5));
        assertThat(sol.status()).isEqualTo(SoftLqrSolution.Status.CONVERGED);
        assertThat(sol.iterations()).isEqualTo(79);
        assertThat(sol.controllabilityRank()).isEqualTo(4);
        assertMatrix(sol.p(), new double[][] {
            {36.436, -4.077, -3.822, 7.680}, {-4.077, 1.612, 0.646, -1.282},
            {-3.822, 0.646, 12.019, -13.111}, {7.680, -1.282, -13.111, 30.614}}, 2e-3);
        assertThat(sol.v()).isCloseTo(1.3269, within(2e-4));
        assertMatrix(sol.gain(), new double[][] {{2.5062, 1.2397, 0.0280, 0.0567}, {0.1147, 0.0129, 1.2781, 0.9775}},
                2e-4);
        assertMatrix(sol.covariance(), new double[][] {{0.11907, -0.00015}, {-0.00015, 0.02677}}, 2e-5);
    }

    @Test
    void fullInsulationFullAirflowMatchesTheReference() {
        SoftLqrSolution sol = new SoftLqr().solve(thermal(1, 1));
        assertThat(sol.converged()).isTrue();
        assertThat(sol.iterations()).isEqualTo(42);
        assertMatrix(sol.p(), new double[][] {
            {22.029, -1.672, -1.906, 4.252}, {-1.672, 1.226, 0.326, -0.692},
            {-1.906, 0.326, 7.934, -5.676}, {4.252, -0.692, -5.676, 17.109}}, 2e-3);
        assertThat(sol.v()).isCloseTo(1.2169, within(2e-4));
        assertMatrix(sol.gain(), new double[][] {{2.3217, 1.2467, 0.0439, 0.1355}, {0.1401, 0.0406, 1.1809, 0.9723}},
                2e-4);
        assertMatrix(sol.covariance(), new double[][] {{0.11765, -0.00032}, {-0.00032, 0.02674}}, 2e-5);
    }

    @Test
    void noInsulationNoAirflowMatchesTheReference() {
        SoftLqrSolution sol = new SoftLqr().solve(thermal(0, 0));
        assertThat(sol.converged()).isTrue();
        assertThat(sol.iterations()).isEqualTo(1224);
        DMatrixRMaj p = sol.p();
        assertThat(p.get(0, 0)).isCloseTo(217.73, within(0.02));
        assertThat(p.get(0, 1)).isCloseTo(-34.58, within(0.02));
        assertThat(p.get(1, 1)).isCloseTo(6.73, within(0.01));
        assertThat(p.get(2, 2)).isCloseTo(235.37, within(0.02));
        assertThat(p.get(2, 3)).isCloseTo(-418.30, within(0.02));
        assertThat(p.get(3, 3)).isCloseTo(765.64, within(0.02));
        assertThat(p.get(0, 2)).isCloseTo(0.0, within(1e-9));
        assertThat(sol.v()).isCloseTo(5.444, within(1e-3));
        assertMatrix(sol.gain(), new double[][] {{2.310, 1.294, 0, 0}, {0, 0, 2.020, -0.188}}, 1e-3);
        assertMatrix(sol.covariance(), new double[][] {{0.1203, 0}, {0, 0.0267}}, 1e-4);
    }

    /**
     * Brute force: at random states, the soft Bellman backup {@code β·log ∫ exp((r + γE V(x'))/β) du}, integrated
     * on a 2-D grid over the action, reproduces {@code V(x) = −(xᵀPx + v)}; the normalised integrand has mean
     * {@code −Kx} and covariance {@code Σ}.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.3, 0.5, 1.0})
    void solutionSatisfiesTheSoftBellmanEquationByQuadrature(double level) {
        SoftLqrProblem problem = thermal(level, 1 - level);
        SoftLqrSolution sol = new SoftLqr(1e-12, 100_000).solve(problem);
        assertThat(sol.converged()).isTrue();
        SplitMixRandom rng = new SplitMixRandom(11);
        for (int trial = 0; trial < 3; trial++) {
            double[] x = new double[4];
            for (int i = 0; i < 4; i++) {
                x[i] = 3 * rng.nextGaussian();
            }
            double[] mean = sol.meanAction(x);
            DMatrixRMaj sigma = sol.covariance();
            double s0 = Math.sqrt(sigma.get(0, 0));
            double s1 = Math.sqrt(sigma.get(1, 1));
            int grid = 401;
            double half = 12.0;
            double h0 = 2 * half * s0 / (grid - 1);
            double h1 = 2 * half * s1 / (grid - 1);
            double[] hs = new double[grid * grid];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < grid; i++) {
                for (int j = 0; j < grid; j++) {
                    double u0 = mean[0] - half * s0 + i * h0;
                    double u1 = mean[1] - half * s1 + j * h1;
                    double h = backupIntegrand(problem, sol, x, new double[] {u0, u1});
                    hs[i * grid + j] = h;
                    max = Math.max(max, h);
                }
            }
            double beta = problem.temperature();
            double z = 0;
            double m0 = 0;
            double m1 = 0;
            double c00 = 0;
            double c01 = 0;
            double c11 = 0;
            for (int i = 0; i < grid; i++) {
                for (int j = 0; j < grid; j++) {
                    double u0 = mean[0] - half * s0 + i * h0;
                    double u1 = mean[1] - half * s1 + j * h1;
                    double wgt = Math.exp((hs[i * grid + j] - max) / beta);
                    z += wgt;
                    m0 += wgt * u0;
                    m1 += wgt * u1;
                    c00 += wgt * u0 * u0;
                    c01 += wgt * u0 * u1;
                    c11 += wgt * u1 * u1;
                }
            }
            double backup = max + beta * Math.log(z * h0 * h1);
            assertThat(backup).as("soft Bellman backup").isCloseTo(sol.softValue(x),
                    within(1e-6 * (1 + Math.abs(sol.softValue(x)))));
            m0 /= z;
            m1 /= z;
            assertThat(m0).isCloseTo(mean[0], within(1e-8 + 1e-9 * Math.abs(mean[0])));
            assertThat(m1).isCloseTo(mean[1], within(1e-8 + 1e-9 * Math.abs(mean[1])));
            assertThat(c00 / z - m0 * m0).isCloseTo(sigma.get(0, 0), within(1e-8));
            assertThat(c01 / z - m0 * m1).isCloseTo(sigma.get(0, 1), within(1e-8));
            assertThat(c11 / z - m1 * m1).isCloseTo(sigma.get(1, 1), within(1e-8));
        }
    }

    /** {@code r(x,u) + γ E_w V(Ax + Bu + w)}, the expectation over the Gaussian noise in closed form. */
    private static double backupIntegrand(SoftLqrProblem problem, SoftLqrSolution sol, double[] x, double[] u) {
        DMatrixRMaj a = problem.a();
        DMatrixRMaj b = problem.b();
        DMatrixRMaj q = problem.q();
        DMatrixRMaj r = problem.r();
        DMatrixRMaj w = problem.noiseCovariance();
        DMatrixRMaj p = sol.p();
        int n = x.length;
        double[] next = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += a.get(i, j) * x[j];
            }
            for (int k = 0; k < u.length; k++) {
                s += b.get(i, k) * u[k];
            }
            next[i] = s;
        }
        double cost = quad(q, x) + quad(r, u);
        double trace = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                trace += p.get(i, k) * w.get(k, i);
            }
        }
        double expectedNext = -(quad(p, next) + trace + sol.v());
        return -cost + problem.discount() * expectedNext;
    }

    private static double quad(DMatrixRMaj m, double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                s += x[i] * m.get(i, j) * x[j];
            }
        }
        return s;
    }

    @Test
    void nonStabilisableSystemIsReportedAsDiverged() {
        // Mode 0 is unstable (√γ·2 > 1) and no input reaches it.
        SoftLqrProblem problem = SoftLqrProblem.of(new double[][] {{2, 0}, {0, 0.5}}, new double[][] {{0}, {1}},
                new double[][] {{1, 0}, {0, 1}}, new double[][] {{1}}, new double[][] {{0.01, 0}, {0, 0.01}}, 0.9,
                0.1);
        SoftLqrSolution sol = new SoftLqr().solve(problem);
        assertThat(sol.status()).isEqualTo(SoftLqrSolution.Status.DIVERGED);
        assertThat(sol.controllabilityRank()).isEqualTo(1);
        assertThat(sol.iterations()).isLessThan(1000);
        assertThatThrownBy(sol::requireConverged).isInstanceOf(SoftLqrException.class)
                .isInstanceOf(ArithmeticException.class).hasMessageContaining("diverged")
                .hasMessageContaining("controllability rank 1 of 2");
    }

    @Test
    void uncontrollableButStableModeStillConverges() {
        // Mode 0 is uncontrollable but discounted-stable (γ·1.04² < 1): stabilisable, so P is finite.
        SoftLqrProblem problem = SoftLqrProblem.of(new double[][] {{1.04, 0}, {0, 1.2}}, new double[][] {{0}, {1}},
                new double[][] {{1, 0}, {0, 1}}, new double[][] {{1}}, new double[][] {{0.01, 0}, {0, 0.01}}, 0.9,
                0.1);
        SoftLqrSolution sol = new SoftLqr().solve(problem);
        assertThat(sol.converged()).isTrue();
        assertThat(sol.controllabilityRank()).isEqualTo(1);
        // P00 solves p = 1 + γ·1.04²·p exactly.
        assertThat(sol.p().get(0, 0)).isCloseTo(1 / (1 - 0.9 * 1.04 * 1.04), within(1e-3));
    }

    @Test
    void runningOutOfIterationsIsReportedNotHidden() {
        SoftLqrSolution sol = new SoftLqr(1e-6, 20).solve(thermal(0, 0));
        assertThat(sol.status()).isEqualTo(SoftLqrSolution.Status.MAX_ITERATIONS);
        assertThat(sol.iterations()).isEqualTo(20);
        assertThatThrownBy(sol::requireConverged).hasMessageContaining("did not converge after 20");
    }

    @Test
    void warmStartReachesTheSameFixedPointInFewerIterations() {
        SoftLqr solver = new SoftLqr();
        SoftLqrSolution first = solver.solve(thermal(0.5, 0.5));
        SoftLqrSolution cold = solver.solve(thermal(0.52, 0.49));
        SoftLqrSolution warm = solver.solve(thermal(0.52, 0.49), first);
        assertThat(warm.converged()).isTrue();
        assertThat(warm.iterations()).isLessThan(cold.iterations());
        double[] pw = warm.pArray();
        double[] pc = cold.pArray();
        for (int i = 0; i < pw.length; i++) {
            assertThat(pw[i]).isCloseTo(pc[i], within(1e-3));
        }
        assertThat(warm.v()).isCloseTo(cold.v(), within(1e-5));
    }

    @Test
    void choleskyFactorReproducesTheCovariance() {
        SoftLqrSolution sol = new SoftLqr().solve(thermal(0.5, 0.5));
        double[] l = sol.covarianceCholeskyArray();
        double[] sigma = sol.covarianceArray();
        assertThat(l[1]).isZero();
        assertThat(l[0] * l[0]).isCloseTo(sigma[0], within(1e-14));
        assertThat(l[2] * l[0]).isCloseTo(sigma[2], within(1e-14));
        assertThat(l[2] * l[2] + l[3] * l[3]).isCloseTo(sigma[3], within(1e-14));
    }

    @Test
    void badInputIsRejectedWithTheFieldName() {
        double[][] w = {{1, 0}, {0, 1}};
        assertThatThrownBy(() -> SoftLqrProblem.of(w, new double[][] {{1}, {0}}, w, new double[][] {{1}}, w, 1.0, 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("discount");
        assertThatThrownBy(() -> SoftLqrProblem.of(w, new double[][] {{1}, {0}}, w, new double[][] {{0}}, w, 0.9, 0.1))
                .hasMessageContaining("R must be positive definite");
        assertThatThrownBy(() -> SoftLqrProblem.of(w, new double[][] {{1}, {0}}, new double[][] {{1, 2}, {0, 1}},
                new double[][] {{1}}, w, 0.9, 0.1)).hasMessageContaining("Q must be symmetric");
        assertThatThrownBy(() -> SoftLqrProblem.of(w, new double[][] {{1, 0}}, w, new double[][] {{1}}, w, 0.9, 0.1))
                .hasMessageContaining("B must be 2×");
        assertThatThrownBy(() -> SoftLqrProblem.of(w, new double[][] {{1}, {0}}, w, new double[][] {{1}}, w, 0.9, 0))
                .hasMessageContaining("temperature");
    }
}
