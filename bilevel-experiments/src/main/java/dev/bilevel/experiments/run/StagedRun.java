package dev.bilevel.experiments.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where {@code bilevel run} puts a run: it is written into a staging directory beside its target,
 * {@code TARGET.partial}, and renamed into place when it ends, whether completed, diverged or interrupted. So a run
 * directory that exists under its name was ended by its run, a {@code .partial} one is a run that was killed (and
 * can be resumed), and nothing a user made is written over:
 * <ul>
 *   <li>a target that exists and is not empty is refused, unless the run replaces it ({@code --overwrite}: the old
 *       directory is removed only once the new one is in place) or continues it ({@code --resume});
 *   <li>a staging directory that exists is refused (another run is writing it, or a killed one left it), unless
 *       the run replaces it or resumes it.
 * </ul>
 * A resumed run continues in the directory it finds: in the staging directory of a killed run (renamed into place
 * when it ends), or in place in a run directory that an interruption ended. While a run writes a directory it holds
 * an OS lock on its {@value #LOCK} file, so a second process cannot resume (or write) a run that is still going;
 * the lock goes with the process, so a killed run's directory is free to resume.
 */
public final class StagedRun {

    /** The suffix of a staging directory. */
    public static final String PARTIAL = ".partial";

    /** The lock file a run holds in the directory it writes, for as long as it writes it. */
    static final String LOCK = ".lock";

    private final Path target;
    private final Path staging;
    private final RunDirectory directory;
    private final boolean replace;
    private final FileChannel lockChannel;

    private StagedRun(Path target, Path staging, RunDirectory directory, boolean replace, String label) {
        this.target = target;
        this.staging = staging;
        this.directory = directory;
        this.replace = replace;
        this.lockChannel = lock(directory.path(), label);
    }

    /** Takes the OS lock on a run's directory, or says that another process holds it. */
    private static FileChannel lock(Path dir, String label) {
        Path file = dir.resolve(LOCK);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                channel.close();
                throw new RunDirectoryException(label + ": another process is writing " + dir, null);
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new RunDirectoryException(label + ": this process is already writing " + dir, e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new RunDirectoryException(label + ": cannot lock " + file + " (" + e.getMessage() + ")", e);
        }
    }

    /** Releases the lock and removes its file. */
    private void unlock() {
        try {
            Files.deleteIfExists(directory.path().resolve(LOCK));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + directory.path().resolve(LOCK), e);
        } finally {
            closeQuietly(lockChannel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close(); // releases the lock
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }

    /**
     * Starts a new run bound for {@code target}.
     *
     * @param target the run directory the user asked for (or the default name)
     * @param label how the user named it, for messages ({@code --out DIR})
     * @param overwrite whether an existing run directory (and a leftover staging directory) may be replaced
     * @return the staged run, its staging directory created
     * @throws RunDirectoryException one line, when the target or its staging directory is in the way
     */
    public static StagedRun begin(Path target, String label, boolean overwrite) {
        Path staging = stagingOf(target);
        String where = label + ": ";
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new RunDirectoryException(where + "not a directory", null);
        }
        if (!overwrite && !isEmptyOrMissing(target)) {
            throw new RunDirectoryException(where + "already holds a run; give --overwrite to replace it, --resume "
                    + target + " to continue it, or another --out", null);
        }
        if (Files.exists(staging)) {
            if (!overwrite) {
                throw new RunDirectoryException(where + "an unfinished run is in " + staging + " (running, or killed);"
                        + " give --resume " + target + " to continue it, or --overwrite to start again", null);
            }
            Directories.deleteQuietly(staging);
            if (Files.exists(staging)) {
                throw new RunDirectoryException(where + "cannot remove " + staging, null);
            }
        }
        Path parent = staging.toAbsolutePath().getParent();
        RunDirectory.prepare(parent, label + " (its parent directory)");
        try {
            Files.createDirectory(staging);
        } catch (FileAlreadyExistsException e) {
            throw new RunDirectoryException(where + "another run started writing " + staging + " just now", e);
        } catch (IOException e) {
            throw new RunDirectoryException(where + "cannot create " + staging + " (" + e.getMessage() + ")", e);
        }
        return new StagedRun(target, staging, RunDirectory.prepare(staging, label), overwrite, label);
    }

    /**
     * Continues an interrupted run.
     *
     * @param given the run directory, or its staging directory
     * @return the staged run, in resume mode
     * @throws IllegalArgumentException one line, when there is no run to resume there
     */
    public static StagedRun resume(Path given) {
        String name = given.getFileName() == null ? "" : given.getFileName().toString();
        Path target = name.endsWith(PARTIAL)
                ? given.resolveSibling(name.substring(0, name.length() - PARTIAL.length())) : given;
        Path staging = stagingOf(target);
        if (Files.isDirectory(staging)) {
            if (Files.exists(target)) {
                throw new IllegalArgumentException("--resume " + given + ": both " + target + " and " + staging
                        + " exist; remove the one you do not want to continue");
            }
            return new StagedRun(target, staging, RunDirectory.resume(staging), false, "--resume " + given);
        }
        if (Files.isDirectory(target)) {
            String status = status(target);
            if (!status.isEmpty() && !status.equals("interrupted")) {
                throw new IllegalArgumentException("--resume " + given + ": that run " + status + "; only an"
                        + " interrupted run can be continued");
            }
            return new StagedRun(target, null, RunDirectory.resume(target), false, "--resume " + given);
        }
        throw new IllegalArgumentException("--resume " + given + ": no such run directory (nor " + staging + ")");
    }

    /** @return the directory the run writes to now */
    public RunDirectory directory() {
        return directory;
    }

    /**
     * Puts the ended run under its name: renames the staging directory into place, replacing an old run directory
     * when the run was begun with {@code overwrite} (the old one is deleted only after the rename). Does nothing for
     * a run resumed in place.
     *
     * @return the run directory
     * @throws UncheckedIOException when the rename fails; the run stays in its staging directory
     */
    public Path commit() {
        unlock();
        if (staging == null) {
            return target;
        }
        try {
            if (Files.exists(target) && !replace) {
                Files.delete(target); // empty (checked at the start), so nothing of the user's is lost
            }
            Directories.replace(staging, target);
        } catch (DirectoryNotEmptyException e) {
            throw new UncheckedIOException("cannot put the run in place: " + target + " was filled while the run"
                    + " went on; the run is in " + staging, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + staging + " to " + target + " (" + e.getMessage()
                    + "); the run is in " + staging, e);
        }
        return target;
    }

    /** Releases the directory's lock and leaves everything where it is: for a run that failed unexpectedly. */
    public void release() {
        unlock();
    }

    /**
     * Removes a new run's staging directory, for a run that was refused (bad input found once it started): nothing
     * of it stays. Does nothing for a run resumed in place.
     */
    public void discard() {
        unlock();
        if (staging != null && !directory.resuming()) {
            Directories.deleteQuietly(staging);
        }
    }

    /** The staging directory of a target: {@code TARGET.partial}, beside it. */
    static Path stagingOf(Path target) {
        Objects.requireNonNull(target.getFileName(), "a run directory needs a name");
        return target.resolveSibling(target.getFileName() + PARTIAL);
    }

    /** The status a run directory's summary records, or the empty string when it has none. */
    private static String status(Path dir) {
        Path summary = dir.resolve(RunDirectory.SUMMARY_FILE);
        try {
            return Files.isRegularFile(summary) ? SummaryJson.status(Files.readString(summary)) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + summary + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmptyOrMissing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return !Files.exists(dir);
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
