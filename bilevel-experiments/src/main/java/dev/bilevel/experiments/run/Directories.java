package dev.bilevel.experiments.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The directory operations that whole-or-nothing writers share (run directories, sweep trials, aggregate folders):
 * an atomic rename, putting a finished directory in place of an old one, forcing entries to disk, and removal.
 */
public final class Directories {

    private Directories() {
    }

    /** Renames atomically (a plain move where the file system cannot). */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /**
     * Puts the finished directory {@code ready} in place of {@code target}: an existing {@code target} is moved aside
     * to a hidden sibling first and deleted only after the rename, so that a reader sees the old directory or the new
     * one, never a mix, and a failure leaves the old one in place or aside.
     *
     * @throws IOException if a rename fails
     */
    public static void replace(Path ready, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + randomHex());
            move(target, old);
        }
        move(ready, target);
        force(target.toAbsolutePath().getParent());
        if (old != null) {
            deleteQuietly(old);
        }
    }

    /** Forces a file or a directory's entries to disk where the platform allows it (Linux does). */
    public static void force(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform opens directories; the renames are still atomic
        }
    }

    /**
     * Removes a directory and everything in it, as far as it can: what is left (a file removed under it, a
     * permission) is for the next writer to clear.
     */
    public static void deleteQuietly(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover is harmless and removed by the next writer
        }
    }

    /** 16 random hex digits, for unique sibling names. */
    public static String randomHex() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
