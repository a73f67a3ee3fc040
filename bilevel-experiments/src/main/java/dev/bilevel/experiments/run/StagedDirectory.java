package dev.bilevel.experiments.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A folder written whole or not at all ({@code aggregate/}, {@code report/}): its files go into a hidden
 * sibling, {@code .NAME.staged-RANDOM}, and {@link #commit()} renames it into place, moving the old folder
 * aside first ({@code .NAME.old-RANDOM}) and deleting it after. Readers see the old folder or the new one,
 * never a mix; an exception or a kill before the commit leaves the old folder as it was, and {@link #close()}
 * (or the next writer) removes the staged one. Only during the commit, between its two renames, is the
 * folder briefly absent; a kill there leaves the old folder under its hidden name and no mix.
 *
 * <p>One writer at a time: the caller holds a lock for the folder (the sweep directory's aggregate lock), so
 * that the hidden siblings it finds on {@link #create} were left by dead processes and can go.
 */
public final class StagedDirectory implements AutoCloseable {

    private final Path target;
    private final Path staged;
    private boolean committed;

    private StagedDirectory(Path target, Path staged) {
        this.target = target;
        this.staged = staged;
    }

    /**
     * Starts a new version of {@code target}, removing what earlier writers left beside it.
     *
     * @param target the folder to replace; its parent must exist
     * @return the staged folder, empty
     * @throws UncheckedIOException if it cannot be created
     */
    public static StagedDirectory create(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        String prefix = "." + target.getFileName() + ".";
        try (Stream<Path> list = Files.list(parent)) {
            for (Path p : list.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(prefix + "staged-") || name.startsWith(prefix + "old-")) {
                    Directories.deleteQuietly(p);
                }
            }
            Path staged = parent.resolve(prefix + "staged-" + Directories.randomHex());
            Files.createDirectory(staged);
            return new StagedDirectory(target, staged);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage " + target + ": " + e.getMessage(), e);
        }
    }

    /** Where to write the folder's files until {@link #commit()}. */
    public Path path() {
        return staged;
    }

    /**
     * Forces the staged files to disk and puts the folder in place of {@code target}.
     *
     * @throws UncheckedIOException if a rename fails (the old folder is then still in place or aside)
     */
    public void commit() {
        try {
            try (Stream<Path> walk = Files.walk(staged)) {
                for (Path p : walk.toList()) {
                    Directories.force(p);
                }
            }
            Directories.replace(staged, target);
            committed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put " + target + " in place: " + e.getMessage(), e);
        }
    }

    /** Removes the staged folder unless it was committed. */
    @Override
    public void close() {
        if (!committed) {
            Directories.deleteQuietly(staged);
        }
    }
}
