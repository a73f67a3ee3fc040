package dev.bilevel.core.game;

import dev.bilevel.core.math.LogSumExp;
import dev.bilevel.core.tabular.BandedLinearSystem;
import dev.bilevel.core.tabular.TabularDynamics;

/**
 * Soft Q-iteration for the Markov-game follower against a fixed leader policy: synchronous sweeps
 * {@code Q(s,b,a) ← r_F(s,b,a) + γ_F·[s not terminal]·E V(s')} with {@code V} given by the game's
 * {@link FollowerOperator}, from zero or from a previous table, until {@code max |ΔQ| ≤ tolerance} or
 * {@code maxSweeps}. The reference uses tolerance {@code 1e-6} and 1,000 sweeps; {@link #exact()} adds
 * Newton steps on the fixed point for ground truth.
 */
public final class SoftQIteration {

    private final double tolerance;
    private final int maxSweeps;
    private final boolean newtonPolish;

    /**
     * @param tolerance stop when a sweep changes no entry by more than this
     * @param maxSweeps at most this many sweeps
     */
    public SoftQIteration(double tolerance, int maxSweeps) {
        this(tolerance, maxSweeps, false);
    }

    private SoftQIteration(double tolerance, int maxSweeps, boolean newtonPolish) {
        if (!(tolerance >= 0.0) || maxSweeps < 0) {
            throw new IllegalArgumentException("need tolerance ≥ 0 and maxSweeps ≥ 0, got " + tolerance + ", "
                    + maxSweeps);
        }
        this.tolerance = tolerance;
        this.maxSweeps = maxSweeps;
        this.newtonPolish = newtonPolish;
    }

    /** The reference settings: tolerance {@code 1e-6}, at most 1,000 sweeps. */
    public static SoftQIteration reference() {
        return new SoftQIteration(1e-6, 1000);
    }

    /** Ground truth: sweeps to {@code 1e-9}, then Newton steps to machine precision. */
    public static SoftQIteration exact() {
        return new SoftQIteration(1e-9, 1_000_000, true);
    }

    /**
     * Solves the follower's best response to {@code leaderPolicy} ({@code π_θ(b|s)} at {@code [s·B + b]}).
     *
     * @param warmStart previous solution whose Q-table to start from, or {@code null} for {@code Q = 0}
     */
    public GameFollowerSolution solve(MarkovGame game, double[] leaderPolicy, GameFollowerSolution warmStart) {
        int rows = game.states() * game.leaderActions() * game.followerActions();
        double[] q = warmStart != null ? warmStart.q().clone() : new double[rows];
        return solveFrom(game, leaderPolicy, q);
    }

    /** Runs the sweeps from the given table, which is overwritten with the result. */
    public GameFollowerSolution solveFrom(MarkovGame game, double[] leaderPolicy, double[] q) {
        int states = game.states();
        double[] v = new double[states];
        double[] scratch = new double[2 * game.followerActions()];
        double residual = Double.POSITIVE_INFINITY;
        int sweeps = 0;
        while (sweeps < maxSweeps && residual > tolerance) {
            stateValues(game, leaderPolicy, q, v, null, scratch);
            residual = backup(game, v, q);
            sweeps++;
            if (Double.isNaN(residual)) {
                throw new ArithmeticException("soft Q-iteration diverged (NaN) after " + sweeps + " sweeps");
            }
        }
        boolean converged = residual <= tolerance;
        if (newtonPolish) {
            residual = polish(game, leaderPolicy, q, v);
            converged = true;
        }
        return solution(game, leaderPolicy, q, sweeps, residual, converged);
    }

    /**
     * {@code V(s)} from {@code Q} under the game's operator. When {@code chainWeights} is non-null it
     * receives, per row {@code s·B·A + b·A + a}, the weight of that row in {@code ∂V(s)/∂Q}, i.e. the
     * follower chain used by implicit differentiation.
     */
    static void stateValues(MarkovGame game, double[] leaderPolicy, double[] q, double[] v, double[] chainWeights) {
        stateValues(game, leaderPolicy, q, v, chainWeights, new double[2 * game.followerActions()]);
    }

