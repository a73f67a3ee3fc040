package dev.bilevel.learn.critic;

import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.sampling.TabularBatch;

/**
 * The follower's successor representation {@code M(sa, s'a') = E Σ_k γ_F^k [(s_k,a_k) = (s',a')]}
 * (from {@code (s_0,a_0) = sa}, under the follower's policy), learned by TD from the leader's own
 * batches: for each transition {@code (s,a) → (s',a')} of a stream,
 * {@code M(sa,·) += β·(e_sa + γ_F·M(s'a',·) − M(sa,·))}; a transition into a terminal state has no
 * continuation, and a row whose successor is not in the batch (time limit, batch end) is skipped
 * rather than cut, so truncation adds no bias.
 *
 * <p>By the envelope theorem the follower's sensitivity is linear in it:
 * {@code ∇_x Q_F(sa) = Σ_{s'a'} M(sa, s'a')·∇_x r_F(s'a')}. Weights over {@code (s,a)} are pushed
 * through {@code M} ({@link #propagate}) and then through the reward's gradient, so the cost does
 * not depend on the leader's dimension. The table has {@code (|S||A|)²} entries, which bounds the
 * problems it suits ({@link #MAX_STATE_ACTIONS}).
 */
public final class SuccessorRepresentation implements Stateful {

    /** Largest {@code |S||A|} accepted: the table then holds 16.8 M doubles (128 MiB). */
    public static final int MAX_STATE_ACTIONS = 4096;

    private final int size;
    private final int actions;
    private final double step;
    private final double[] table;

    /**
     * A table starting at zero.
     *
     * @param states number of states
     * @param actions number of actions
     * @param step TD step {@code β ∈ (0, 1]}
     */
    public SuccessorRepresentation(int states, int actions, double step) {
        if (!(step > 0.0 && step <= 1.0)) {
            throw new IllegalArgumentException("TD step " + step + " is outside (0, 1]");
        }
        long size = (long) states * actions;
        if (size > MAX_STATE_ACTIONS) {
            throw new IllegalArgumentException("the successor representation needs |S||A| ≤ "
                    + MAX_STATE_ACTIONS + ", this problem has " + size);
        }
        this.size = (int) size;
        this.actions = actions;
        this.step = step;
        this.table = new double[this.size * this.size];
    }

    /** One TD pass over the batch, stream by stream in time order. */
    public void update(TabularBatch batch, double discount) {
        int[] states = batch.states();
        int[] acts = batch.actions();
        boolean[] terminated = batch.terminated();
        double keep = 1.0 - step;
        double bootstrap = step * discount;
        for (int e = 0; e < batch.streams(); e++) {
            for (int i = e * batch.length(), end = i + batch.streamLength(e); i < end; i++) {
                int sa = states[i] * actions + acts[i];
                int row = sa * size;
                if (batch.hasSuccessor(i)) {
                    int next = (states[i + 1] * actions + acts[i + 1]) * size;
                    for (int k = 0; k < size; k++) {
                        table[row + k] = keep * table[row + k] + bootstrap * table[next + k];
                    }
                } else if (terminated[i]) {
                    for (int k = 0; k < size; k++) {
                        table[row + k] *= keep;
                    }
                } else {
                    continue;
                }
                table[row + sa] += step;
            }
        }
    }

    /** Adds {@code Σ_sa weights[sa]·M(sa, ·)} to {@code out} (both of length {@code |S||A|}). */
    public void propagate(double[] weights, double[] out) {
        for (int sa = 0; sa < size; sa++) {
            double w = weights[sa];
            if (w == 0.0) {
                continue;
            }
            for (int k = 0, row = sa * size; k < size; k++) {
                out[k] += w * table[row + k];
            }
        }
    }

    /** The current estimate of {@code M(sa, s'a')}. */
    public double at(int sa, int target) {
        return table[sa * size + target];
    }

    /** Its table. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("SuccessorRepresentation").writeDoubles(table);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("SuccessorRepresentation").readDoubles(table);
    }
}
