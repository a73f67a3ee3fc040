package dev.bilevel.core.cmdp;

import dev.bilevel.core.math.LogSumExp;
import dev.bilevel.core.tabular.TabularDynamics;

/**
 * Entropy-regularised (soft) value iteration to a tolerance:
 * {@code V(s) ← λ·log Σ_a exp(Q(s,a)/λ)} with {@code Q(s,a) = r(s,a) + γ·[s not terminal]·E V(s')}.
 *
 * <p>Sweeps update {@code V} in place (Gauss–Seidel), which converges to the same fixed point as
 * synchronous sweeps in fewer passes, and can start from a previous solution's values. It stops when
 * the largest change in a sweep is at most {@code tolerance}. It needs no linear algebra, but its
 * error shrinks only geometrically (about γ per sweep); {@link SoftPolicyIteration} reaches the same
 * fixed point in a handful of exact evaluation steps.
 */
public final class SoftValueIteration implements FollowerSolver {

    private final double tolerance;
    private final int maxSweeps;

    /**
     * @param tolerance stop when {@code max_s |ΔV(s)| ≤ tolerance}
     * @param maxSweeps give up (reporting {@code converged = false}) after this many sweeps
     */
    public SoftValueIteration(double tolerance, int maxSweeps) {
        if (!(tolerance > 0.0)) {
            throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
        }
        if (maxSweeps < 1) {
            throw new IllegalArgumentException("maxSweeps must be ≥ 1, got " + maxSweeps);
        }
        this.tolerance = tolerance;
        this.maxSweeps = maxSweeps;
    }

    @Override
    public FollowerSolution solve(TabularDynamics dynamics, double[] reward, double discount, double temperature,
            FollowerSolution warmStart) {
        int states = dynamics.states();
        int actions = dynamics.actions();
        double[] v = warmStart != null ? warmStart.softValue().clone() : new double[states];
        double[] q = new double[actions];
        double residual = Double.POSITIVE_INFINITY;
        int sweeps = 0;
        while (sweeps < maxSweeps && residual > tolerance) {
            residual = 0.0;
            for (int s = 0; s < states; s++) {
                boolean terminal = dynamics.isTerminal(s);
                int base = s * actions;
                for (int a = 0; a < actions; a++) {
                    int row = base + a;
                    q[a] = reward[row] + (terminal ? 0.0 : discount * dynamics.expectation(row, v));
                }
                double updated = LogSumExp.soft(q, 0, actions, temperature);
                double change = Math.abs(updated - v[s]);
                if (!(change <= residual)) {
                    residual = change;
                }
                v[s] = updated;
            }
            sweeps++;
            if (Double.isNaN(residual)) {
                throw new ArithmeticException("soft value iteration diverged (NaN) after " + sweeps + " sweeps");
            }
        }
        double[] table = new double[states * actions];
        double[] policy = new double[states * actions];
        double[] value = new double[states];
        dynamics.backup(reward, v, discount, table);
        for (int s = 0; s < states; s++) {
            value[s] = LogSumExp.softmax(table, s * actions, actions, temperature, policy, s * actions);
        }
        return new FollowerSolution(table, policy, value, sweeps, residual, residual <= tolerance);
    }
}
