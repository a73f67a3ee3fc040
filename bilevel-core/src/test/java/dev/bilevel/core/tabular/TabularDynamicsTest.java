package dev.bilevel.core.tabular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.testing.RandomInstances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TabularDynamicsTest {

    /** 2 states × 2 actions, all rows valid. Rows: (0,0), (0,1), (1,0), (1,1). */
    private static double[] validKernel() {
        return new double[] {
            0.5, 0.5,
            1.0, 0.0,
            0.25, 0.75,
            0.0, 1.0,
        };
    }

    private static TabularDynamics build(double[] dense) {
        return TabularDynamics.fromDense(2, 2, dense, "transitions", new boolean[2], new double[] {1.0, 0.0});
    }

    @Test
    void acceptsValidKernelAndStoresItSparsely() {
        boolean[] terminal = {false, true};
        double[] mu = {0.4, 0.6};
        TabularDynamics d = TabularDynamics.fromDense(2, 2, validKernel(), "transitions", terminal, mu);
        terminal[0] = true;
        mu[0] = 99;
        assertThat(d.isTerminal(0)).isFalse();
        assertThat(d.isTerminal(1)).isTrue();
        assertThat(d.initialProbability(0)).isEqualTo(0.4);
        assertThat(d.initialDistribution()).containsExactly(0.4, 0.6);
        // Zero entries are not stored: row (0,1) and row (1,1) have a single successor.
        assertThat(d.rowStart(2) - d.rowStart(1)).isEqualTo(1);
        assertThat(d.rowStart(4) - d.rowStart(3)).isEqualTo(1);
        assertThat(d.rowStart(4)).isEqualTo(6);
        assertThat(d.probability(2, 1)).isEqualTo(0.75);
        assertThat(d.probability(1, 1)).isEqualTo(0.0);
        assertThat(d.expectation(2, new double[] {4.0, 8.0})).isCloseTo(7.0, within(1e-15));
        // stateMatrix weights rows by the policy; terminal state 1 has an empty row.
        double[] m = d.stateMatrix(new double[] {0.5, 0.5, 0.3, 0.7});
        assertThat(m).containsExactly(0.75, 0.25, 0.0, 0.0);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomKernelsRoundTrip(long seed) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        int states = 1 + rng.nextInt(10);
        int actions = 1 + rng.nextInt(4);
        double[] dense = RandomInstances.denseKernel(rng, states, actions);
        TabularDynamics d = TabularDynamics.fromDense(states, actions, dense, "transitions", new boolean[states],
                RandomInstances.distribution(rng, states));
        for (int row = 0; row < states * actions; row++) {
            double sum = 0.0;
            for (int k = d.rowStart(row); k < d.rowStart(row + 1); k++) {
                assertThat(d.probability(k)).isPositive();
                sum += d.probability(k);
            }
            assertThat(sum).isCloseTo(1.0, within(1e-12));
            for (int next = 0; next < states; next++) {
                assertThat(d.probability(row, next)).isEqualTo(dense[row * states + next]);
            }
        }
    }

    @Test
    void rejectsNegativeProbabilityNamingTheEntry() {
        double[] dense = validKernel();
        dense[4] = -0.25; // row (1,0), successor 0
        dense[5] = 1.25;
        assertThatThrownBy(() -> build(dense)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transitions[1][0]").hasMessageContaining("-0.25");
    }

    @Test
    void rejectsNonFiniteProbability() {
        double[] dense = validKernel();
        dense[2] = Double.NaN; // row (0,1)
        assertThatThrownBy(() -> build(dense)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transitions[0][1]");
        double[] inf = validKernel();
        inf[7] = Double.POSITIVE_INFINITY; // row (1,1)
        assertThatThrownBy(() -> build(inf)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transitions[1][1]");
    }

    @Test
    void rowSumToleranceIsOneBillionth() {
        double[] ok = validKernel();
        ok[5] = 0.75 + 5e-10; // row (1,0) sums to 1 + 5e-10
        assertThatCode(() -> build(ok)).doesNotThrowAnyException();

        double[] bad = validKernel();
        bad[5] = 0.75 + 2e-9; // row (1,0) sums to 1 + 2e-9
        assertThatThrownBy(() -> build(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transitions[1][0]").hasMessageContaining("sum");

        double[] low = validKernel();
        low[1] = 0.5 - 2e-9; // row (0,0) sums to 1 − 2e-9
        assertThatThrownBy(() -> build(low)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transitions[0][0]");
    }

    @Test
    void rejectsWrongLengths() {
        assertThatThrownBy(() -> build(new double[7])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("transitions").hasMessageContaining("8");
        assertThatThrownBy(() -> TabularDynamics.fromDense(2, 2, validKernel(), "transitions", new boolean[3],
                new double[] {1.0, 0.0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("terminal");
        assertThatThrownBy(() -> TabularDynamics.fromDense(2, 2, validKernel(), "transitions", new boolean[2],
                new double[] {1.0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("initialDistribution");
        assertThatThrownBy(() -> TabularDynamics.fromDense(0, 2, new double[0], "transitions", new boolean[0],
                new double[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("transitions");
        // The field name is the caller's.
        assertThatThrownBy(() -> TabularDynamics.fromDense(2, 2, new double[3], "kernel", new boolean[2],
                new double[] {1.0, 0.0})).hasMessageStartingWith("kernel");
    }

    @Test
    void rejectsBadInitialDistributions() {
        assertThatThrownBy(() -> TabularDynamics.fromDense(2, 2, validKernel(), "transitions", new boolean[2],
                new double[] {1.2, -0.2})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialDistribution[1]");
        assertThatThrownBy(() -> TabularDynamics.fromDense(2, 2, validKernel(), "transitions", new boolean[2],
                new double[] {0.5, 0.4})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialDistribution").hasMessageContaining("sum");
        assertThatThrownBy(() -> TabularDynamics.fromDense(2, 2, validKernel(), "transitions", new boolean[2],
                new double[] {Double.NaN, 1.0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialDistribution[0]");
        assertThatCode(() -> TabularDynamics.fromDense(2, 2, validKernel(), "transitions", new boolean[2],
                new double[] {0.5, 0.5 + 5e-10})).doesNotThrowAnyException();
    }
}
