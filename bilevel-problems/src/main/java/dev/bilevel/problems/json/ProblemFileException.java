package dev.bilevel.problems.json;

/**
 * A problem file that cannot be used: unreadable, malformed JSON, or a model that does not validate.
 *
 * <p>The message is always a single line that names the offending field by its JSON path (for
 * example {@code transitions[3][1]: probabilities sum to 0.9, expected 1}) or, for syntax errors,
 * the line and column, so a command-line tool can print it as it is and exit with status 2.
 */
public final class ProblemFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong; line breaks are replaced by spaces */
    public ProblemFileException(String message) {
        super(singleLine(message));
    }

    /**
     * @param message what is wrong; line breaks are replaced by spaces
     * @param cause the underlying exception (I/O, parser or model validation)
     */
    public ProblemFileException(String message, Throwable cause) {
        super(singleLine(message), cause);
    }

    private static String singleLine(String message) {
        if (message == null) {
            return "invalid problem file";
        }
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
