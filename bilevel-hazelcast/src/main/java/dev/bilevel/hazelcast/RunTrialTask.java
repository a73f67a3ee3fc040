package dev.bilevel.hazelcast;

import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.sweep.TrialOutcome;
import dev.bilevel.experiments.sweep.TrialRunner;
import dev.bilevel.experiments.sweep.TrialSpec;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What travels to a worker: one trial, run there with {@link TrialRunner} exactly as the local
 * executor runs it, so the files cannot depend on where it ran.
 */
final class RunTrialTask implements Callable<TrialOutcome>, Serializable {

    private static final long serialVersionUID = 1L;

    private final TrialSpec spec;

    RunTrialTask(TrialSpec spec) {
        this.spec = spec;
    }

    @Override
    public TrialOutcome call() {
        long start = System.nanoTime();
        try {
            return TrialRunner.run(spec, ProgressReporter.silent());
        } catch (Throwable t) { // as the local executor: a trial must never take the sweep down with it
            String message = t.getMessage() == null ? t.getClass().getSimpleName()
                    : t.getClass().getSimpleName() + ": " + t.getMessage();
            return new TrialOutcome(spec.id(), false, message, Map.of(), (System.nanoTime() - start) / 1e9);
        }
    }
}
