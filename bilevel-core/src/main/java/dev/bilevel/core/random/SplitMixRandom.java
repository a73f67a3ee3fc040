package dev.bilevel.core.random;

import java.util.random.RandomGenerator;

/**
 * A splittable SplitMix64 stream (Steele, Lea and Flood, <em>Fast splittable pseudorandom number generators</em>,
 * OOPSLA 2014) whose state, two {@code long}s, can be read ({@link #seed()}, {@link #gamma()}) and restored
 * ({@link #restore}), so that a run checkpointed mid-way continues with the very numbers it would have drawn.
 *
 * <p>It draws the same sequence as {@link java.util.SplittableRandom} built from the same seed, for every method
 * of {@link RandomGenerator} and for {@link #split()}; {@code SplitMixRandomTest} checks that draw for draw. The
 * JDK class keeps its state private, which is why the project has its own.
 *
 * <p>Not thread-safe: each thread, sampler and learner gets its own stream by {@link #split()}.
 */
public final class SplitMixRandom implements RandomGenerator {

    /** The odd constant that seeds a fresh stream's increment: 2⁶⁴ divided by the golden ratio. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long seed;
    private long gamma;

    /**
     * A stream from a seed; the same seed gives the same numbers.
     *
     * @param seed the initial seed
     */
    public SplitMixRandom(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    private SplitMixRandom(long seed, long gamma) {
        this.seed = seed;
        this.gamma = gamma;
    }

    /**
     * A stream with a restored state.
     *
     * @param seed a value of {@link #seed()}
     * @param gamma a value of {@link #gamma()}
     * @return the stream
     * @throws IllegalArgumentException when {@code gamma} is even (no stream has an even increment)
     */
    public static SplitMixRandom restored(long seed, long gamma) {
        SplitMixRandom rng = new SplitMixRandom(0);
        rng.restore(seed, gamma);
        return rng;
    }

    /** The current seed, half of the state. */
    public long seed() {
        return seed;
    }

    /** The stream's increment, the other half of the state (always odd). */
    public long gamma() {
        return gamma;
    }

    /**
     * Sets the state to one read earlier from a stream by {@link #seed()} and {@link #gamma()}.
     *
     * @throws IllegalArgumentException when {@code gamma} is even
     */
    public void restore(long seed, long gamma) {
        if ((gamma & 1L) == 0) {
            throw new IllegalArgumentException("a SplitMix increment is odd, got " + gamma);
        }
        this.seed = seed;
        this.gamma = gamma;
    }

    /**
     * A new stream, statistically independent of this one, that advances this one by two draws.
     *
     * @return the new stream
     */
    public SplitMixRandom split() {
        return new SplitMixRandom(nextLong(), mixGamma(nextSeed()));
    }

    @Override
    public long nextLong() {
        return mix64(nextSeed());
    }

    @Override
    public int nextInt() {
        return mix32(nextSeed());
    }

    private long nextSeed() {
        return seed += gamma;
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static int mix32(long z) {
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    /** An odd increment with enough bit transitions, from the MurmurHash3 finaliser. */
    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        int transitions = Long.bitCount(z ^ (z >>> 1));
        return transitions < 24 ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }
}
