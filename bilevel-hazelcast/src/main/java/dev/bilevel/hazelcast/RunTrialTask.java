package dev.bilevel.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import dev.bilevel.experiments.sweep.TrialSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * What travels to a worker: one trial and the sweep's input directory as {@link Payloads} bytes, with their
 * MAC under the driver's cluster secret ({@code null} without one). The receiving member's {@link TaskGate}
 * checks the MAC and the trial's input files before anything runs, and runs it with {@code TrialRunner}
 * exactly as the local executor does, so the files cannot depend on where it ran.
 */
final class RunTrialTask implements Callable<SignedOutcome>, Serializable, HazelcastInstanceAware {

    private static final long serialVersionUID = 2L;

    /** What a task's MAC covers, besides its payload. */
    static final String PURPOSE = "bilevel-task-v1";

    private final byte[] payload;
    private final byte[] mac;
    private transient TaskGate gate;

    RunTrialTask(byte[] payload, byte[] mac) {
        this.payload = payload.clone();
        this.mac = mac == null ? null : mac.clone();
    }

    /**
     * A task for one trial, signed when the driver has a secret.
     *
     * @param spec the trial
     * @param inputDirectory the sweep's input directory (absolute)
     * @param secret the driver's cluster secret, or {@code null}
     */
    static RunTrialTask sign(TrialSpec spec, Path inputDirectory, ClusterSecret secret) {
        byte[] payload = Payloads.task(spec, inputDirectory);
        return new RunTrialTask(payload, secret == null ? null : secret.mac(PURPOSE, payload));
    }

    /** Hazelcast calls this on the receiving member before {@link #call}: the member's own gate. */
    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        gate = (TaskGate) instance.getUserContext().get(TaskGate.KEY);
    }

    @Override
    public SignedOutcome call() {
        if (gate == null) {
            return SignedOutcome.refused("this member runs no bilevel trials");
        }
        return gate.run(payload, mac);
    }
}
