package dev.bilevel.experiments.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file writes that readers (and a crash) never see half done: the content goes to a hidden
 * temporary file in the target's directory ({@code .NAME.RANDOM.tmp}), is forced to disk, and is then
 * renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}.
 *
 * <p>On a file system that cannot rename atomically the rename falls back to a plain replacing move.
 * The temporary file is created with the default permissions (not the owner-only ones of
 * {@link Files#createTempFile}), so results stay readable by the group as usual.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Atomically replaces {@code target} with {@code content} encoded as UTF-8.
     *
     * @param target the file to write; its directory must exist
     * @param content the text
     * @throws UncheckedIOException if writing fails (no temporary file is left behind)
     */
    public static void writeString(Path target, String content) {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Atomically replaces {@code target} with {@code content}.
     *
     * @param target the file to write; its directory must exist
     * @param content the bytes
     * @throws UncheckedIOException if writing fails (no temporary file is left behind)
     */
    public static void write(Path target, byte[] content) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = createTemp(dir, target.getFileName().toString());
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true); // the rename must never expose a file whose data is not on disk yet
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }
}
