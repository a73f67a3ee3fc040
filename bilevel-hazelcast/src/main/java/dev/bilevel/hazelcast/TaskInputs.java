package dev.bilevel.hazelcast;

import dev.bilevel.experiments.catalog.ExperimentJobs;
import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.job.InputFile;
import dev.bilevel.experiments.sweep.TrialSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The files a task from the cluster may make its member read: only files inside the sweep's input
 * directory (the directory of the sweep spec, which the driver ships with the task).
 *
 * <p>A trial's config reads files through its job's input-file keys ({@link ExperimentJob#inputFiles()}, the
 * problem file of {@code problem-file}) and through {@value #INITIAL_DECISION}; a config file can also read
 * another through {@code extends:}. A task is refused when its config has {@code extends:}, or when a file key
 * names a path that, resolved as the job resolves it (relative to the member's working directory) and with
 * symbolic links followed, is not inside the input directory as this member sees it.
 */
final class TaskInputs {

    /** The key, in the jobs that have it, naming a file of initial leader weights. */
    static final String INITIAL_DECISION = "initial_decision";

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private TaskInputs() {
    }

    /**
     * The keys of a job that name files the run reads.
     *
     * @param job the job
     * @return its input-file keys, and {@value #INITIAL_DECISION} if its schema has it
     */
    static List<String> fileKeys(ExperimentJob job) {
        List<String> keys = new ArrayList<>();
        job.inputFiles().stream().map(InputFile::pathKey).forEach(keys::add);
        if (job.schema().contains(INITIAL_DECISION)) {
            keys.add(INITIAL_DECISION);
        }
        return keys;
    }

    /**
     * Checks that a task reads no file outside its input directory.
     *
     * @param spec the trial
     * @param inputDirectory the sweep's input directory, as the driver named it
     * @throws IllegalArgumentException naming the key, for {@code extends:} or a file outside the directory
     */
    static void check(TrialSpec spec, Path inputDirectory) {
        JsonNode tree;
        try {
            tree = YAML.readTree(spec.configYaml());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("config: not YAML (" + e.getOriginalMessage() + ")");
        }
        if (tree != null && tree.has(ConfigSchema.EXTENDS)) {
            throw new IllegalArgumentException(ConfigSchema.EXTENDS + ": a task's config may not extend a file");
        }
        ExperimentJob job = ExperimentJobs.forProblem(spec.problem(), "problem");
        List<String> keys = fileKeys(job);
        ResolvedConfig config = resolve(job, spec.configYaml());
        Path directory = null;
        for (String key : keys) {
            Optional<String> value = config.optionalString(key);
            if (value.isEmpty()) {
                continue;
            }
            if (directory == null) {
                directory = realDirectory(inputDirectory);
            }
            Path file = resolveAsTheJobDoes(key, value.get());
            if (!file.startsWith(directory)) {
                throw new IllegalArgumentException(key + ": " + value.get() + " is outside the sweep's input "
                        + "directory " + inputDirectory);
            }
        }
    }

    /** The config as {@code TrialRunner} resolves it: from a file (which may not extend another). */
    private static ResolvedConfig resolve(ExperimentJob job, String yaml) {
        Path scratch = null;
        try {
            scratch = Files.createTempFile("bilevel-task-", ".yaml");
            Files.writeString(scratch, yaml, StandardCharsets.UTF_8);
            return job.schema().resolve(scratch, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a task's config to a temporary file", e);
        } finally {
            if (scratch != null) {
                try {
                    Files.deleteIfExists(scratch);
                } catch (IOException e) {
                    // A leftover temporary file is harmless.
                }
            }
        }
    }

    private static Path realDirectory(Path inputDirectory) {
        if (!inputDirectory.isAbsolute()) {
            throw new IllegalArgumentException("input directory: " + inputDirectory + " is not absolute");
        }
        try {
            return inputDirectory.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("input directory: " + inputDirectory + " does not exist on this "
                    + "member");
        }
    }

    /** A file key's path, absolute as the job reads it, with symbolic links followed where it exists. */
    private static Path resolveAsTheJobDoes(String key, String value) {
        Path file;
        try {
            file = Path.of("").toAbsolutePath().resolve(value).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a file path");
        }
        try {
            return Files.exists(file) ? file.toRealPath() : file;
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": cannot resolve " + value + " (" + e.getMessage() + ")");
        }
    }
}
