package dev.bilevel.experiments.job;

import java.util.Objects;

/**
 * How a run's training loop ended: every iteration ran ({@code completed}), a gradient, policy or objective stopped
 * being finite ({@code diverged}), or a stop was requested ({@code interrupted}, see
 * {@link dev.bilevel.experiments.run.StopRequest}). The status is what {@code summary.json} records.
 *
 * @param status {@link #COMPLETED}, {@link #DIVERGED} or {@link #INTERRUPTED}
 * @param message why it did not complete; {@code null} when it did
 */
public record Ending(String status, String message) {

    /** Every iteration ran. */
    public static final String COMPLETED = "completed";
    /** The run diverged. */
    public static final String DIVERGED = "diverged";
    /** The run was asked to stop. */
    public static final String INTERRUPTED = "interrupted";

    private static final Ending DONE = new Ending(COMPLETED, null);

    /** Checks the status, and that a message comes exactly with an incomplete run. */
    public Ending {
        if (!COMPLETED.equals(status) && !DIVERGED.equals(status) && !INTERRUPTED.equals(status)) {
            throw new IllegalArgumentException("unknown ending " + status);
        }
        if (COMPLETED.equals(status) != (message == null)) {
            throw new IllegalArgumentException("a message comes with an incomplete run, and only with one");
        }
    }

    /** @return the ending of a run whose every iteration ran */
    public static Ending completed() {
        return DONE;
    }

    /** @return a divergence, with its message */
    public static Ending diverged(String message) {
        return new Ending(DIVERGED, Objects.requireNonNull(message, "message"));
    }

    /** @return an interruption, with its message */
    public static Ending interrupted(String message) {
        return new Ending(INTERRUPTED, Objects.requireNonNull(message, "message"));
    }

    /** @return whether every iteration ran */
    public boolean isCompleted() {
        return message == null;
    }

    /**
     * Ends the job as its status says, once its files are written: nothing for a completed run, an
     * {@link ArithmeticException} for a divergence, a {@link RunInterruptedException} for an interruption.
     */
    public void rethrow() {
        if (DIVERGED.equals(status)) {
            throw new ArithmeticException(message + " (metrics so far are kept)");
        }
        if (INTERRUPTED.equals(status)) {
            throw new RunInterruptedException(message);
        }
    }
}
