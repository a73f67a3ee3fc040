package dev.bilevel.experiments.run;

import dev.bilevel.experiments.ExperimentInputException;

/**
 * A run directory that cannot be used, reported as one line naming it:
 * {@code --out runs/x: not a directory}. Front ends print the message and exit with status 2, like a
 * {@link dev.bilevel.experiments.config.ConfigException}.
 */
public class RunDirectoryException extends ExperimentInputException {

    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the one-line message, naming the directory
     * @param cause the underlying failure, or {@code null}
     */
    public RunDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
