package dev.bilevel.learn.sampling;

/** Test-side access to the sampler-only parts of {@link TabularBatch}, for hand-built batches. */
public final class BatchAccess {

    private BatchAccess() {
    }

    /** Marks stream {@code e} as using only its first {@code rows} rows. */
    public static void setStreamLength(TabularBatch batch, int e, int rows) {
        batch.setStreamLength(e, rows);
    }

    /**
     * Builds a batch from per-stream rows {@code {s, a, τ, flag}} where flag is 0 (continues),
     * 1 (terminated) or 2 (truncated); streams may be shorter than {@code length}.
     */
    public static TabularBatch of(int length, int[][][] streams) {
        TabularBatch batch = new TabularBatch(streams.length, length);
        for (int e = 0; e < streams.length; e++) {
            for (int k = 0; k < streams[e].length; k++) {
                int i = e * length + k;
                int[] row = streams[e][k];
                batch.states()[i] = row[0];
                batch.actions()[i] = row[1];
                batch.times()[i] = row[2];
                batch.terminated()[i] = row[3] == 1;
                batch.truncated()[i] = row[3] == 2;
            }
            batch.setStreamLength(e, streams[e].length);
        }
        return batch;
    }
}
