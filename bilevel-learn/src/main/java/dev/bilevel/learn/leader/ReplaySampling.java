package dev.bilevel.learn.leader;

/**
 * How a game leader draws the minibatches of its critic and actor steps from the replay buffer.
 *
 * @param batchSize samples per critic or actor step, ≥ 1
 * @param withReplacement draw with replacement (on-policy) or without (off-policy)
 * @param discountWeighted draw the actor's samples with probability {@code ∝ γ_L^τ} (the critic's are uniform)
 */
public record ReplaySampling(int batchSize, boolean withReplacement, boolean discountWeighted) {

    /** Checks ranges. */
    public ReplaySampling {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
    }

    /** The reference's: 64 samples, with replacement on-policy, without off-policy, actor samples {@code ∝ γ_L^τ}. */
    public static ReplaySampling reference(boolean offPolicy) {
        return new ReplaySampling(64, !offPolicy, true);
    }
}
