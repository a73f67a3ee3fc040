package dev.bilevel.core.cmdp;

import dev.bilevel.core.math.LogSumExp;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.core.tabular.BandedLinearSystem;
import dev.bilevel.core.tabular.TabularDynamics;

/**
 * Soft policy iteration with exact evaluation, to a tolerance: the fastest follower solver here and
 * the ground truth behind every exact quantity.
 *
 * <p>Each step takes the Boltzmann policy {@code π = softmax(Q/λ)} of the current values and
 * evaluates it exactly, {@code V ← V − (I − γM_π)^{-1}(V − TV)}. That is Newton's method on the soft
 * Bellman equation {@code V = TV}, {@code TV(s) = λ·log Σ_a exp(Q(s,a)/λ)}: from any start the values
 * improve monotonically, and near the solution the residual squares at every step. A warm start from
 * the previous outer iteration's solution typically needs two steps. Each exact step costs a banded LU
 * factorisation ({@link BandedLinearSystem}, about 10 µs for FourRooms); while the policy barely moves,
 * the last factorisation (also the previous solve's) is reused as long as every step still shrinks the
 * residual twentyfold (a chord step, quasi-Newton), and renewed otherwise. The iterates therefore depend
 * on the instance's history, deterministically; the fixed point does not.
 *
 * <p>It stops when {@code max_s |V(s) − TV(s)| ≤ tolerance}, or, with tolerance 0
 * ({@link #exact()}), when the residual stops shrinking (machine precision). An instance keeps scratch
 * buffers between calls to avoid allocation: it is not thread-safe; use one per trial.
 */
public final class SoftPolicyIteration implements FollowerSolver, Stateful {

    /** Residual below which an {@link #exact()} solve stops once the residual no longer shrinks. */
    private static final double EXACT_ACCEPTANCE = 1e-9;

    /** A reused factorisation must shrink the residual at least this much per step, else it is renewed. */
    private static final double CHORD_CONTRACTION = 0.05;

    private final double tolerance;
    private final int maxIterations;
    private TabularDynamics cachedFor;
    private BandedLinearSystem system;
    private double factoredDiscount = Double.NaN;
    private double[] q;
    private double[] policy;
    private double[] residual;
    private double[] factoredPolicy;
    private double[] restoredPolicy;
    private double restoredDiscount = Double.NaN;

    /**
     * @param tolerance stop when the Bellman residual {@code max |V − TV| ≤ tolerance}
     * @param maxIterations give up (reporting {@code converged = false}) after this many Newton steps
     */
    public SoftPolicyIteration(double tolerance, int maxIterations) {
        if (!(tolerance >= 0.0)) {
            throw new IllegalArgumentException("tolerance must be ≥ 0, got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be ≥ 1, got " + maxIterations);
        }
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    /** Iterates until the residual stops shrinking: the exact best response up to rounding. */
    public static SoftPolicyIteration exact() {
        return new SoftPolicyIteration(0.0, 200);
    }

    @Override
    public FollowerSolution solve(TabularDynamics dynamics, double[] reward, double discount, double temperature,
            FollowerSolution warmStart) {
        prepare(dynamics);
        if (restoredPolicy != null) {
            system.factor(dynamics, restoredPolicy, restoredDiscount);
            factoredDiscount = restoredDiscount;
            System.arraycopy(restoredPolicy, 0, factoredPolicy, 0, factoredPolicy.length);
            restoredPolicy = null;
        }
        int states = dynamics.states();
        int actions = dynamics.actions();
        double[] v = warmStart != null ? warmStart.softValue().clone() : new double[states];
        double[] value = new double[states];
        double previous = Double.POSITIVE_INFINITY;
        // A factorisation left by the previous solve is reused while it contracts well (chord steps).
        boolean factored = factoredDiscount == discount;
        double worst;
        int iterations = 0;
        boolean converged;
        while (true) {
            dynamics.backup(reward, v, discount, q);
            worst = 0.0;
            for (int s = 0; s < states; s++) {
                value[s] = LogSumExp.softmax(q, s * actions, actions, temperature, policy, s * actions);
                residual[s] = v[s] - value[s];
                double r = Math.abs(residual[s]);
                if (!(r <= worst)) {
                    worst = r;
                }
            }
            if (Double.isNaN(worst)) {
                throw new ArithmeticException("soft policy iteration diverged (NaN) after " + iterations
                        + " steps");
            }
            if (worst <= tolerance) {
                converged = true;
                break;
            }
            // Far from the solution the residual need not shrink monotonically (the values do);
            // near it, a residual that stops shrinking means rounding has been reached.
            if (tolerance == 0.0 && worst >= previous && worst <= EXACT_ACCEPTANCE) {
                converged = true;
                break;
            }
            if (iterations == maxIterations) {
                converged = false;
                break;
            }
            if (!factored || worst > CHORD_CONTRACTION * previous) {
                system.factor(dynamics, policy, discount);
                factoredDiscount = discount;
                System.arraycopy(policy, 0, factoredPolicy, 0, policy.length);
                factored = true;
            }
            previous = worst;
            system.solveInPlace(residual);
            for (int s = 0; s < states; s++) {
                v[s] -= residual[s];
            }
            iterations++;
        }
        return new FollowerSolution(q.clone(), policy.clone(), value, iterations, worst, converged);
    }

    /**
     * The factorisation the next solve may reuse: its discount and the policy it was factored at (refactored on
     * restore, to the same bits).
     */
    @Override
    public void saveState(StateWriter out) {
        if (restoredPolicy != null) { // restored, not yet refactored: the state is still the restored one
            out.begin("SoftPolicyIteration").writeDouble(restoredDiscount).writeDoubles(restoredPolicy);
            return;
        }
        out.begin("SoftPolicyIteration").writeDouble(factoredDiscount)
                .writeDoubles(factoredDiscount == factoredDiscount ? factoredPolicy : null);
    }

    @Override
    public void restoreState(StateReader in) {
        double discount = in.begin("SoftPolicyIteration").readDouble();
        double[] factoredAt = in.readDoubles();
        cachedFor = null;
        factoredDiscount = Double.NaN;
        restoredPolicy = factoredAt;
        restoredDiscount = discount;
    }

    private void prepare(TabularDynamics dynamics) {
        if (cachedFor != dynamics) {
            int rows = dynamics.states() * dynamics.actions();
            system = new BandedLinearSystem(dynamics);
            q = new double[rows];
            policy = new double[rows];
            factoredPolicy = new double[rows];
            residual = new double[dynamics.states()];
            cachedFor = dynamics;
            factoredDiscount = Double.NaN;
        }
    }
}
