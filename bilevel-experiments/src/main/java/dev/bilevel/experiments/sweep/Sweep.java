package dev.bilevel.experiments.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a sweep, resumably: the driver works out which trials of its shard are not finished yet, hands
 * them to an executor (threads here, or a cluster), and writes each outcome as it arrives
 * ({@link SweepDirectory#write}). Finished trials are skipped, so a sweep stopped at any point, even by
 * {@code kill -9}, continues where it was when run again, with the same results as an uninterrupted run.
 * Failed trials are recorded with their error and skipped on later runs unless {@code retryFailed}.
 */
public final class Sweep {

    /**
     * How the run ended.
     *
     * @param trials trials of this shard
     * @param skipped trials already finished before this run (completed, or failed and not retried)
     * @param ran trials run now
     * @param completed trials of the shard now complete
     * @param failures trials of the shard now failed, with their markers
     * @param seconds wall-clock seconds of this run
     */
    public record Result(int trials, int skipped, int ran, int completed, List<TrialRecord> failures,
            double seconds) {

        /** Whether every trial of the shard completed. */
        public boolean allCompleted() {
            return completed == trials;
        }
    }

    private Sweep() {
    }

    /**
     * Runs the trials of {@code shard} that are not finished in {@code directory}.
     *
     * @param spec the sweep
     * @param directory its output directory
     * @param executor where trials run
     * @param shard which part of the sweep this process runs
     * @param retryFailed whether to run failed trials again
     * @param listener progress sink
     * @return the counts
     * @throws InterruptedException if interrupted while waiting for the executor
     * @throws IllegalStateException if the executor returned an unknown trial or lost one
     */
    public static Result run(SweepSpec spec, SweepDirectory directory, TrialExecutor executor, Shard shard,
            boolean retryFailed, SweepListener listener) throws InterruptedException {
        long start = System.nanoTime();
        List<SweepSpec.Trial> mine = shard.select(spec.trials());
        directory.writeSweepFiles(spec);
        directory.cleanStaging(mine.stream().map(SweepSpec.Trial::id).toList());
        Map<String, TrialRecord> finished = directory.scan();

        Map<String, SweepSpec.Trial> byId = new LinkedHashMap<>();
        Map<String, TrialRecord> status = new ConcurrentHashMap<>();
        List<SweepSpec.Trial> toRun = new ArrayList<>();
        for (SweepSpec.Trial trial : mine) {
            byId.put(trial.id(), trial);
            TrialRecord record = finished.get(trial.dirName());
            if (record != null && !record.id().equals(trial.id())) {
                throw new IllegalStateException("trial directory " + directory.trialDir(trial.id())
                        + " belongs to another trial (" + record.id() + ")");
            }
            if (record != null && (record.completed() || !retryFailed)) {
                status.put(trial.id(), record);
            } else {
                toRun.add(trial);
            }
        }
        int skipped = mine.size() - toRun.size();
        Set<String> submitted = new java.util.HashSet<>();
        toRun.forEach(t -> submitted.add(t.id()));
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        listener.begin(mine, toRun, 0);
        try {
            executor.runAll(toRun.stream().map(SweepSpec.Trial::spec).toList(), outcome -> {
                SweepSpec.Trial trial = byId.get(outcome.id());
                if (trial == null || !submitted.contains(outcome.id())) {
                    throw new IllegalStateException("the executor returned trial " + outcome.id()
                            + ", which this run did not submit");
                }
                if (!delivered.add(outcome.id())) {
                    return; // a resubmitted trial finished twice: its first outcome stands
                }
                TrialRecord record = directory.write(outcome, trial.label());
                status.put(trial.id(), record);
                listener.finished(trial, record);
            });
        } finally {
            listener.end();
        }
        if (delivered.size() != toRun.size()) {
            throw new IllegalStateException("the executor delivered " + delivered.size() + " of " + toRun.size()
                    + " trials; run the sweep again to finish the others");
        }
        int completed = 0;
        List<TrialRecord> failures = new ArrayList<>();
        for (SweepSpec.Trial trial : mine) {
            TrialRecord record = status.get(trial.id());
            if (record.completed()) {
                completed++;
            } else {
                failures.add(record);
            }
        }
        return new Result(mine.size(), skipped, toRun.size(), completed, failures, (System.nanoTime() - start) / 1e9);
    }
}
