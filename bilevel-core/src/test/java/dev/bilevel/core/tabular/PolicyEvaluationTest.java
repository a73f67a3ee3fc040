package dev.bilevel.core.tabular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.testing.DenseMath;
import dev.bilevel.core.testing.RandomInstances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyEvaluationTest {

    /** A random stochastic policy {@code [s·A + a]}. */
    static double[] randomPolicy(SplitMixRandom rng, int states, int actions) {
        double[] p = new double[states * actions];
        for (int s = 0; s < states; s++) {
            double total = 0.0;
            for (int a = 0; a < actions; a++) {
                // Some exact zeros so that skipped branches are exercised.
                p[s * actions + a] = rng.nextInt(4) == 0 ? 0.0 : rng.nextDouble();
                total += p[s * actions + a];
            }
            if (total == 0.0) {
                p[s * actions] = 1.0;
                total = 1.0;
            }
            for (int a = 0; a < actions; a++) {
                p[s * actions + a] /= total;
            }
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25, 26})
    void valuesSatisfyTheBellmanEquation(long seed) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        int states = 2 + rng.nextInt(20);
        int actions = 1 + rng.nextInt(4);
        TabularDynamics d = RandomInstances.dynamics(rng, states, actions, rng.nextInt(Math.min(3, states - 1) + 1));
        double[] policy = randomPolicy(rng, states, actions);
        double[] reward = RandomInstances.uniformVector(rng, states * actions, -1, 1);
        double gamma = RandomInstances.uniform(rng, 0.0, 0.97);

        PolicyValues values = PolicyEvaluation.evaluate(d, policy, reward, gamma);
        double[] v = values.stateValues();
        double[] q = values.actionValues();
        for (int s = 0; s < states; s++) {
            double vs = 0.0;
            for (int a = 0; a < actions; a++) {
                int row = s * actions + a;
                double next = 0.0;
                for (int sp = 0; sp < states; sp++) {
                    next += d.probability(row, sp) * v[sp];
                }
                double expectedQ = reward[row] + (d.isTerminal(s) ? 0.0 : gamma * next);
                assertThat(q[row]).isCloseTo(expectedQ, within(1e-12));
                vs += policy[row] * q[row];
            }
            assertThat(v[s]).isCloseTo(vs, within(1e-12));
        }
        assertThat(PolicyEvaluation.initialValue(d, v)).isCloseTo(DenseMath.dot(d.initialDistribution(), v),
                within(1e-14));
    }

    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33, 34})
    void finiteHorizonReturnApproachesInitialValueAndStartsAtImmediateReward(long seed) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        int states = 2 + rng.nextInt(15);
        int actions = 1 + rng.nextInt(4);
        TabularDynamics d = RandomInstances.dynamics(rng, states, actions, rng.nextInt(Math.min(2, states - 1) + 1));
        double[] policy = randomPolicy(rng, states, actions);
        double[] reward = RandomInstances.uniformVector(rng, states * actions, -1, 1);
        double gamma = RandomInstances.uniform(rng, 0.5, 0.95);

        double infinite = PolicyEvaluation.initialValue(d, PolicyEvaluation.evaluate(d, policy, reward, gamma)
                .stateValues());
        // |tail| ≤ γ^T·max|r|/(1−γ) with T = 800: below 1e-17.
        assertThat(PolicyEvaluation.finiteHorizonReturn(d, policy, reward, gamma, 800))
                .isCloseTo(infinite, within(1e-12));
        double immediate = DenseMath.dot(d.initialDistribution(), PolicyEvaluation.expectedReward(d, policy, reward));
        assertThat(PolicyEvaluation.finiteHorizonReturn(d, policy, reward, gamma, 1)).isCloseTo(immediate,
                within(1e-15));
        assertThat(PolicyEvaluation.finiteHorizonReturn(d, policy, reward, gamma, 0)).isEqualTo(0.0);
        // The truncation error bound holds at every intermediate horizon too.
        double rmax = DenseMath.maxAbs(reward);
        for (int horizon = 1; horizon <= 40; horizon += 3) {
            double err = Math.abs(PolicyEvaluation.finiteHorizonReturn(d, policy, reward, gamma, horizon) - infinite);
            assertThat(err).isLessThanOrEqualTo(Math.pow(gamma, horizon) * rmax / (1 - gamma) + 1e-12);
        }
    }

    /** Sums over every explicit path (s0,a0,s1,a1,…) of its probability times its discounted return. */
    private static double enumerate(TabularDynamics d, double[] policy, double[] reward, double gamma, int horizon) {
        double total = 0.0;
        for (int s = 0; s < d.states(); s++) {
            total += enumerateFrom(d, policy, reward, gamma, horizon, s, 0, d.initialProbability(s), 0.0);
        }
        return total;
    }

    private static double enumerateFrom(TabularDynamics d, double[] policy, double[] reward, double gamma,
            int horizon, int s, int t, double pathProbability, double returnSoFar) {
        if (pathProbability == 0.0) {
            return 0.0;
        }
        int actions = d.actions();
        double total = 0.0;
        for (int a = 0; a < actions; a++) {
            int row = s * actions + a;
            double p = pathProbability * policy[row];
            double ret = returnSoFar + Math.pow(gamma, t) * reward[row];
            if (t + 1 == horizon || d.isTerminal(s)) {
                total += p * ret; // leaf: the path ends here
                continue;
            }
            for (int next = 0; next < d.states(); next++) {
                total += enumerateFrom(d, policy, reward, gamma, horizon, next, t + 1, p * d.probability(row, next),
                        ret);
            }
        }
        return total;
    }

    @Test
    void finiteHorizonReturnMatchesPathEnumerationOnTinyChain() {
        SplitMixRandom rng = new SplitMixRandom(41);
        // 3 states (state 2 terminal), 2 actions, fully dense kernel.
        double[] dense = new double[3 * 2 * 3];
        for (int row = 0; row < 6; row++) {
            double[] w = RandomInstances.uniformVector(rng, 3, 0.1, 1.0);
            double sum = w[0] + w[1] + w[2];
            for (int sp = 0; sp < 3; sp++) {
                dense[row * 3 + sp] = w[sp] / sum;
            }
        }
        TabularDynamics d = TabularDynamics.fromDense(3, 2, dense, "transitions", new boolean[] {false, false, true},
                new double[] {0.6, 0.3, 0.1});
        double[] policy = {0.3, 0.7, 0.9, 0.1, 0.5, 0.5};
        double[] reward = {1.0, -0.5, 0.25, 2.0, -1.0, 3.0};
        double gamma = 0.8;
        for (int horizon = 1; horizon <= 7; horizon++) {
            assertThat(PolicyEvaluation.finiteHorizonReturn(d, policy, reward, gamma, horizon))
                    .as("horizon %d", horizon)
                    .isCloseTo(enumerate(d, policy, reward, gamma, horizon), within(1e-13));
        }
    }

    @Test
    void closedFormOnTwoStateAbsorbingChain() {
        // State 0 moves to terminal state 1 with probability p, else stays; one action.
        double p = 0.3;
        double gamma = 0.9;
        double r0 = 1.5;
        double r1 = -4.0;
        TabularDynamics d = TabularDynamics.fromDense(2, 1, new double[] {1 - p, p, 0.0, 1.0}, "transitions",
                new boolean[] {false, true}, new double[] {1.0, 0.0});
        PolicyValues values = PolicyEvaluation.evaluate(d, new double[] {1.0, 1.0}, new double[] {r0, r1}, gamma);
        double v0 = (r0 + gamma * p * r1) / (1 - gamma * (1 - p));
        assertThat(values.stateValues()).containsExactly(new double[] {v0, r1}, within(1e-13));
        // Terminal: reward only, the self-loop is not followed.
        assertThat(values.actionValues()[1]).isEqualTo(r1);
    }
}
