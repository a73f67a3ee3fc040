package dev.bilevel.experiments.sweep;

import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.experiments.run.AtomicFiles;
import dev.bilevel.experiments.run.Directories;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.experiments.run.RunDirectoryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The output directory of a sweep, and the only code that writes it:
 *
 * <pre>
 * sweep.yaml          the spec as given
 * trials.csv          every trial of the sweep: id, directory, the values that vary
 * trials/ID16/        one finished trial: the run's files (config.yaml, metrics.csv, summary.json, …)
 *                     and trial.json, its completion marker (status, error, seconds)
 * .staging/           trials being written (removed again when a later run of the sweep starts)
 * .lock               the lock file ({@link SweepLock})
 * </pre>
 *
 * <p>A trial directory appears whole or not at all: its files and then its marker are written and
 * forced to disk in {@code .staging/}, and the directory is renamed into {@code trials/} in one atomic
 * step. A process killed at any moment leaves only complete trial directories and staging leftovers, so
 * running the sweep again skips what is complete and redoes the rest; nothing is lost or written twice.
 * Several processes may share the directory: drivers of one shard take turns, shards of one sweep run side
 * by side ({@link SweepLock}), and each only touches its own trials.
 */
public final class SweepDirectory {

    /** Where finished trials live. */
    public static final String TRIALS = "trials";
    /** Where trials are assembled before the rename. */
    public static final String STAGING = ".staging";
    /** A trial's completion marker. */
    public static final String MARKER = "trial.json";
    /** The copy of the spec. */
    public static final String SPEC = "sweep.yaml";
    /** The index of the sweep's trials. */
    public static final String INDEX = "trials.csv";

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");
    private static final Pattern DIR_NAME = Pattern.compile("[0-9a-f]{16}");

    private final Path dir;
    private final String label;

    private SweepDirectory(Path dir, String label) {
        this.dir = dir;
        this.label = label;
    }

