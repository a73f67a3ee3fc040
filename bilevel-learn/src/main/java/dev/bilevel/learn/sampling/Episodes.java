package dev.bilevel.learn.sampling;

/**
 * The trajectory structure of an on-policy batch: rows grouped in streams, each stream a run of consecutive
 * rows in which an episode continues from one row to the next until it ends. What a tail sum along the sampled
 * trajectories needs to know.
 */
public interface Episodes {

    /** Number of streams. */
    int streams();

    /** The first row of stream {@code e}. */
    int streamStart(int e);

    /** One past the last row of stream {@code e}. */
    int streamEnd(int e);

    /** Whether the row after {@code row} (in its stream) continues {@code row}'s episode. */
    boolean continuesAfter(int row);
}
