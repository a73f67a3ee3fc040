package dev.bilevel.experiments.job;

import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.experiments.config.ResolvedConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A config key that names an input file of a run (the {@code problem-file} job's {@code file}), and the key
 * that records the SHA-256 of its bytes.
 *
 * <p>How such a path is read: a relative path in a config file or a sweep spec is relative to that file's
 * directory ({@code bilevel run --config}, {@code bilevel sweep}); one given on the command line is relative to
 * the working directory. A completed config holds the absolute path and the file's hash, so the trial id of a
 * sweep changes with the file's content, a run refuses a file whose content differs from the hash its config
 * names, and a sweep refuses to continue into a directory whose trials ran on other content.
 *
 * @param pathKey the key naming the file
 * @param hashKey the key holding the SHA-256 of its bytes (lower-case hex)
 */
public record InputFile(String pathKey, String hashKey) {

    /** Checks the names. */
    public InputFile {
        Objects.requireNonNull(pathKey, "pathKey");
        Objects.requireNonNull(hashKey, "hashKey");
    }

    /**
     * A path as a config file or spec in {@code baseDir} means it: absolute paths as they are, relative ones
     * against {@code baseDir}; normalised.
     *
     * @param value the path as written
     * @param baseDir the directory of the file that wrote it
     * @param field the key or option that gave it, for the message
     * @return the absolute path, as text
     * @throws ExperimentInputException naming {@code field} for text that is not a path
     */
    public static String resolve(String value, Path baseDir, String field) {
        try {
            return baseDir.toAbsolutePath().resolve(value).normalize().toString();
        } catch (InvalidPathException e) {
            throw new ExperimentInputException(field + ": '" + value + "' is not a file path (" + e.getReason() + ")");
        }
    }

    /**
     * The key's path in a config, absolute (a relative one is taken relative to the working directory).
     *
     * @param config a config with {@link #pathKey}
     * @return the path, if set
     * @throws ExperimentInputException for text that is not a path
     */
    public Optional<Path> path(ResolvedConfig config) {
        return config.optionalString(pathKey).map(v -> Path.of(resolve(v, Path.of(""), pathKey)));
    }

    /**
     * The SHA-256 of some bytes.
     *
     * @param bytes the file's content
     * @return 64 lower-case hex digits
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /**
     * Records the hash of the file's content in a config, or checks it against the hash the config names.
     *
     * @param config a config whose {@link #pathKey} is set
     * @param bytes the file's content, as read now
     * @return the config with {@link #hashKey} set
     * @throws IllegalArgumentException naming {@link #pathKey} when the config names another hash: the file
     *     changed since the config was written
     */
    public ResolvedConfig record(ResolvedConfig config, byte[] bytes) {
        String now = sha256(bytes);
        Optional<String> expected = config.optionalString(hashKey);
        if (expected.isPresent() && !expected.get().equalsIgnoreCase(now)) {
            throw new IllegalArgumentException(changed(config.optionalString(pathKey).orElse("?"), now,
                    expected.get(), "the config's " + hashKey));
        }
        return config.with(hashKey, now);
    }

    /**
     * The one-line message for a file whose content is not the content a config or an earlier run used.
     *
     * @param path the file
     * @param now its hash now
     * @param then the hash it had
     * @param where who recorded {@code then}
     * @return {@code file: PATH has changed: SHA-256 … now, … in WHERE}
     */
    public String changed(String path, String now, String then, String where) {
        return pathKey + ": " + path + " has changed: its SHA-256 is " + abbreviate(now) + "… now, "
                + abbreviate(then) + "… in " + where;
    }

    private static String abbreviate(String hash) {
        return hash.length() <= 12 ? hash : hash.substring(0, 12);
    }
}
