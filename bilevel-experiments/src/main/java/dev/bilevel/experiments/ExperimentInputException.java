package dev.bilevel.experiments;

/**
 * Bad input to an experiment (a config file, a config value, an output directory), reported to the user
 * as exactly one line: the message names the key, file or directory and what is wrong with it.
 *
 * <p>Front ends catch this type, print {@link #getMessage()} without a stack trace and exit with
 * status 2. Subclasses say where the problem was found: {@link dev.bilevel.experiments.config.ConfigException}
 * for configuration, {@link dev.bilevel.experiments.run.RunDirectoryException} for run directories.
 * I/O failures while writing results (a full disk) are not input errors and surface as
 * {@link java.io.UncheckedIOException}.
 */
public class ExperimentInputException extends RuntimeException {

    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; line breaks in {@code message} are folded into spaces so that the message
     * stays one line.
     *
     * @param message what is wrong, naming the key, file or directory
     */
    public ExperimentInputException(String message) {
        super(oneLine(message));
    }

    /**
     * Creates the exception with a cause kept for debugging (it is not part of the message).
     *
     * @param message what is wrong, naming the key, file or directory
     * @param cause the underlying failure
     */
    public ExperimentInputException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message == null ? null : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
