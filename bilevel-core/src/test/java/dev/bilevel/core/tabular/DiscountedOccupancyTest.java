package dev.bilevel.core.tabular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.testing.DenseMath;
import dev.bilevel.core.testing.RandomInstances;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiscountedOccupancyTest {

    @ParameterizedTest
    @ValueSource(longs = {51, 52, 53, 54, 55, 56})
    void occupancyMatchesForwardPropagationAndValueIdentity(long seed) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        int states = 2 + rng.nextInt(25);
        int actions = 1 + rng.nextInt(5);
        int terminals = 1 + rng.nextInt(Math.min(3, states - 1));
        TabularDynamics d = RandomInstances.dynamics(rng, states, actions, terminals);
        double[] policy = PolicyEvaluationTest.randomPolicy(rng, states, actions);
        double gamma = RandomInstances.uniform(rng, 0.5, 0.95);

        double[] occupancy = DiscountedOccupancy.states(d, policy, gamma);

        // Forward propagation: dist_t is the mass at time t that has not yet terminated (mass in a
        // terminal state counts at that step, then leaves).
        double[] dist = d.initialDistribution();
        double[] expected = new double[states];
        double expectedTotal = 0.0;
        double weight = 1.0;
        for (int t = 0; t < 1000; t++) {
            double alive = 0.0;
            double[] next = new double[states];
            for (int s = 0; s < states; s++) {
                expected[s] += weight * dist[s];
                alive += dist[s];
                if (d.isTerminal(s)) {
                    continue;
                }
                for (int a = 0; a < actions; a++) {
                    for (int sp = 0; sp < states; sp++) {
                        next[sp] += dist[s] * policy[s * actions + a] * d.probability(s * actions + a, sp);
                    }
                }
            }
            expectedTotal += weight * alive;
            weight *= gamma;
            dist = next;
        }
        double total = 0.0;
        for (double x : occupancy) {
            assertThat(x).isGreaterThanOrEqualTo(-1e-15);
            total += x;
        }
        assertThat(total).isCloseTo(expectedTotal, within(1e-11));
        assertThat(DenseMath.maxAbsDiff(occupancy, expected)).isLessThan(1e-11);
        // Terminal states cut the discounted horizon below 1/(1−γ) whenever they are reached.
        assertThat(total).isLessThanOrEqualTo(1.0 / (1.0 - gamma) + 1e-12);

        // d(s,a) = d(s)π(a|s), and μ·V = Σ d(s,a) r(s,a).
        double[] sa = DiscountedOccupancy.stateActions(d, occupancy, policy);
        for (int row = 0; row < sa.length; row++) {
            assertThat(sa[row]).isCloseTo(occupancy[row / actions] * policy[row], within(1e-15));
        }
        double[] reward = RandomInstances.uniformVector(rng, states * actions, -1, 1);
        double value = PolicyEvaluation.initialValue(d, PolicyEvaluation.evaluate(d, policy, reward, gamma)
                .stateValues());
        assertThat(DenseMath.dot(sa, reward)).isCloseTo(value, within(1e-12));
    }
}
