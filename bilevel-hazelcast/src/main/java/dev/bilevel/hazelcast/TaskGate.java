package dev.bilevel.hazelcast;

import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.sweep.SweepDirectory;
import dev.bilevel.experiments.sweep.TrialOutcome;
import dev.bilevel.experiments.sweep.TrialRunner;
import java.io.PrintStream;
import java.util.Map;

/**
 * A member's check of every task it receives, in this order: the MAC (when the member has a cluster secret),
 * the payload, the trial's input files ({@link TaskInputs}); only then does the trial run. A refused task is
 * one line on the member's log and a refusal to its sender, and never runs. Each member has one gate, in its
 * Hazelcast user context under {@link #KEY}.
 */
final class TaskGate {

    /** The user-context key of a member's gate. */
    static final String KEY = "bilevel.task-gate";

    private final ClusterSecret secret;
    private final PrintStream log;

    /**
     * @param secret the member's cluster secret, or {@code null} to run tasks unchecked (loopback only)
     * @param log where refusals are reported
     */
    TaskGate(ClusterSecret secret, PrintStream log) {
        this.secret = secret;
        this.log = log;
    }

    /**
     * Checks a task and runs it.
     *
     * @param payload the task's bytes
     * @param mac their MAC, or {@code null}
     * @return the signed outcome, or the refusal
     */
    SignedOutcome run(byte[] payload, byte[] mac) {
        if (secret != null && mac == null) {
            return refuse("the task has no MAC (this worker needs tasks signed with the cluster secret)", null);
        }
        if (secret != null && !secret.verifies(RunTrialTask.PURPOSE, payload, mac)) {
            return refuse("the task's MAC is wrong (it was not signed with this worker's cluster secret)", null);
        }
        Payloads.Task task;
        try {
            task = Payloads.readTask(payload);
        } catch (IllegalArgumentException e) {
            return refuse("the task is malformed: " + e.getMessage(), null);
        }
        try {
            TaskInputs.check(task.spec(), task.inputDirectory());
        } catch (RuntimeException e) {
            return refuse(ClusterConfigs.oneLine(e), task.spec().id());
        }
        return SignedOutcome.sign(run(task), secret);
    }

    private static TrialOutcome run(Payloads.Task task) {
        long start = System.nanoTime();
        try {
            return TrialRunner.run(task.spec(), ProgressReporter.silent());
        } catch (Throwable t) { // as the local executor: a trial must never take the sweep down with it
            String message = t.getMessage() == null ? t.getClass().getSimpleName()
                    : t.getClass().getSimpleName() + ": " + t.getMessage();
            return new TrialOutcome(task.spec().id(), false, message, Map.of(), (System.nanoTime() - start) / 1e9);
        }
    }

    private SignedOutcome refuse(String reason, String trial) {
        log.println("worker: refused a task" + (trial != null ? " (trial " + SweepDirectory.dirName(trial) + ")" : "")
                + ": " + reason + "; it did not run");
        return SignedOutcome.refused(reason);
    }
}
