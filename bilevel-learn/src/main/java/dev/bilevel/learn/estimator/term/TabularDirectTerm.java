package dev.bilevel.learn.estimator.term;

import dev.bilevel.learn.sampling.TabularBatch;

/**
 * How the direct term {@code E Σ_t γ_L^t ∇_x f(s_t,a_t)} (the leader's reward gradient with the
 * follower held fixed) is estimated from a tabular batch.
 */
public enum TabularDirectTerm {

    /**
     * The reference: Monte-Carlo returns {@code H_t} of {@code ∇f} (discount {@code γ_L}), averaged over
     * all visits of each state in the batch, then averaged over the episode-start rows.
     */
    EPISODE_START_MEAN,

    /** The plain per-step sum {@code (1/N)·Σ_t γ_L^{τ_t} ∇f(s_t,a_t)} with the estimator's normaliser. */
    PER_STEP;

    /**
     * Adds the weights {@code W(s,a)} with {@code direct = Σ W(s,a)·∇f(s,a)} to {@code table}.
     *
     * @param divisor the normaliser {@code N} (used by {@link #PER_STEP})
     */
    public void accumulate(TabularBatch batch, double discount, double divisor, int states, int actions,
            double[] table) {
        if (this == PER_STEP) {
            double[] weight = TrajectorySums.discountWeights(batch, discount);
            TrajectorySums.forEachRow(batch, i -> table[batch.states()[i] * actions + batch.actions()[i]] +=
                    weight[i] / divisor);
            return;
        }
        // mean over starts of H̄(s0) = Σ_u α_u H_u with α_u = starts(s_u) / (starts · visits(s_u)).
        int[] startsAt = new int[states];
        int[] visits = new int[states];
        int[] starts = {0};
        TrajectorySums.forEachRow(batch, i -> {
            visits[batch.states()[i]]++;
            if (batch.times()[i] == 0) {
                startsAt[batch.states()[i]]++;
                starts[0]++;
            }
        });
        if (starts[0] == 0) {
            return;
        }
        double[] alpha = new double[batch.size()];
        TrajectorySums.forEachRow(batch, i -> {
            int s = batch.states()[i];
            alpha[i] = (double) startsAt[s] / ((double) starts[0] * visits[s]);
        });
        TrajectorySums.accumulateTails(batch, alpha, discount, actions, table);
    }
}
