package dev.bilevel.learn.sampling;

/**
 * A batch of tabular transitions from {@code streams} parallel environment streams of
 * {@code length} steps each, stored flat: row {@code i = stream·length + k} is step {@code k} of a
 * stream. Streams reset automatically after an episode ends, so a stream holds several episodes and
 * usually ends inside one (its tail is truncated by the batch end).
 *
 * <p>Per row: the state, the action the policy chose (for FourRooms the intended action, before
 * slip), the within-episode time {@code τ} of the state, and whether the episode ended at this
 * transition because the state was terminal ({@code terminated}: no continuation value) or because
 * of the time limit ({@code truncated}). The next row of the same stream is the successor unless
 * the row ended an episode (then it is the next episode's first state) or is the stream's last.
 * A stream may use fewer than {@code length} rows ({@link #streamLength}): an episode batch holds one
 * episode per stream and stops there. Arrays are exposed for speed and must not be modified by
 * readers; rows past a stream's length are unused.
 */
public final class TabularBatch implements Episodes {

    /** Bytes a batch holds per row: state, action and time ({@code int}), terminated and truncated flags. */
    public static final long BYTES_PER_ROW = 3L * Integer.BYTES + 2;
    /** The most rows a batch can hold: the length of the largest Java array. */
    public static final long MAX_ROWS = Integer.MAX_VALUE - 8;

    private final int streams;
    private final int length;
    private final int[] states;
    private final int[] actions;
    private final int[] times;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final int[] streamLengths;

    /**
     * The memory a batch of {@code streams × length} rows takes, computed without overflow, so that a caller
     * can refuse a size before allocating it.
     *
     * @param streams parallel streams (episodes)
     * @param length steps per stream
     * @return bytes of the batch's arrays
     */
    public static long bytes(long streams, long length) {
        return Math.multiplyExact(Math.multiplyExact(streams, length), BYTES_PER_ROW)
                + Math.multiplyExact(streams, (long) Integer.BYTES);
    }

    /**
     * Allocates an empty batch to be filled by a sampler.
     *
     * @throws IllegalArgumentException if a size is below 1, or there are more than {@link #MAX_ROWS} rows
     */
    public TabularBatch(int streams, int length) {
        if (streams < 1 || length < 1) {
            throw new IllegalArgumentException("a batch needs ≥ 1 stream and ≥ 1 step, got " + streams + "×"
                    + length);
        }
        if ((long) streams * length > MAX_ROWS) {
            throw new IllegalArgumentException("a batch of " + streams + "×" + length + " = "
                    + (long) streams * length + " rows is more than the " + MAX_ROWS + " an array holds");
        }
        this.streams = streams;
        this.length = length;
        int n = streams * length;
        states = new int[n];
        actions = new int[n];
        times = new int[n];
        terminated = new boolean[n];
        truncated = new boolean[n];
        streamLengths = new int[streams];
        java.util.Arrays.fill(streamLengths, length);
    }

    /** Rows used by stream {@code e}: {@code e·length … e·length + streamLength(e) − 1}. */
    public int streamLength(int e) {
        return streamLengths[e];
    }

    /** Marks stream {@code e} as using only its first {@code rows} rows (samplers only). */
    void setStreamLength(int e, int rows) {
        streamLengths[e] = rows;
    }

    /** Number of parallel streams. */
    @Override
    public int streams() {
        return streams;
    }

    @Override
    public int streamStart(int e) {
        return e * length;
    }

    @Override
    public int streamEnd(int e) {
        return e * length + streamLengths[e];
    }

    /** Whether the episode goes on after row {@code row} (it did not end there); the stream's end is separate. */
    @Override
    public boolean continuesAfter(int row) {
        return !done(row);
    }

    /** Steps per stream. */
    public int length() {
        return length;
    }

    /** Capacity {@code streams·length}; see {@link #streamLength} for the rows in use. */
    public int size() {
        return states.length;
    }

    /** Number of rows in use. */
    public int usedRows() {
        int sum = 0;
        for (int n : streamLengths) {
            sum += n;
        }
        return sum;
    }

    /** States {@code s_i}. */
    public int[] states() {
        return states;
    }

    /** Actions {@code a_i}. */
    public int[] actions() {
        return actions;
    }

    /** Within-episode time {@code τ_i} of {@code s_i} (0 at an episode's first state). */
    public int[] times() {
        return times;
    }

    /** Whether row {@code i} ended its episode in a terminal state. */
    public boolean[] terminated() {
        return terminated;
    }

    /** Whether row {@code i} ended its episode at the time limit. */
    public boolean[] truncated() {
        return truncated;
    }

    /** Whether row {@code i} ended its episode, either way. */
    public boolean done(int i) {
        return terminated[i] || truncated[i];
    }

    /** Whether row {@code i + 1} continues row {@code i}'s episode (same stream, episode not ended). */
    public boolean hasSuccessor(int i) {
        return i % length + 1 < streamLengths[i / length] && !done(i);
    }

    /** Number of episodes that ended inside the batch (terminated or truncated). */
    public int completedEpisodes() {
        int count = 0;
        for (int e = 0; e < streams; e++) {
            for (int i = e * length, end = i + streamLengths[e]; i < end; i++) {
                if (terminated[i] || truncated[i]) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Number of episodes that started inside the batch (rows with {@code τ = 0}). */
    public int startedEpisodes() {
        int count = 0;
        for (int e = 0; e < streams; e++) {
            for (int i = e * length, end = i + streamLengths[e]; i < end; i++) {
                if (times[i] == 0) {
                    count++;
                }
            }
        }
        return count;
    }
}
