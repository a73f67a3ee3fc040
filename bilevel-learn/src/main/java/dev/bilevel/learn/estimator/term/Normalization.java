package dev.bilevel.learn.estimator.term;

import dev.bilevel.learn.sampling.TabularBatch;

/** What a batch's sums are divided by to turn them into per-episode expectations. */
public enum Normalization {

    /**
     * The number of episodes that ended in the batch, at least 1 (the reference): a trailing partial
     * episode contributes samples but is not counted, so the scale varies between iterations.
     */
    COMPLETED_EPISODES,

    /**
     * The number of episodes that started in the batch: with one full episode per stream
     * ({@link dev.bilevel.learn.sampling.TabularSampler#sampleEpisodes}) this gives an unbiased
     * per-episode average.
     */
    STARTED_EPISODES;

    /** The divisor for a batch. */
    public double divisor(TabularBatch batch) {
        int n = this == COMPLETED_EPISODES ? batch.completedEpisodes() : batch.startedEpisodes();
        return Math.max(1, n);
    }

    /** The lower-case name used in configs. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
