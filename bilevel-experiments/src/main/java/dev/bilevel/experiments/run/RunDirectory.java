package dev.bilevel.experiments.run;

import dev.bilevel.experiments.DoubleText;
import dev.bilevel.experiments.config.ResolvedConfig;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The directory one run writes its results to:
 *
 * <pre>
 * config.yaml    the resolved configuration ({@link ResolvedConfig#toYaml()})
 * metrics.csv    one row per logged step ({@link MetricsWriter})
 * summary.json   final numbers ({@link #writeSummary(Map)})
 * checkpoint.bin the state after the last checkpointed iteration, while the run is unfinished ({@link RunCheckpoint})
 * NAME           vectors, one value per line ({@link #writeVector(String, double[])})
 * </pre>
 *
 * <p>Every file except {@code metrics.csv} is written whole to a temporary name in the same directory
 * and renamed into place atomically ({@link AtomicFiles}), so a crash never leaves a half-written file;
 * rewriting a file replaces it. {@code metrics.csv} is appended whole row by whole row while the run goes on
 * ({@link MetricsWriter}). Making a whole run directory appear at once, and refusing to write over a user's
 * files, is the business of the code that places runs ({@link StagedRun} for {@code bilevel run}, the sweep
 * directory for trials): this class writes into the directory it is given.
 *
 * <p>A directory opened with {@link #resume} continues the run an interruption left there: the config the
 * resumed run resolves must be the one recorded, and its metrics rows are checked against the recorded ones
 * before new rows are appended ({@link MetricsWriter#resume}). When the run left a {@link RunCheckpoint}, the
 * rows it stands for are taken as recorded and the run continues from its state.
 */
public final class RunDirectory {

    /** The resolved configuration. */
    public static final String CONFIG_FILE = "config.yaml";
    /** The per-step metrics. */
    public static final String METRICS_FILE = "metrics.csv";
    /** The final summary. */
    public static final String SUMMARY_FILE = "summary.json";

    private static final Set<String> RESERVED = Set.of(CONFIG_FILE, METRICS_FILE, SUMMARY_FILE, RunCheckpoint.FILE);
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");

    private final Path dir;
    private final boolean resuming;
    private final Duration checkpointEvery;

    private RunDirectory(Path dir, boolean resuming, Duration checkpointEvery) {
        this.dir = dir;
        this.resuming = resuming;
        this.checkpointEvery = checkpointEvery;
    }

    /**
     * This directory, with the run writing a {@link RunCheckpoint} at most every {@code every} of wall time (the
     * iteration at which it is written does not change any number), and whenever it is asked to stop.
     *
     * @param every the least time between checkpoints; zero for one after every iteration
     * @return the directory, checkpointing
     * @throws IllegalArgumentException when {@code every} is negative
     */
    public RunDirectory withCheckpoints(Duration every) {
        if (every.isNegative()) {
            throw new IllegalArgumentException("checkpoint interval must be ≥ 0, got " + every);
        }
        return new RunDirectory(dir, resuming, every);
    }

    /**
     * How often the run checkpoints.
     *
     * @return the least time between checkpoints, or empty when the run writes none
     */
    public Optional<Duration> checkpointInterval() {
        return Optional.ofNullable(checkpointEvery);
    }

    /**
     * Opens the directory of an interrupted run to continue it.
     *
     * @param dir a run directory holding {@code config.yaml} and {@code metrics.csv}
     * @return the directory, in resume mode
     * @throws IllegalArgumentException when {@code dir} holds no run to resume
     */
    public static RunDirectory resume(Path dir) {
        for (String file : List.of(CONFIG_FILE, METRICS_FILE)) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new IllegalArgumentException("--resume " + dir + ": no " + file + " there, so no run to resume");
            }
        }
        return new RunDirectory(dir, true, null);
    }

    /**
     * Whether this directory continues an interrupted run.
     *
     * @return true when opened with {@link #resume}
     */
    public boolean resuming() {
        return resuming;
    }

    /**
     * Creates {@code dir} (and its parents) if needed.
     *
     * @param dir the run directory
     * @return the run directory
     * @throws RunDirectoryException {@code run directory DIR: not a directory} (or cannot be created, or
     *     is not writable)
     */
    public static RunDirectory prepare(Path dir) {
        return prepare(dir, "run directory");
    }

    /**
     * Creates {@code dir} (and its parents) if needed, naming it in messages the way the user gave it,
     * e.g. {@code prepare(out, "--out")} reports {@code --out runs/x: not a directory}.
     *
     * @param dir the run directory
     * @param label what the user calls it: an option name or a phrase
     * @return the run directory
     * @throws RunDirectoryException with a one-line message {@code LABEL DIR: problem}
     */
    public static RunDirectory prepare(Path dir, String label) {
        String where = label + " " + dir + ": ";
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new RunDirectoryException(where + "not a directory", null);
        }
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            // createDirectories reports a regular file in the way (dir itself, or a parent).
            throw new RunDirectoryException(where + "cannot create it, " + e.getFile() + " is not a directory", e);
        } catch (AccessDeniedException e) {
            throw new RunDirectoryException(where + "cannot create it, permission denied", e);
        } catch (FileSystemException e) {
            throw new RunDirectoryException(where + "cannot create it"
                    + (e.getReason() == null ? "" : ", " + e.getFile() + ": " + e.getReason()), e);
        } catch (IOException e) {
            throw new RunDirectoryException(where + "cannot create it (" + e.getMessage() + ")", e);
        }
        if (!Files.isWritable(dir)) {
            throw new RunDirectoryException(where + "not writable", null);
        }
        return new RunDirectory(dir, false, null);
    }

    /**
     * The directory.
     *
     * @return the path as given to {@link #prepare}
     */
    public Path path() {
        return dir;
    }

    /**
     * Writes {@code config.yaml} atomically; when resuming, checks instead that it holds this config.
     *
     * @param config the resolved configuration
     * @return the file written
     * @throws IllegalArgumentException when resuming a run recorded with another config
     * @throws java.io.UncheckedIOException if writing (or, resuming, reading) fails
     */
    public Path writeConfig(ResolvedConfig config) {
        Path file = dir.resolve(CONFIG_FILE);
        if (resuming) {
            String recorded;
            try {
                recorded = Files.readString(file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (!recorded.equals(config.toYaml())) {
                throw new IllegalArgumentException("--resume " + dir + ": " + CONFIG_FILE + " differs from the config"
                        + " this build resolves from it (written by another version?)");
            }
            return file;
        }
        AtomicFiles.writeString(file, config.toYaml());
        return file;
    }

    /**
     * Creates (or truncates) {@code metrics.csv} and writes its header; when resuming, opens the recorded one to
     * be checked and continued ({@link MetricsWriter#resume}).
     *
     * @param columns the columns
     * @return the writer; close it when the run ends
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public MetricsWriter openMetrics(List<MetricColumn> columns) {
        Path file = dir.resolve(METRICS_FILE);
        return resuming ? MetricsWriter.resume(file, columns) : MetricsWriter.open(file, columns);
    }

    /**
     * Creates (or truncates) {@code metrics.csv} and writes its header.
     *
     * @param columns the columns
     * @return the writer; close it when the run ends
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public MetricsWriter openMetrics(MetricColumn... columns) {
        return openMetrics(Arrays.asList(columns));
    }

    /**
     * Writes {@code summary.json} atomically: one JSON object, pretty-printed, keys in the map's iteration
     * order (pass a {@link java.util.LinkedHashMap}), doubles written with {@link DoubleText#format(double)}
     * (shortest text that reads back bit for bit, the same on every JDK), NaN and infinities (also inside lists, arrays and records)
     * written as {@code null} since JSON has no such numbers, and a final newline.
     *
     * @param summary the summary; values may be numbers, strings, booleans, null, nested maps, lists,
     *     arrays and records
     * @return the file written
     * @throws java.io.UncheckedIOException if writing fails
     */
    public Path writeSummary(Map<String, ?> summary) {
        Path file = dir.resolve(SUMMARY_FILE);
        AtomicFiles.writeString(file, SummaryJson.write(summary));
        return file;
    }

    /**
     * Adds entries to {@code summary.json} (creating it when the run wrote none), atomically: for what the command
     * around a job knows and the job does not, such as its provenance, or an interruption the job could not record.
     *
     * @param entries the entries; existing keys are replaced in place, new ones go last
     * @return the file written
     * @throws java.io.UncheckedIOException if reading or writing fails
     */
    public Path mergeIntoSummary(Map<String, ?> entries) {
        Path file = dir.resolve(SUMMARY_FILE);
        String existing = null;
        try {
            existing = Files.isRegularFile(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        AtomicFiles.writeString(file, SummaryJson.merge(existing, entries));
        return file;
    }

    /**
     * Writes a vector atomically as text, one value per line with {@link DoubleText#format(double)}
     * ({@code NaN}, {@code Infinity} and {@code -Infinity} included), which
     * {@link Double#parseDouble}, {@code numpy.loadtxt} and Python's {@code float} read back bit for bit.
     * An empty vector is an empty file.
     *
     * @param fileName a plain file name ({@code leader_params.txt}): letters, digits, {@code _ . -}, not
     *     starting with a dot, and not one of the files above
     * @param values the vector
     * @return the file written
     * @throws IllegalArgumentException for a bad file name
     * @throws java.io.UncheckedIOException if writing fails
     */
    public Path writeVector(String fileName, double[] values) {
        if (!FILE_NAME.matcher(fileName).matches() || RESERVED.contains(fileName)) {
            throw new IllegalArgumentException("vector file name '" + fileName
                    + "' must be a plain name (letters, digits, _ . -) other than " + RESERVED);
        }
        StringBuilder text = new StringBuilder(values.length * 20);
        for (double v : values) {
            text.append(DoubleText.format(v)).append('\n');
        }
        Path file = dir.resolve(fileName);
        AtomicFiles.writeString(file, text.toString());
        return file;
    }

    @Override
    public String toString() {
        return "RunDirectory[" + dir + "]";
    }
}
