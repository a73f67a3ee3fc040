package dev.bilevel.experiments.job;

/** A run stopped on request before its last iteration; its files so far are written, its summary says so. */
public final class RunInterruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message where it stopped */
    public RunInterruptedException(String message) {
        super(message);
    }
}
