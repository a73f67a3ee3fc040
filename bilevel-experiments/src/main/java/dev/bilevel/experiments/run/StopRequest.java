package dev.bilevel.experiments.run;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request, process-wide, that the run in progress stop at its next iteration boundary and write what it has:
 * {@code bilevel run} raises it from its SIGINT/SIGTERM handler, and the training loop of every job
 * ({@code RecordedLoop}) honours it by ending with status {@code interrupted} after the iteration it is in, its rows
 * written whole. It is a flag rather than a thread interrupt because an interrupt would close the file channels the
 * run is writing.
 */
public final class StopRequest {

    private static final AtomicBoolean REQUESTED = new AtomicBoolean();

    private StopRequest() {
    }

    /** Asks the run in progress to stop. */
    public static void raise() {
        REQUESTED.set(true);
    }

    /** @return whether a stop was asked for since the last {@link #clear()} */
    public static boolean raised() {
        return REQUESTED.get();
    }

    /** Withdraws the request; a command calls it before it starts a run. */
    public static void clear() {
        REQUESTED.set(false);
    }
}
