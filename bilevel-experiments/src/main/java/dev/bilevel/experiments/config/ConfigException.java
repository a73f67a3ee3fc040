package dev.bilevel.experiments.config;

import dev.bilevel.experiments.ExperimentInputException;

/**
 * A configuration problem, reported as one line that names the key (or the file, or the override) and
 * what is wrong, for example {@code learning_rate: -0.1 must be > 0} or
 * {@code unknown config key 'learnin_rate' (did you mean 'learning_rate'?)}.
 *
 * <p>Values that came from a config file carry the file and line at the end:
 * {@code samples: expected an integer, got 1.5 (config file base.yaml, line 4)}.
 */
public class ConfigException extends ExperimentInputException {

    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /** The key concerned, or {@code null}. */
    private final String key;

    /**
     * Creates an exception that concerns no single key (a file that is missing, a malformed override).
     *
     * @param message the one-line message
     */
    public ConfigException(String message) {
        this(null, message, null);
    }

    /**
     * Creates an exception about one key.
     *
     * @param key the config key concerned, or {@code null}
     * @param message the one-line message, which names the key
     */
    public ConfigException(String key, String message) {
        this(key, message, null);
    }

    /**
     * Creates an exception with an underlying cause (kept for debugging, not part of the message).
     *
     * @param key the config key concerned, or {@code null}
     * @param message the one-line message
     * @param cause the underlying failure, or {@code null}
     */
    public ConfigException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /**
     * The key this problem concerns, as written by the user (so possibly an unknown key).
     *
     * @return the key, or {@code null} when the problem is not about one key
     */
    public String key() {
        return key;
    }
}
