package dev.bilevel.core.cmdp;

import dev.bilevel.core.math.DenseLinearSystem;
import dev.bilevel.core.math.LogSumExp;
import dev.bilevel.core.tabular.TabularDynamics;

/**
 * Entropy-regularised (soft) value iteration to a tolerance:
 * {@code V(s) ← λ·log Σ_a exp(Q(s,a)/λ)} with {@code Q(s,a) = r(s,a) + γ·[s not terminal]·E V(s')}.
 *
 * <p>Sweeps update {@code V} in place (Gauss–Seidel), which converges to the same fixed point as
 * synchronous sweeps in fewer passes, and can start from a previous solution's values. It stops when
 * the largest change in a sweep is at most {@code tolerance}. {@link #exact()} then finishes with
 * Newton steps on the soft Bellman equation (equivalently, soft policy iteration with exact
 * evaluation), which reach machine precision in two or three linear solves; use it for ground
 * truth, the plain variant for speed.
 */
public final class SoftValueIteration implements FollowerSolver {

    private final double tolerance;
    private final int maxSweeps;
    private final boolean newtonPolish;

    /**
     * @param tolerance stop when {@code max_s |ΔV(s)| ≤ tolerance}
     * @param maxSweeps give up (reporting {@code converged = false}) after this many sweeps
     */
    public SoftValueIteration(double tolerance, int maxSweeps) {
        this(tolerance, maxSweeps, false);
    }

    private SoftValueIteration(double tolerance, int maxSweeps, boolean newtonPolish) {
        if (!(tolerance > 0.0)) {
            throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
        }
        if (maxSweeps < 1) {
            throw new IllegalArgumentException("maxSweeps must be ≥ 1, got " + maxSweeps);
        }
        this.tolerance = tolerance;
        this.maxSweeps = maxSweeps;
        this.newtonPolish = newtonPolish;
    }

    /** A solver for ground truth: sweeps to {@code 1e-9}, then Newton steps to machine precision. */
    public static SoftValueIteration exact() {
        return new SoftValueIteration(1e-9, 1_000_000, true);
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
        boolean converged = residual <= tolerance;
        if (newtonPolish) {
            residual = polish(dynamics, reward, discount, temperature, v);
            converged = true;
        }
        return solution(dynamics, reward, discount, temperature, v, sweeps, residual, converged);
    }

    /**
     * Newton steps {@code V ← V − (I − γM_π)^{-1}(V − TV)} until the Bellman residual stops
     * shrinking; returns the final residual.
     */
    private static double polish(TabularDynamics dynamics, double[] reward, double discount, double temperature,
            double[] v) {
        int states = dynamics.states();
        int actions = dynamics.actions();
        double[] q = new double[states * actions];
        double[] policy = new double[states * actions];
        double previous = Double.POSITIVE_INFINITY;
        for (int step = 0; step < 20; step++) {
            double[] residualVector = new double[states];
            double residual = 0.0;
            for (int s = 0; s < states; s++) {
                for (int a = 0; a < actions; a++) {
                    int row = s * actions + a;
                    q[row] = reward[row] + (dynamics.isTerminal(s) ? 0.0 : discount * dynamics.expectation(row, v));
                }
                double tv = LogSumExp.softmax(q, s * actions, actions, temperature, policy, s * actions);
                residualVector[s] = v[s] - tv;
                residual = Math.max(residual, Math.abs(residualVector[s]));
            }
            if (residual == 0.0 || residual >= previous) {
                return Math.min(residual, previous);
            }
            previous = residual;
            double[] delta = new DenseLinearSystem(dynamics.stateMatrix(policy), states, discount)
                    .solve(residualVector);
            for (int s = 0; s < states; s++) {
                v[s] -= delta[s];
            }
        }
        return previous;
    }

    /** Builds the solution (Q, policy, soft value) from converged state values. */
    static FollowerSolution solution(TabularDynamics dynamics, double[] reward, double discount,
            double temperature, double[] v, int sweeps, double residual, boolean converged) {
        int states = dynamics.states();
        int actions = dynamics.actions();
        double[] q = new double[states * actions];
        double[] policy = new double[states * actions];
        double[] value = new double[states];
        for (int s = 0; s < states; s++) {
            boolean terminal = dynamics.isTerminal(s);
            for (int a = 0; a < actions; a++) {
                int row = s * actions + a;
                q[row] = reward[row] + (terminal ? 0.0 : discount * dynamics.expectation(row, v));
            }
            value[s] = LogSumExp.softmax(q, s * actions, actions, temperature, policy, s * actions);
        }
        FollowerResponse response = new FollowerResponse(states, actions, policy, value, temperature, discount);
        return new FollowerSolution(q, response, sweeps, residual, converged);
    }
}
