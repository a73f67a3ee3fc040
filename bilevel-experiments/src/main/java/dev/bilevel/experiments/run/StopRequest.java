package dev.bilevel.experiments.run;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request, process-wide, that the run in progress stop at its next iteration boundary and write what it has:
 * {@code bilevel run} raises it from its SIGINT/SIGTERM handler, and the training loop of every job
 * ({@code RecordedLoop}) honours it by ending with status {@code interrupted} after the iteration it is in, its rows
 * written whole. It is a flag rather than a thread interrupt because an interrupt would close the file channels the
 * run is writing. A stop can also be asked for in advance, after a number of iterations ({@link #after}), for
 * {@code bilevel run --stop-after N}: run part of a long job now, and {@code --resume} it later.
 */
public final class StopRequest {

    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicLong AFTER = new AtomicLong(Long.MAX_VALUE);

    private StopRequest() {
    }

    /** Asks the run in progress to stop. */
    public static void raise() {
        REQUESTED.set(true);
    }

    /**
     * Asks the run in progress to stop once it has done {@code iterations} iterations in all.
     *
     * @param iterations the iterations to do, counted from the run's start (a resumed run's included)
     * @throws IllegalArgumentException when below 1
     */
    public static void after(long iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations before a stop must be ≥ 1, got " + iterations);
        }
        AFTER.set(iterations);
    }

    /** @return whether a stop was asked for since the last {@link #clear()} */
    public static boolean raised() {
        return REQUESTED.get();
    }

    /**
     * Whether the run should stop once it has done {@code done} iterations.
     *
     * @param done the iterations done, counted from the run's start
     * @return true when a stop was raised, or asked for at {@code done} iterations or before
     */
    public static boolean due(long done) {
        return REQUESTED.get() || done >= AFTER.get();
    }

    /** Withdraws the requests; a command calls it before it starts a run. */
    public static void clear() {
        REQUESTED.set(false);
        AFTER.set(Long.MAX_VALUE);
    }
}
