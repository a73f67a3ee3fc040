package dev.bilevel.hazelcast;

import dev.bilevel.experiments.sweep.TrialOutcome;
import java.io.Serializable;

/**
 * What a worker returns for a task: the trial's outcome as {@link Payloads} bytes with their MAC under the
 * worker's cluster secret ({@code null} without one), or why it refused the task (then the trial did not run).
 * The driver accepts an outcome only through {@link #open}, which checks the MAC against its own secret.
 */
final class SignedOutcome implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What an outcome's MAC covers, besides its payload. */
    static final String PURPOSE = "bilevel-outcome-v1";

    private final byte[] payload;
    private final byte[] mac;
    private final String refusal;

    private SignedOutcome(byte[] payload, byte[] mac, String refusal) {
        this.payload = payload;
        this.mac = mac;
        this.refusal = refusal;
    }

    /**
     * An outcome, signed when the worker has a secret.
     *
     * @param outcome what the trial produced
     * @param secret the worker's cluster secret, or {@code null}
     */
    static SignedOutcome sign(TrialOutcome outcome, ClusterSecret secret) {
        byte[] payload = Payloads.outcome(outcome);
        return new SignedOutcome(payload, secret == null ? null : secret.mac(PURPOSE, payload), null);
    }

    /** A refused task: it did not run, for {@code reason}. */
    static SignedOutcome refused(String reason) {
        return new SignedOutcome(new byte[0], null, reason);
    }

    /** Why the worker refused the task, or {@code null} when it ran. */
    String refusal() {
        return refusal;
    }

    /**
     * The outcome, when its MAC is right.
     *
     * @param secret the driver's cluster secret, or {@code null} to accept the outcome unchecked
     * @return the outcome
     * @throws SecurityException when the MAC is missing or wrong, or the payload is malformed
     */
    TrialOutcome open(ClusterSecret secret) {
        if (secret != null && mac == null) {
            throw new SecurityException("the outcome has no MAC (the worker has no cluster secret)");
        }
        if (secret != null && !secret.verifies(PURPOSE, payload, mac)) {
            throw new SecurityException("the outcome's MAC is wrong (the worker has another cluster secret)");
        }
        try {
            return Payloads.readOutcome(payload);
        } catch (IllegalArgumentException e) {
            throw new SecurityException("the outcome is malformed: " + e.getMessage());
        }
    }
}