    /** As above, with caller-owned scratch of length {@code 2·A} (no allocation per sweep). */
    private static void stateValues(MarkovGame game, double[] leaderPolicy, double[] q, double[] v,
            double[] chainWeights, double[] scratch) {
        int states = game.states();
        int nb = game.leaderActions();
        int na = game.followerActions();
        double lambda = game.temperature();
        for (int s = 0; s < states; s++) {
            int base = s * nb * na;
            if (game.operator() == FollowerOperator.SEQUENTIAL) {
                double value = 0.0;
                for (int b = 0; b < nb; b++) {
                    double pb = leaderPolicy[s * nb + b];
                    if (chainWeights != null) {
                        LogSumExp.softmax(q, base + b * na, na, lambda, scratch, na);
                        for (int a = 0; a < na; a++) {
                            chainWeights[base + b * na + a] = pb * scratch[na + a];
                        }
                    }
                    if (pb != 0.0) {
                        value += pb * LogSumExp.soft(q, base + b * na, na, lambda);
                    }
                }
                v[s] = value;
            } else {
                java.util.Arrays.fill(scratch, 0, na, 0.0);
                for (int b = 0; b < nb; b++) {
                    double pb = leaderPolicy[s * nb + b];
                    for (int a = 0; a < na; a++) {
                        scratch[a] += pb * q[base + b * na + a];
                    }
                }
                v[s] = LogSumExp.softmax(scratch, 0, na, lambda, scratch, na);
                if (chainWeights != null) {
                    for (int b = 0; b < nb; b++) {
                        double pb = leaderPolicy[s * nb + b];
                        for (int a = 0; a < na; a++) {
                            chainWeights[base + b * na + a] = pb * scratch[na + a];
                        }
                    }
                }
            }
        }
    }

    /** {@code Q ← r_F + γ_F·[not terminal]·P V}; returns {@code max |ΔQ|}. */
    private static double backup(MarkovGame game, double[] v, double[] q) {
        TabularDynamics dynamics = game.dynamics();
        int joint = dynamics.actions();
        double discount = game.followerDiscount();
        double residual = 0.0;
        for (int s = 0; s < game.states(); s++) {
            boolean terminal = dynamics.isTerminal(s);
            for (int j = 0; j < joint; j++) {
                int row = s * joint + j;
                double updated = game.followerReward(row) + (terminal ? 0.0 : discount * dynamics.expectation(row, v));
                double change = Math.abs(updated - q[row]);
                if (!(change <= residual)) {
                    residual = change;
                }
                q[row] = updated;
            }
        }
        return residual;
    }

    /** Newton steps on {@code V = T(V)} in state-value space; leaves the matching {@code Q} in {@code q}. */
    private static double polish(MarkovGame game, double[] leaderPolicy, double[] q, double[] v) {
        int states = game.states();
        double[] chain = new double[q.length];
        double[] tv = new double[states];
        double previous = Double.POSITIVE_INFINITY;
        stateValues(game, leaderPolicy, q, v, null);
        for (int step = 0; step < 20; step++) {
            backup(game, v, q);
            stateValues(game, leaderPolicy, q, tv, chain);
            double[] residualVector = new double[states];
            double residual = 0.0;
            for (int s = 0; s < states; s++) {
                residualVector[s] = v[s] - tv[s];
                residual = Math.max(residual, Math.abs(residualVector[s]));
            }
            if (residual == 0.0 || residual >= previous) {
                return Math.min(residual, previous);
            }
            previous = residual;
            double[] delta = BandedLinearSystem.of(game.dynamics(), chain, game.followerDiscount())
                    .solve(residualVector);
            for (int s = 0; s < states; s++) {
                v[s] -= delta[s];
            }
        }
        backup(game, v, q);
        return previous;
    }

    private static GameFollowerSolution solution(MarkovGame game, double[] leaderPolicy, double[] q, int sweeps,
            double residual, boolean converged) {
        int states = game.states();
        int nb = game.leaderActions();
        int na = game.followerActions();
        double[] policy = new double[q.length];
        double[] w = new double[states * nb];
        for (int sb = 0; sb < states * nb; sb++) {
            w[sb] = LogSumExp.softmax(q, sb * na, na, game.temperature(), policy, sb * na);
        }
        double[] v = new double[states];
        stateValues(game, leaderPolicy, q, v, null);
        return new GameFollowerSolution(q, v, policy, w, sweeps, residual, converged);
    }
}
