package dev.bilevel.core.tabular;

import java.util.Arrays;

/**
 * Exact, model-based evaluation of a fixed stochastic policy on {@link TabularDynamics}: infinite
 * horizon by one linear solve, and fixed horizon by forward propagation of the state distribution.
 *
 * <p>Policies and rewards are flat arrays indexed {@code s·A + a}.
 */
public final class PolicyEvaluation {

    private PolicyEvaluation() {
    }

    /**
     * Solves {@code V = r_π + γ·M_π V} and returns {@code V} and
     * {@code Q(s,a) = r(s,a) + γ·[s not terminal]·Σ_s' P(s'|s,a) V(s')}.
     */
    public static PolicyValues evaluate(TabularDynamics dynamics, double[] policy, double[] reward, double discount) {
        return evaluate(dynamics, BandedLinearSystem.of(dynamics, policy, discount), policy, reward, discount);
    }

    /**
     * As {@link #evaluate(TabularDynamics, double[], double[], double)}, reusing {@code I − γM_π} already
     * factored for this policy and discount.
     */
    public static PolicyValues evaluate(TabularDynamics dynamics, BandedLinearSystem system, double[] policy,
            double[] reward, double discount) {
        double[] v = system.solve(expectedReward(dynamics, policy, reward));
        return new PolicyValues(v, actionValues(dynamics, reward, v, discount));
    }

    /** {@code r_π(s) = Σ_a π(a|s) r(s,a)}. */
    public static double[] expectedReward(TabularDynamics dynamics, double[] policy, double[] reward) {
        int states = dynamics.states();
        int actions = dynamics.actions();
        double[] out = new double[states];
        for (int s = 0; s < states; s++) {
            double sum = 0.0;
            for (int a = 0; a < actions; a++) {
                sum += policy[s * actions + a] * reward[s * actions + a];
            }
            out[s] = sum;
        }
        return out;
    }

    /** {@code Q(s,a) = r(s,a) + γ·[s not terminal]·E[V(s')]}. */
    public static double[] actionValues(TabularDynamics dynamics, double[] reward, double[] v, double discount) {
        int states = dynamics.states();
        int actions = dynamics.actions();
        double[] q = new double[states * actions];
        for (int s = 0; s < states; s++) {
            boolean terminal = dynamics.isTerminal(s);
            for (int a = 0; a < actions; a++) {
                int row = s * actions + a;
                q[row] = reward[row] + (terminal ? 0.0 : discount * dynamics.expectation(row, v));
            }
        }
        return q;
    }

    /** {@code Σ_s μ(s) V(s)}: the value from the initial distribution. */
    public static double initialValue(TabularDynamics dynamics, double[] v) {
        double sum = 0.0;
        for (int s = 0; s < dynamics.states(); s++) {
            sum += dynamics.initialProbability(s) * v[s];
        }
        return sum;
    }

    /**
     * The expected discounted return {@code E[Σ_{t<T} γ^t r(s_t,a_t)]} over a fixed horizon from the
     * initial distribution; an episode that reaches a terminal state stops after acting there.
     */
    public static double finiteHorizonReturn(TabularDynamics dynamics, double[] policy, double[] reward,
            double discount, int horizon) {
        int states = dynamics.states();
        int actions = dynamics.actions();
        double[] dist = dynamics.initialDistribution();
        double[] next = new double[states];
        double[] expected = expectedReward(dynamics, policy, reward);
        double total = 0.0;
        double weight = 1.0;
        for (int t = 0; t < horizon; t++) {
            Arrays.fill(next, 0.0);
            double stepReward = 0.0;
            for (int s = 0; s < states; s++) {
                double mass = dist[s];
                if (mass == 0.0) {
                    continue;
                }
                stepReward += mass * expected[s];
                if (dynamics.isTerminal(s)) {
                    continue;
                }
                for (int a = 0; a < actions; a++) {
                    int row = s * actions + a;
                    double m = mass * policy[row];
                    if (m == 0.0) {
                        continue;
                    }
                    for (int k = dynamics.rowStart(row), end = dynamics.rowStart(row + 1); k < end; k++) {
                        next[dynamics.successor(k)] += m * dynamics.probability(k);
                    }
                }
            }
            total += weight * stepReward;
            weight *= discount;
            double[] tmp = dist;
            dist = next;
            next = tmp;
        }
        return total;
    }
}
