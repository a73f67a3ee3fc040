package dev.bilevel.hazelcast;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared secret of a cluster: every task a driver sends and every outcome a worker returns carries an
 * HMAC-SHA256 of its bytes under this key, checked before the task runs or the outcome is accepted.
 *
 * <p>The secret is text of at least {@value #MIN_LENGTH} characters, read from a file or the environment
 * variable {@value ClusterAccess#SECRET_VARIABLE}, never from a command line (which other users of the
 * machine can read); a file's trailing line break is not part of it. {@link #toString} never shows it.
 */
final class ClusterSecret {

    /** The shortest secret accepted, in characters. */
    static final int MIN_LENGTH = 16;

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    private ClusterSecret(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /**
     * A secret from its text.
     *
     * @param text the secret (trailing line breaks are dropped)
     * @param field where it came from, for the message
     * @return the secret
     * @throws IllegalArgumentException naming {@code field} when it is shorter than {@value #MIN_LENGTH}
     *     characters
     */
    static ClusterSecret of(String text, String field) {
        String secret = text.replaceAll("[\\r\\n]+$", "");
        if (secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(field + ": the cluster secret has " + secret.length()
                    + " characters, at least " + MIN_LENGTH + " are needed");
        }
        return new ClusterSecret(secret.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a secret file.
     *
     * @param file the file holding the secret
     * @param field the option that named it, for messages ({@code --secret-file})
     * @return the secret
     * @throws IllegalArgumentException naming {@code field} for a missing, unreadable or too short file
     */
    static ClusterSecret read(Path file, String field) {
        String where = field + " " + file;
        try {
            return of(Files.readString(file, StandardCharsets.UTF_8), where);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(where + ": not found");
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * The MAC of one message: HMAC-SHA256 over the purpose, a zero byte and the payload, so that a task's
     * MAC is never a valid outcome's.
     *
     * @param purpose what the payload is ({@code task}, {@code outcome})
     * @param payload the bytes
     * @return the 32-byte MAC
     */
    byte[] mac(String purpose, byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(purpose.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this Java runtime", e);
        }
    }

    /**
     * Whether {@code mac} is the MAC of {@code payload} (compared in constant time).
     *
     * @param purpose what the payload is
     * @param payload the bytes
     * @param mac the MAC that came with them, or {@code null}
     * @return false for a missing or wrong MAC
     */
    boolean verifies(String purpose, byte[] payload, byte[] mac) {
        return mac != null && MessageDigest.isEqual(mac(purpose, payload), mac);
    }

    @Override
    public String toString() {
        return "ClusterSecret[" + key.getEncoded().length + " bytes, hidden]";
    }
}
