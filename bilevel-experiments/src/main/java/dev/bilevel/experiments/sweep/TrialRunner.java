package dev.bilevel.experiments.sweep;

import dev.bilevel.experiments.catalog.ExperimentJobs;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.Directories;
import dev.bilevel.experiments.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs one trial in this process, into a private temporary directory, and returns its files. The
 * same on the driver and on a cluster member, so where a trial runs cannot change its results.
 */
public final class TrialRunner {

    private TrialRunner() {
    }

    /**
     * Runs {@code spec}; never throws for a failing trial (the failure is in the outcome).
     *
     * @param spec the trial
     * @param progress where the run reports progress
     * @return the outcome, with every file the run wrote
     */
    public static TrialOutcome run(TrialSpec spec, ProgressReporter progress) {
        long start = System.nanoTime();
        Path scratch;
        try {
            scratch = Files.createTempDirectory("bilevel-trial-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for trial " + spec.id(), e);
        }
        String error = null;
        Map<String, byte[]> files = new LinkedHashMap<>();
        try {
            Path configFile = scratch.resolve("trial.yaml");
            Files.writeString(configFile, spec.configYaml(), StandardCharsets.UTF_8);
            Path runDir = scratch.resolve("run");
            try {
                ExperimentJob job = ExperimentJobs.forProblem(spec.problem(), "problem");
                ResolvedConfig config = job.complete(job.schema().resolve(configFile, List.of()));
                job.run(config, RunDirectory.prepare(runDir), progress);
            } catch (RuntimeException e) {
                error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            if (Files.isDirectory(runDir)) {
                try (Stream<Path> list = Files.list(runDir)) {
                    for (Path file : list.sorted().toList()) {
                        if (Files.isRegularFile(file)) {
                            files.put(file.getFileName().toString(), Files.readAllBytes(file));
                        }
                    }
                }
            }
        } catch (IOException e) {
            error = "I/O error: " + e.getMessage();
        } finally {
            Directories.deleteQuietly(scratch);
        }
        return new TrialOutcome(spec.id(), error == null, error, files, (System.nanoTime() - start) / 1e9);
    }
}
