package dev.bilevel.core.cmdp;

import dev.bilevel.core.math.LogSumExp;

/**
 * Incentives on a set of cells under a budget, parameterised by a softmax with a slack logit:
 * {@code p = softmax(w)} over {@code n + 1} entries and {@code inc_i = lo + (hi − lo)·p_i} for the
 * {@code n} controlled cells; the last entry is unused budget. FourRooms uses {@code [lo, hi] = [0, −0.2]},
 * so the "incentives" are non-positive penalties whose total {@code ‖inc‖₁ ≤ 0.2}.
 *
 * <p>Two rewards are built on it: the follower's {@code r_F(s,a) = r0(s,a) + inc(s)} (zero at the
 * states where incentives are switched off) and the leader's
 * {@code f(s,a) = f0(s,a) − c·[s charged]·‖inc‖₁}, which charges the budget spent.
 */
public final class SoftmaxBudgetIncentives {

    private final int states;
    private final int actions;
    private final int[] cellStates;
    private final double low;
    private final double high;

    /**
     * @param states number of states of the MDP
     * @param actions number of actions
     * @param cellStates the state of each controlled cell; the decision has {@code cellStates.length + 1}
     *     entries
     * @param low incentive at {@code p_i = 0}
     * @param high incentive at {@code p_i = 1}
     */
    public SoftmaxBudgetIncentives(int states, int actions, int[] cellStates, double low, double high) {
        for (int s : cellStates) {
            if (s < 0 || s >= states) {
                throw new IllegalArgumentException("incentive cell state " + s + " outside [0, " + states + ")");
            }
        }
        this.states = states;
        this.actions = actions;
        this.cellStates = cellStates.clone();
        this.low = low;
        this.high = high;
    }

    /** Dimension of the decision: one logit per cell plus the slack. */
    public int dimension() {
        return cellStates.length + 1;
    }

    /** The incentive of each controlled cell, {@code inc_i = lo + (hi − lo)·softmax(w)_i}. */
    public double[] incentives(double[] w) {
        double[] p = probabilities(w);
        double[] inc = new double[cellStates.length];
        for (int i = 0; i < inc.length; i++) {
            inc[i] = low + (high - low) * p[i];
        }
        return inc;
    }

    /** {@code softmax(w)} over all {@code n + 1} entries; the last one is the unused budget share. */
    public double[] probabilities(double[] w) {
        if (w.length != dimension()) {
            throw new IllegalArgumentException("incentive weights: expected " + dimension() + " entries, got "
                    + w.length);
        }
        double[] p = new double[w.length];
        LogSumExp.softmax(w, 0, w.length, 1.0, p, 0);
        return p;
    }

    /** {@code ‖inc‖₁}, the budget spent. */
    public double spent(double[] w) {
        double sum = 0.0;
        for (double v : incentives(w)) {
            sum += Math.abs(v);
        }
        return sum;
    }

    /**
     * Adds {@code Σ_i c_i·∂inc_i/∂w} to {@code gradient}:
     * {@code ∂inc_i/∂w_j = (hi − lo)·p_i·(δ_ij − p_j)}, in {@code O(d)}.
     */
    void accumulateCellGradient(double[] p, double[] cellWeights, double[] gradient) {
        double scale = high - low;
        double mean = 0.0;
        for (int i = 0; i < cellWeights.length; i++) {
            mean += cellWeights[i] * p[i];
        }
        for (int i = 0; i < cellWeights.length; i++) {
            gradient[i] += scale * cellWeights[i] * p[i];
        }
        for (int j = 0; j < p.length; j++) {
            gradient[j] -= scale * mean * p[j];
        }
    }

    /**
     * The follower's reward {@code r0(s,a) + inc(s)}, where {@code inc(s)} is the incentive of the cell
     * at {@code s} unless {@code switchedOff[s]}.
     */
    public ParametricReward followerReward(double[] base, boolean[] switchedOff) {
        checkTable(base, "base reward");
        if (switchedOff.length != states) {
            throw new IllegalArgumentException("switchedOff: expected " + states + " entries");
        }
        double[] baseCopy = base.clone();
        boolean[] off = switchedOff.clone();
        return new CellReward() {
            @Override
            public void evaluate(double[] w, double[] out) {
                System.arraycopy(baseCopy, 0, out, 0, baseCopy.length);
                double[] inc = incentives(w);
                for (int i = 0; i < cellStates.length; i++) {
                    int s = cellStates[i];
                    if (!off[s]) {
                        for (int a = 0; a < actions; a++) {
                            out[s * actions + a] += inc[i];
                        }
                    }
                }
            }

            @Override
            public void accumulateGradient(double[] w, double[] weights, double[] gradient) {
                double[] cellWeights = new double[cellStates.length];
                for (int i = 0; i < cellStates.length; i++) {
                    int s = cellStates[i];
                    if (!off[s]) {
                        double sum = 0.0;
                        for (int a = 0; a < actions; a++) {
                            sum += weights[s * actions + a];
                        }
                        cellWeights[i] = sum;
                    }
                }
                accumulateCellGradient(probabilities(w), cellWeights, gradient);
            }
        };
    }

    /** The leader's reward {@code f0(s,a) − cost·[charged[s]]·‖inc‖₁}. */
    public ParametricReward leaderReward(double[] base, double cost, boolean[] charged) {
        checkTable(base, "base reward");
        if (charged.length != states) {
            throw new IllegalArgumentException("charged: expected " + states + " entries");
        }
        double[] baseCopy = base.clone();
        boolean[] chargedCopy = charged.clone();
        return new CellReward() {
            @Override
            public void evaluate(double[] w, double[] out) {
                System.arraycopy(baseCopy, 0, out, 0, baseCopy.length);
                double penalty = cost * spent(w);
                for (int s = 0; s < states; s++) {
                    if (chargedCopy[s]) {
                        for (int a = 0; a < actions; a++) {
                            out[s * actions + a] -= penalty;
                        }
                    }
                }
            }

            @Override
            public void accumulateGradient(double[] w, double[] weights, double[] gradient) {
                double total = 0.0;
                for (int s = 0; s < states; s++) {
                    if (chargedCopy[s]) {
                        for (int a = 0; a < actions; a++) {
                            total += weights[s * actions + a];
                        }
                    }
                }
                if (total == 0.0) {
                    return;
                }
                // ∂‖inc‖₁/∂w = Σ_i sign(inc_i)·∂inc_i/∂w.
                double[] inc = incentives(w);
                double[] cellWeights = new double[cellStates.length];
                for (int i = 0; i < inc.length; i++) {
                    cellWeights[i] = -cost * total * Math.signum(inc[i]);
                }
                accumulateCellGradient(probabilities(w), cellWeights, gradient);
            }
        };
    }

    /** The shape both rewards share with the incentives. */
    private abstract class CellReward implements ParametricReward {

        @Override
        public int states() {
            return states;
        }

        @Override
        public int actions() {
            return actions;
        }

        @Override
        public int dimension() {
            return SoftmaxBudgetIncentives.this.dimension();
        }
    }

    private void checkTable(double[] table, String name) {
        if (table.length != states * actions) {
            throw new IllegalArgumentException(name + ": expected " + states * actions + " entries, got "
                    + table.length);
        }
    }
}
