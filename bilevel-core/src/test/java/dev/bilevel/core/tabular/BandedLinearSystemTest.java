package dev.bilevel.core.tabular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.testing.DenseMath;
import dev.bilevel.core.testing.RandomInstances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BandedLinearSystemTest {

    /** Random weights in [0,1] per row, normalised per state (a stochastic policy). */
    private static double[] policy(SplitMixRandom rng, int states, int actions) {
        double[] w = RandomInstances.uniformVector(rng, states * actions, 0.0, 1.0);
        for (int s = 0; s < states; s++) {
            double total = 0.0;
            for (int a = 0; a < actions; a++) {
                total += w[s * actions + a];
            }
            for (int a = 0; a < actions; a++) {
                w[s * actions + a] /= total;
            }
        }
        return w;
    }

    private static void assertMatchesDense(TabularDynamics d, double[] weights, double discount, SplitMixRandom rng) {
        BandedLinearSystem system = BandedLinearSystem.of(d, weights, discount);
        double[][] a = DenseMath.stateSystem(d, weights, discount);
        double[] b = RandomInstances.uniformVector(rng, d.states(), -2.0, 2.0);
        double[] bCopy = b.clone();
        assertThat(DenseMath.maxAbsDiff(system.solve(b), DenseMath.solve(a, b))).isLessThan(1e-12);
        assertThat(DenseMath.maxAbsDiff(system.solveTransposed(b), DenseMath.solve(DenseMath.transpose(a), b)))
                .isLessThan(1e-12);
        assertThat(b).containsExactly(bCopy);
    }

    @ParameterizedTest
    @ValueSource(longs = {1001, 1002, 1003, 1004, 1005})
    void generalKernelsMatchDenseElimination(long seed) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        int states = 1 + rng.nextInt(30);
        int actions = 1 + rng.nextInt(5);
        TabularDynamics d = RandomInstances.dynamics(rng, states, actions, rng.nextInt(Math.min(3, states)));
        assertMatchesDense(d, policy(rng, states, actions), RandomInstances.uniform(rng, 0.0, 0.99), rng);
    }

    @ParameterizedTest
    @ValueSource(longs = {1011, 1012, 1013})
    void narrowBandChainsMatchDenseElimination(long seed) {
        // A random walk on a line: successors within ±2, so the band has 5 diagonals.
        SplitMixRandom rng = new SplitMixRandom(seed);
        int states = 10 + rng.nextInt(30);
        int actions = 2;
        double[] dense = new double[states * actions * states];
        for (int row = 0; row < states * actions; row++) {
            int s = row / actions;
            double total = 0.0;
            for (int k = -2; k <= 2; k++) {
                int next = Math.min(states - 1, Math.max(0, s + k));
                double w = rng.nextDouble();
                dense[row * states + next] += w;
                total += w;
            }
            for (int next = 0; next < states; next++) {
                dense[row * states + next] /= total;
            }
        }
        boolean[] terminal = new boolean[states];
        terminal[states - 1] = true;
        double[] mu = new double[states];
        mu[0] = 1.0;
        TabularDynamics d = TabularDynamics.fromDense(states, actions, dense, "transitions", terminal, mu);
        assertThat(d.lowerBandwidth()).isLessThanOrEqualTo(2);
        assertThat(d.upperBandwidth()).isLessThanOrEqualTo(2);
        assertMatchesDense(d, policy(rng, states, actions), 0.95, rng);

        // Refactoring the same instance for another policy gives that policy's solution.
        BandedLinearSystem reused = BandedLinearSystem.of(d, policy(rng, states, actions), 0.9);
        double[] other = policy(rng, states, actions);
        reused.factor(d, other, 0.7);
        double[] b = RandomInstances.uniformVector(rng, states, -1, 1);
        assertThat(DenseMath.maxAbsDiff(reused.solve(b), DenseMath.solve(DenseMath.stateSystem(d, other, 0.7), b)))
                .isLessThan(1e-12);
    }

    @Test
    void rejectsWrongRightHandSide() {
        TabularDynamics d = RandomInstances.dynamics(new SplitMixRandom(1), 4, 2, 0);
        BandedLinearSystem system = BandedLinearSystem.of(d, new double[8], 0.9);
        assertThatThrownBy(() -> system.solve(new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 4");
    }
}
