package dev.bilevel.experiments.run;

/**
 * A resumed run did not reproduce a row its interrupted run had recorded: the build, the JVM's arithmetic or the
 * inputs changed since, so the recorded rows and the new ones would not be one run. Nothing is appended.
 */
public final class ResumeMismatchException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** @param message which row differed, and how */
    public ResumeMismatchException(String message) {
        super(message);
    }
}
