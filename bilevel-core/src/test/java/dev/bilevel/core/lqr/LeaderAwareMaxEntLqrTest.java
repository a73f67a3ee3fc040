package dev.bilevel.core.lqr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link LeaderAwareMaxEntLqr}: the reference values (reference-markov-game.md §8.2), the soft Bellman
 * equation by brute-force quadrature, and the failure reports of §7.17.
 */
class LeaderAwareMaxEntLqrTest {

    /** LQREnv-v4 as the follower models it: γ_F = 0.95, β = 0.1. */
    static LeaderAwareLqrProblem lqrEnvV4() {
        return new LeaderAwareLqrProblem(2, 1, 1, new double[] {0, 1, 0, 0}, new double[] {0, 0.1},
                new double[] {0.1, 0}, new double[] {1, 0, 0, 1}, new double[] {1}, 0.95, 0.1);
    }

    private static final double[] W = {1e-3};

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        // K; iterations; P_xx; P_xa; P_aa; v; K_x; K_a; Σ; V_F([1,0], 0)
        "0,0; 2; 1,0,0,1.95; 0,0,0.95,0; 0.95,0,0,1.818807; 1.176211; 0,0; 0,0.181881; 0.049091; -2.176211",
        "0.5,-0.5; 5; 1.002381,0.045232,0.045232,1.8594; 0.047612,0.002111,0.904631,0.040113; "
                + "0.952243,0.042224,0.042224,1.735769; 1.175365; 0.000211,0.004011; 0.004222,0.173577; 0.049132; "
                + "-2.175365",
        "-9.683,-10.25; 199; 9.1478,0.210364,0.210364,1.005431; -8.414541,-0.191679,-0.21725,-0.004949; "
                + "8.690014,0.197955,0.197955,0.946123; 1.167363; -0.019168,-0.000495; 0.019795,0.094612; 0.049527; "
                + "-2.167363"})
    void matchesTheReferenceTable(String k, int iterations, String pxx, String pxa, String paa, double v, String kx,
            String ka, double sigma, double value) {
        LeaderAwareLqrSolution s = new LeaderAwareMaxEntLqr().solve(lqrEnvV4(), parse(k), W);
        assertThat(s.converged()).isTrue();
        assertThat(s.iterations()).isEqualTo(iterations);
        assertClose(s.pxx(), parse(pxx));
        assertClose(s.pxa(), parse(pxa));
        assertClose(s.paa(), parse(paa));
        assertThat(s.v()).isCloseTo(v, within(2e-6));
        assertClose(s.kx(), parse(kx));
        assertClose(s.ka(), parse(ka));
        assertThat(s.sigma()[0]).isCloseTo(sigma, within(2e-6));
        assertThat(s.softValue(new double[] {1, 0}, new double[] {0})).isCloseTo(value, within(2e-6));
        assertThat(s.riccatiError()).isLessThan(1e-10);
        assertThat(s.valueError()).isLessThan(1e-10);
    }

    private static double[] parse(String csv) {
        String[] parts = csv.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i].strip());
        }
        return out;
    }

    /** The table prints 6 decimals (or 6 significant digits). */
    private static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("entry %d", i).isCloseTo(expected[i],
                    within(Math.max(2e-6, 1e-5 * Math.abs(expected[i]))));
        }
    }

    /**
     * The soft Bellman equation at random (x, a), by quadrature over u and over the next leader action:
     * {@code V(x,a) = β·log ∫ exp([r(x,u) + γ E_{a'~N(Kx',W²)} V(x',a')]/β) du}, and the policy's mean and
     * variance are those of the Boltzmann density {@code ∝ exp(Q(x,a,u)/β)}. A leader noise W = 0.4 makes the
     * {@code tr(P_aa Σ_w)} term of {@code v} matter.
     */
    @Test
    void satisfiesTheSoftBellmanEquationByQuadrature() {
        LeaderAwareLqrProblem p = lqrEnvV4();
        double[] k = {0.7, -1.3};
        double[] w = {0.4};
        LeaderAwareLqrSolution s = new LeaderAwareMaxEntLqr(1e-13, 100_000, false).solve(p, k, w);
        assertThat(s.converged()).isTrue();
        SplitMixRandom rng = new SplitMixRandom(3);
        double beta = p.temperature();
        double gamma = p.discount();
        double[] x = new double[2];
        double[] a = new double[1];
        double[] next = new double[2];
        double[] nextA = new double[1];
        double[] mean = new double[1];
        for (int trial = 0; trial < 4; trial++) {
            x[0] = rng.nextGaussian();
            x[1] = rng.nextGaussian();
            a[0] = k[0] * x[0] + k[1] * x[1] + w[0] * rng.nextGaussian();
            s.followerMean(x, 0, a, 0, mean, 0);
            double std = Math.sqrt(s.sigma()[0]);
            int points = 1601;
            double lo = mean[0] - 12 * std;
            double du = 24 * std / (points - 1);
            double[] qValues = new double[points];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < points; i++) {
                double u = lo + i * du;
                next[0] = x[1] + 0.1 * a[0];
                next[1] = 0.1 * u;
                // E over a' = Kx' + W z, z ~ N(0,1), by the trapezoid rule on [−10, 10].
                double expected = 0.0;
                int zPoints = 801;
                double dz = 20.0 / (zPoints - 1);
                double mu = k[0] * next[0] + k[1] * next[1];
                for (int j = 0; j < zPoints; j++) {
                    double z = -10 + j * dz;
                    nextA[0] = mu + w[0] * z;
                    double weight = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) * dz * (j == 0 || j == zPoints - 1
                            ? 0.5 : 1.0);
                    expected += weight * s.softValue(next, nextA);
                }
                double reward = -(x[0] * x[0] + x[1] * x[1] + u * u);
                qValues[i] = reward + gamma * expected;
                max = Math.max(max, qValues[i]);
            }
            double z = 0.0;
            double m1 = 0.0;
            double m2 = 0.0;
            for (int i = 0; i < points; i++) {
                double u = lo + i * du;
                double e = Math.exp((qValues[i] - max) / beta) * du;
                z += e;
                m1 += e * u;
                m2 += e * u * u;
            }
            double soft = max + beta * Math.log(z);
            assertThat(soft).as("soft Bellman at x=%s", java.util.Arrays.toString(x))
                    .isCloseTo(s.softValue(x, a), within(1e-8 * (1 + Math.abs(soft))));
            double bMean = m1 / z;
            assertThat(bMean).isCloseTo(mean[0], within(1e-8));
            assertThat(m2 / z - bMean * bMean).isCloseTo(s.sigma()[0], within(1e-8));
        }
        // The value before the leader acts is the leader-noise average of V_F.
        double[] x0 = {0.3, -0.8};
        double mu = k[0] * x0[0] + k[1] * x0[1];
        double avg = 0.0;
        int zPoints = 801;
        double dz = 20.0 / (zPoints - 1);
        for (int j = 0; j < zPoints; j++) {
            double zz = -10 + j * dz;
            a[0] = mu + w[0] * zz;
            avg += Math.exp(-0.5 * zz * zz) / Math.sqrt(2 * Math.PI) * dz * (j == 0 || j == zPoints - 1 ? 0.5 : 1.0)
                    * s.softValue(x0, a);
        }
        assertThat(s.expectedSoftValue(x0, 0)).isCloseTo(avg, within(1e-9));
    }

    @Test
    void logDensityAndEntropyDescribeTheSampledGaussian() {
        LeaderAwareLqrSolution s = new LeaderAwareMaxEntLqr().solve(lqrEnvV4(), new double[] {-1, 2}, W);
        double[] x = {0.4, -0.2};
        double[] a = {0.3};
        double[] u = new double[1];
        double[] mean = new double[1];
        s.followerMean(x, 0, a, 0, mean, 0);
        SplitMixRandom rng = new SplitMixRandom(11);
        int n = 200_000;
        double sum = 0.0;
        double sq = 0.0;
        double logSum = 0.0;
        for (int i = 0; i < n; i++) {
            s.sampleFollower(x, 0, a, 0, rng, u, 0);
            sum += u[0];
            sq += u[0] * u[0];
            logSum += s.logDensity(x, 0, a, 0, u, 0);
        }
        double sigma = s.sigma()[0];
        assertThat(sum / n).isCloseTo(mean[0], within(4 * Math.sqrt(sigma / n)));
        assertThat(sq / n - (sum / n) * (sum / n)).isCloseTo(sigma, within(0.01 * sigma));
        assertThat(-logSum / n).isCloseTo(s.policyEntropy(), within(0.01));
    }

    @Test
    void nonStabilisableLeaderGainIsReportedNotSolved() {
        // k₂ = −10 decouples x₁ from the follower; |0.1·k₁|·√0.95 ≥ 1 makes its discounted cost infinite (§7.17).
        assertThatThrownBy(() -> new LeaderAwareMaxEntLqr().solve(lqrEnvV4(), new double[] {15, -10}, W))
                .isInstanceOf(SoftLqrException.class)
                .hasMessageContaining("not stabilisable")
                .hasMessageContaining("K = [15.0000, -10.0000]")
                .hasMessageContaining("uncontrollable");
        // Decoupled but stable (|0.1·k₁|·√0.95 < 1): finite cost, solved.
        LeaderAwareLqrSolution stable = new LeaderAwareMaxEntLqr().solve(lqrEnvV4(), new double[] {5, -10}, W);
        assertThat(stable.converged()).isTrue();
        assertThat(stable.pxx()[0]).isCloseTo(1.0 / (1 - 0.95 * 0.25), within(1e-8));
    }

    @Test
    void nearlyUncontrollableGainRunsOutOfIterationsAsTheReferenceDoes() {
        LeaderAwareLqrSolution s = new LeaderAwareMaxEntLqr().solve(lqrEnvV4(), new double[] {15, -10.02}, W);
        assertThat(s.converged()).isFalse();
        assertThat(s.iterations()).isEqualTo(1000);
        assertThat(s.riccatiError()).isGreaterThan(1e-10);
    }

    @Test
    void relativeToleranceReachesTheSameFixedPoint() {
        double[] k = {-9.683, -10.25};
        LeaderAwareLqrSolution abs = new LeaderAwareMaxEntLqr().solve(lqrEnvV4(), k, W);
        LeaderAwareLqrSolution rel = new LeaderAwareMaxEntLqr(1e-10, 1000, true).solve(lqrEnvV4(), k, W);
        assertThat(rel.converged()).isTrue();
        assertThat(rel.iterations()).isLessThanOrEqualTo(abs.iterations());
        assertClose(rel.pxx(), abs.pxx());
        assertThat(rel.v()).isCloseTo(abs.v(), within(1e-9));
    }

    @Test
    void badArgumentsNameTheirField() {
        assertThatThrownBy(() -> new LeaderAwareMaxEntLqr().solve(lqrEnvV4(), new double[] {1}, W))
                .hasMessageContaining("K must have 2 entries");
        assertThatThrownBy(() -> new LeaderAwareMaxEntLqr(0, 10, false)).hasMessageStartingWith("tolerance");
        assertThatThrownBy(() -> new LeaderAwareLqrProblem(2, 1, 1, new double[] {0, 1, 0, 0}, new double[] {0, 0.1},
                new double[] {0.1, 0}, new double[] {1, 0, 0, 1}, new double[] {-1}, 0.95, 0.1))
                .hasMessageContaining("R must be positive definite");
        assertThatThrownBy(() -> lqrEnvV4().with(1.0, 0.1)).hasMessageContaining("discount");
        assertThatThrownBy(() -> new LeaderAwareMaxEntLqr().solve(lqrEnvV4(), new double[] {Double.NaN, 0}, W))
                .isInstanceOf(SoftLqrException.class).hasMessageContaining("not finite");
    }
}
