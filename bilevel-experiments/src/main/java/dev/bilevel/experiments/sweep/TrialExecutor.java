package dev.bilevel.experiments.sweep;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs trials somewhere (threads of this process, members of a cluster) and hands every outcome back
 * to the driver, which alone writes the sweep's output directory.
 */
public interface TrialExecutor extends AutoCloseable {

    /**
     * Runs every trial exactly once to an outcome. Returns when all outcomes were delivered.
     *
     * @param trials the trials to run
     * @param onOutcome called once per trial, possibly from several threads at once
     * @throws InterruptedException if the driver is interrupted while waiting
     */
    void runAll(List<TrialSpec> trials, Consumer<TrialOutcome> onOutcome) throws InterruptedException;

    /** Releases threads or cluster connections. */
    @Override
    void close();
}
