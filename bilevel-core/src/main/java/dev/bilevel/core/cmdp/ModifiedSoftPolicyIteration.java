package dev.bilevel.core.cmdp;

import dev.bilevel.core.math.LogSumExp;
import dev.bilevel.core.tabular.TabularDynamics;

/**
 * Modified soft policy iteration on a fixed schedule, the reference implementation's follower:
 * {@code rounds} policy rounds of {@code sweepsPerRound} synchronous evaluation sweeps each (100 × 5
 * in every FourRooms experiment).
 *
 * <p>Each round freezes {@code π = softmax(Q/λ)} and iterates
 * {@code Q(s,a) ← r(s,a) + λ·H(π(·|s)) + γ·[s not terminal]·Σ_s' P(s'|s,a) Σ_a' π(a'|s') Q(s',a')}.
 * The entropy bonus of the current state sits inside {@code Q}; it is constant over actions, so the
 * policy is that of standard soft value iteration, and {@code Σ_a π(a|s) Q(s,a)} is the soft value.
 * Running a fixed number of rounds from a given table (rather than to a tolerance) also models the
 * suboptimal followers of the robustness study.
 */
public final class ModifiedSoftPolicyIteration implements FollowerSolver {

    private final int rounds;
    private final int sweepsPerRound;

    /**
     * @param rounds policy rounds (≥ 1)
     * @param sweepsPerRound evaluation sweeps per round (≥ 1)
     */
    public ModifiedSoftPolicyIteration(int rounds, int sweepsPerRound) {
        if (rounds < 1 || sweepsPerRound < 1) {
            throw new IllegalArgumentException("rounds and sweeps per round must be ≥ 1, got " + rounds + " and "
                    + sweepsPerRound);
        }
        this.rounds = rounds;
        this.sweepsPerRound = sweepsPerRound;
    }

    /** The reference schedule: 100 rounds of 5 sweeps from {@code Q = 0}. */
    public static ModifiedSoftPolicyIteration reference() {
        return new ModifiedSoftPolicyIteration(100, 5);
    }

    /** Starts from {@code warmStart.q()} when given (carry-Q), else from {@code Q = 0}. */
    @Override
    public FollowerSolution solve(TabularDynamics dynamics, double[] reward, double discount, double temperature,
            FollowerSolution warmStart) {
        double[] q = warmStart != null ? warmStart.q().clone() : new double[dynamics.states() * dynamics.actions()];
        return solveFrom(dynamics, reward, discount, temperature, q);
    }

    /** Runs the schedule from the given table, which is overwritten with the result. */
    public FollowerSolution solveFrom(TabularDynamics dynamics, double[] reward, double discount,
            double temperature, double[] q) {
        int states = dynamics.states();
        int actions = dynamics.actions();
        double[] policy = new double[states * actions];
        double[] bonus = new double[states];
        double[] v = new double[states];
        double residual = 0.0;
        for (int round = 0; round < rounds; round++) {
            freeze(q, states, actions, temperature, policy, bonus);
            for (int sweep = 0; sweep < sweepsPerRound; sweep++) {
                residual = sweep(dynamics, reward, discount, q, policy, bonus, v);
            }
            if (Double.isNaN(residual)) {
                throw new ArithmeticException("soft policy iteration diverged (NaN) in round " + (round + 1));
            }
        }
        double[] value = new double[states];
        for (int s = 0; s < states; s++) {
            LogSumExp.softmax(q, s * actions, actions, temperature, policy, s * actions);
            double sum = 0.0;
            for (int a = 0; a < actions; a++) {
                sum += policy[s * actions + a] * q[s * actions + a];
            }
            value[s] = sum;
        }
        return new FollowerSolution(q, policy, value, rounds * sweepsPerRound, residual, true);
    }

    /** {@code π ← softmax(Q/λ)}, {@code bonus(s) ← λ·H(π(·|s))}. */
    private static void freeze(double[] q, int states, int actions, double temperature, double[] policy,
            double[] bonus) {
        for (int s = 0; s < states; s++) {
            int base = s * actions;
            LogSumExp.softmax(q, base, actions, temperature, policy, base);
            double negEntropy = 0.0;
            for (int a = 0; a < actions; a++) {
                double p = policy[base + a];
                negEntropy += p * Math.log(p + 1e-32);
            }
            bonus[s] = -temperature * negEntropy;
        }
    }

    /** One synchronous evaluation sweep with the policy frozen; returns {@code max |ΔQ|}. */
    private static double sweep(TabularDynamics dynamics, double[] reward, double discount, double[] q,
            double[] policy, double[] bonus, double[] v) {
        int states = dynamics.states();
        int actions = dynamics.actions();
        for (int s = 0; s < states; s++) {
            double sum = 0.0;
            for (int a = 0; a < actions; a++) {
                sum += policy[s * actions + a] * q[s * actions + a];
            }
            v[s] = sum;
        }
        double residual = 0.0;
        for (int s = 0; s < states; s++) {
            boolean terminal = dynamics.isTerminal(s);
            for (int a = 0; a < actions; a++) {
                int row = s * actions + a;
                double updated = reward[row] + bonus[s]
                        + (terminal ? 0.0 : discount * dynamics.expectation(row, v));
                double change = Math.abs(updated - q[row]);
                if (!(change <= residual)) {
                    residual = change;
                }
                q[row] = updated;
            }
        }
        return residual;
    }
}
