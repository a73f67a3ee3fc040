package dev.bilevel.learn.sampling;

/**
 * The trajectory structure of a replay buffer: for a sampled slot, the slots of its episode's future that the
 * buffer still holds. What a tail sum from a replayed sample needs to know.
 */
public interface Futures {

    /** Number of slots from {@code sample} to the end of its stored episode future, {@code sample} included. */
    int subsequenceLength(int sample);

    /** The slot {@code step} steps after {@code sample}. */
    int offset(int sample, int step);
}
