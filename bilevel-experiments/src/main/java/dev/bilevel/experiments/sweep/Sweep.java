package dev.bilevel.experiments.sweep;

import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.experiments.catalog.ExperimentJobs;
import dev.bilevel.experiments.job.InputFile;
import dev.bilevel.experiments.run.Provenance;
import dev.bilevel.experiments.run.RunDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Runs a sweep, resumably: the driver works out which trials of its shard are not finished yet, hands
 * them to an executor (threads here, or a cluster), and writes each outcome as it arrives
 * ({@link SweepDirectory#write}). Finished trials are skipped, so a sweep stopped at any point, even by
 * {@code kill -9}, continues where it was when run again, with the same results as an uninterrupted run.
 * Failed trials are recorded with their error and skipped on later runs unless {@code retryFailed}.
 * A driver first takes its shard's lock on the directory ({@link #lock}), so that drivers sharing the
 * directory never run a trial twice or clear each other's staging.
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
     * Takes the directory's lock for {@code shard} ({@link SweepLock#driver}), waiting while another driver
     * runs that shard, then checks the directory against the spec and writes {@code sweep.yaml} and
     * {@code trials.csv}. Hold the lock (close it after) while {@link #run} runs the trials.
     *
     * @param spec the sweep
     * @param directory its output directory
     * @param shard which part of the sweep this process runs
     * @param onWait told once, with a console line, when the driver has to wait for another
     * @return the shard's lock, held
     * @throws ExperimentInputException before anything is written, if an input file of the sweep (a problem
     *     file) has other content than when the directory's finished trials ran on it, if the directory holds
     *     another sweep ({@link SweepDirectory#checkExtends}), or if a driver with another shard count runs
     */
    public static SweepLock lock(SweepSpec spec, SweepDirectory directory, Shard shard, Consumer<String> onWait) {
        SweepLock lock = SweepLock.driver(directory.path(), directory.label(), shard, onWait);
        try {
            checkInputFiles(spec, directory);
            directory.checkExtends(spec);
            directory.writeSweepFiles(spec);
            lock.releaseIndex();
            return lock;
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Runs the trials of the lock's shard that are not finished in {@code directory}. Nothing else writes
     * them meanwhile, so whatever {@code .staging/} holds for them was left by a dead process and goes.
     *
     * @param spec the sweep
     * @param directory its output directory
     * @param lock the shard's lock, from {@link #lock}, held until this returns
     * @param executor where trials run
     * @param retryFailed whether to run failed trials again
     * @param listener progress sink
     * @param commandLine the driver's arguments, for each trial's provenance
     * @return the counts
     * @throws InterruptedException if interrupted while waiting for the executor
     * @throws IllegalStateException if the executor returned an unknown trial or lost one
     */
    public static Result run(SweepSpec spec, SweepDirectory directory, SweepLock lock, TrialExecutor executor,
            boolean retryFailed, SweepListener listener, List<String> commandLine) throws InterruptedException {
        Shard shard = lock.shard();
        Provenance driver = Provenance.now(commandLine);
        long start = System.nanoTime();
        List<SweepSpec.Trial> mine = shard.select(spec.trials());
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
                Instant ended = Instant.now();
                TrialRecord record = directory.write(outcome, trial.label(), driver.startedAt(
                        ended.minusNanos(Math.round(outcome.seconds() * 1e9))).toMap(ended));
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

    /**
     * Refuses to continue a sweep whose input file changed: a finished trial of the directory that read the same
     * file (same absolute path) with another content hash than the sweep's trials record now. The trials of the
     * changed file would be new trials (the hash is part of the config, so of the id), and the directory would
     * mix results of two problems under one name.
     *
     * @param spec the sweep
     * @param directory its output directory
     * @throws ExperimentInputException naming the file's key, the file and both hashes
     */
    public static void checkInputFiles(SweepSpec spec, SweepDirectory directory) {
        List<InputFile> inputs = ExperimentJobs.forProblem(spec.problem(), "problem").inputFiles();
        if (inputs.isEmpty()) {
            return;
        }
        Map<String, String> now = new HashMap<>(); // pathKey NUL path -> hash
        for (SweepSpec.Trial trial : spec.trials()) {
            for (InputFile input : inputs) {
                Object path = trial.config().value(input.pathKey());
                Object hash = trial.config().value(input.hashKey());
                if (path != null && hash != null) {
                    now.put(input.pathKey() + '\u0000' + path, hash.toString());
                }
            }
        }
        for (TrialRecord record : directory.scan().values()) {
            Path config = directory.trialDir(record.id()).resolve(RunDirectory.CONFIG_FILE);
            if (!Files.isRegularFile(config)) {
                continue;
            }
            Map<String, String> values = new HashMap<>();
            try {
                for (FlatYaml.Entry e : FlatYaml.parse(Files.readString(config, StandardCharsets.UTF_8),
                        "config file " + config)) {
                    if (!e.list()) {
                        values.put(e.key(), e.scalar());
                    }
                }
            } catch (IOException | ExperimentInputException e) {
                continue; // not a readable config: the trial is redone or reported by aggregate, not compared
            }
            if (!spec.problem().equals(values.get("problem"))) {
                continue;
            }
            for (InputFile input : inputs) {
                String path = values.get(input.pathKey());
                String then = values.get(input.hashKey());
                String current = now.get(input.pathKey() + '\u0000' + path);
                if (then != null && current != null && !then.equalsIgnoreCase(current)) {
                    throw new ExperimentInputException(input.changed(path, current, then, "the finished trials of "
                            + directory.path() + " (restore the file, or sweep into another --out)"));
                }
            }
        }
    }
}