    /**
     * Opens (creating if needed) a sweep directory.
     *
     * @param dir the directory
     * @param label how the user named it, for messages ({@code --out})
     * @return the directory
     * @throws RunDirectoryException one line ({@code --out DIR: not a directory}, {@code not readable}, …)
     */
    public static SweepDirectory open(Path dir, String label) {
        RunDirectory.prepare(dir, label); // creates it, or says why not
        String where = label + " " + dir + ": ";
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
            throw new RunDirectoryException(where + "not readable", null);
        }
        try (Stream<Path> list = Files.list(dir)) {
            list.count();
            Files.createDirectories(dir.resolve(TRIALS));
            Files.createDirectories(dir.resolve(STAGING));
        } catch (IOException e) {
            throw new RunDirectoryException(where + "cannot read or write it (" + e.getMessage() + ")", e);
        }
        if (!Files.isDirectory(dir.resolve(TRIALS))) {
            throw new RunDirectoryException(where + TRIALS + " is not a directory", null);
        }
        return new SweepDirectory(dir, label);
    }

    /**
     * Opens an existing sweep directory for reading.
     *
     * @param dir the directory
     * @param label how the user named it
     * @return the directory
     * @throws RunDirectoryException if it is not a readable directory with a {@code trials/} folder
     */
    public static SweepDirectory existing(Path dir, String label) {
        String where = label + " " + dir + ": ";
        if (!Files.exists(dir)) {
            throw new RunDirectoryException(where + "not found", null);
        }
        if (!Files.isDirectory(dir)) {
            throw new RunDirectoryException(where + "not a directory", null);
        }
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
            throw new RunDirectoryException(where + "not readable", null);
        }
        if (!Files.isDirectory(dir.resolve(TRIALS))) {
            throw new RunDirectoryException(where + "not a sweep directory (no " + TRIALS + "/ in it)", null);
        }
        return new SweepDirectory(dir, label);
    }

    /** The directory. */
    public Path path() {
        return dir;
    }

    /** How the user named it ({@code --out}), for messages. */
    public String label() {
        return label;
    }

    /**
     * The name of a trial's directory: the first 16 hex digits of its id.
     *
     * @param id the trial id
     * @return the name
     */
    public static String dirName(String id) {
        return id.length() <= 16 ? id : id.substring(0, 16);
    }

    /**
     * Where a trial's directory is (whether or not it exists).
     *
     * @param id the trial id
     * @return the path
     */
    public Path trialDir(String id) {
        return dir.resolve(TRIALS).resolve(dirName(id));
    }

    /**
     * The finished trials: every trial directory with a valid marker, by directory name, sorted.
     *
     * @return the markers
     * @throws UncheckedIOException if the directory cannot be listed
     */
    public Map<String, TrialRecord> scan() {
        Map<String, TrialRecord> found = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir.resolve(TRIALS))) {
            for (Path trial : list.toList()) {
                String name = trial.getFileName().toString();
                if (!DIR_NAME.matcher(name).matches() || !Files.isDirectory(trial)) {
                    continue;
                }
                TrialRecord record = readMarker(trial);
                if (record != null && dirName(record.id()).equals(name)) {
                    found.put(name, record);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir.resolve(TRIALS) + ": " + e.getMessage(), e);
        }
        return found;
    }

    /**
     * A trial directory's marker.
     *
     * @param trialDir the trial directory
     * @return the marker, or {@code null} if it is missing or invalid
     */
    public static TrialRecord readMarker(Path trialDir) {
        try {
            return TrialRecord.parse(Files.readString(trialDir.resolve(MARKER), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Refuses a sweep that is neither the directory's sweep nor an extension of it: every trial that
     * {@code trials.csv} lists must be a trial of {@code spec}. More values on an axis, more seeds, a new axis
     * whose values include the old value, or another title keep every old trial (its config and so its id are
     * unchanged); any other change (iterations, a fixed value, a removed value) leaves old trials out.
     *
     * @param spec the sweep about to run
     * @throws ExperimentInputException one line naming the directory, if some listed trial is not in the spec
     * @throws UncheckedIOException if {@code trials.csv} cannot be read
     */
    public void checkExtends(SweepSpec spec) {
        Path index = dir.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            return;
        }
        Set<String> ids = new HashSet<>();
        spec.trials().forEach(t -> ids.add(t.id()));
        List<String> lines;
        try {
            lines = Files.readAllLines(index, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + index + ": " + e.getMessage(), e);
        }
        int listed = 0;
        int missing = 0;
        String first = null;
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            int comma = line.indexOf(',');
            String id = comma < 0 ? line : line.substring(0, comma);
            if (id.isEmpty()) {
                continue;
            }
            listed++;
            if (!ids.contains(id)) {
                missing++;
                first = first != null ? first : TRIALS + "/" + dirName(id);
            }
        }
        if (missing > 0) {
            throw new ExperimentInputException(label + " " + dir + ": holds another sweep (" + SPEC + "): " + missing
                    + " of its " + listed + " trials, " + first + " first, are not trials of " + spec.source()
                    + "; sweep into another " + label + ", or extend that sweep (more axis values or seeds, "
                    + "everything else equal)");
        }
    }

    /**
     * Removes what killed runs left in {@code .staging/} for these trials (only these, so that shards
     * sharing the directory never disturb each other). Call it holding the trials' shard lock
     * ({@link SweepLock#driver}): then nothing else writes these trials, and what is staged for them is stale.
     *
     * @param ids trial ids
     */
    public void cleanStaging(Collection<String> ids) {
        Set<String> mine = new HashSet<>();
        for (String id : ids) {
            mine.add(dirName(id));
        }
        Path staging = dir.resolve(STAGING);
        try (Stream<Path> list = Files.list(staging)) {
            for (Path p : list.toList()) {
                String name = p.getFileName().toString();
                int dot = name.indexOf('.');
                if (dot > 0 && mine.contains(name.substring(0, dot))) {
                    Directories.deleteQuietly(p);
                }
            }
        } catch (NoSuchFileException e) {
            // nothing staged
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + staging + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code sweep.yaml} (the spec text) and {@code trials.csv} (every trial: id, directory and
     * the values that vary), each atomically. Shards of one sweep write the same bytes; a spec that passed
     * {@link #checkExtends} lists every trial the files listed before, so they become the union.
     *
     * @param spec the sweep
     */
    public void writeSweepFiles(SweepSpec spec) {
        AtomicFiles.writeString(dir.resolve(SPEC), spec.text().endsWith("\n") ? spec.text() : spec.text() + "\n");
        StringBuilder csv = new StringBuilder("id,dir");
        for (String key : spec.varyingKeys()) {
            csv.append(',').append(key);
        }
        csv.append('\n');
        for (SweepSpec.Trial trial : spec.trials()) {
            csv.append(trial.id()).append(',').append(TRIALS).append('/').append(trial.dirName());
            for (String key : spec.varyingKeys()) {
                csv.append(',').append(csvCell(SweepSpec.format(trial.config().value(key))));
            }
            csv.append('\n');
        }
        AtomicFiles.writeString(dir.resolve(INDEX), csv.toString());
    }

    /**
     * Writes one trial's directory atomically: its files and marker go to {@code .staging/}, are forced
     * to disk, and the directory is renamed into {@code trials/}, replacing an earlier (failed or
     * incomplete) directory of the same trial.
     *
     * @param outcome what the run produced
     * @param label the trial's grid values
     * @param provenance the marker's provenance ({@link dev.bilevel.experiments.run.Provenance#toMap}), or
     *     {@code null} for none
     * @return the marker written
     * @throws UncheckedIOException if writing fails
     * @throws IllegalStateException if the outcome names a file that is not a plain file name
     */
    public TrialRecord write(TrialOutcome outcome, String label, Map<String, Object> provenance) {
        String name = dirName(outcome.id());
        List<String> files = new ArrayList<>(new java.util.TreeSet<>(outcome.files().keySet()));
        for (String file : files) {
            if (!FILE_NAME.matcher(file).matches() || file.equals(MARKER)) {
                throw new IllegalStateException("trial " + name + " returned a file named '" + file + "'");
            }
        }
        TrialRecord record = new TrialRecord(outcome.id(),
                outcome.completed() ? TrialRecord.COMPLETED : TrialRecord.FAILED,
                outcome.completed() ? null : (outcome.error() == null ? "failed" : outcome.error()), label,
                outcome.seconds(), files, provenance);
        Path staging = dir.resolve(STAGING).resolve(name + "." + Directories.randomHex());
        Path target = trialDir(outcome.id());
        try {
            Files.createDirectories(staging);
            for (String file : files) {
                writeDurably(staging.resolve(file), outcome.files().get(file));
            }
            writeDurably(staging.resolve(MARKER), record.toJson().getBytes(StandardCharsets.UTF_8));
            Directories.force(staging);
            Path old = null;
            if (Files.exists(target)) {
                old = dir.resolve(STAGING).resolve(name + ".old-" + Directories.randomHex());
                Directories.move(target, old);
            }
            Directories.move(staging, target);
            Directories.force(target.getParent());
            if (old != null) {
                Directories.deleteQuietly(old);
            }
        } catch (IOException e) {
            Directories.deleteQuietly(staging);
            throw new UncheckedIOException("cannot write trial " + target + ": " + e.getMessage(), e);
        }
        return record;
    }

    private static void writeDurably(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    static String csvCell(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
