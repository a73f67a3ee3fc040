package dev.bilevel.experiments.run;

import dev.bilevel.core.state.StateMismatchException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * A run's state after a number of whole iterations: the follower's as it stood before it answered the last
 * leader update, and everything else's (leader, critic, optimiser, replay buffers, random streams) after that
 * iteration's row was written. {@code bilevel run --resume} restores it into a run built from the same config
 * and continues from there, instead of replaying the iterations before it.
 *
 * <p>The file, {@code checkpoint.bin}, is written whole or not at all (a temporary file renamed into place) and
 * ends with a CRC-32 of its content, so that a damaged file is refused rather than half-read.
 *
 * <p>It names the build that wrote it ({@link #currentBuild()}): a resume by another build refuses it, since the
 * rows it stands for are taken as they are, and only a replay would check them against the new code.
 *
 * @param build the build that wrote it: version, commit and whether its tree was dirty
 * @param iterations the iterations done (the rows of {@code metrics.csv} it stands for)
 * @param follower the follower's state
 * @param others the state of everything else
 */
public record RunCheckpoint(String build, int iterations, byte[] follower, byte[] others) {

    /** The file's name in a run directory. */
    public static final String FILE = "checkpoint.bin";

    private static final String MAGIC = "bilevel checkpoint 2";

    /**
     * @throws IllegalArgumentException when {@code iterations} is below 1
     */
    public RunCheckpoint {
        if (iterations < 1) {
            throw new IllegalArgumentException("a checkpoint follows at least one iteration, got " + iterations);
        }
        java.util.Objects.requireNonNull(build, "build");
        follower = follower.clone();
        others = others.clone();
    }

    /**
     * The build this code runs from, as a checkpoint names it.
     *
     * @return {@code version commit [dirty]}, with {@code unknown} for what the classpath does not say
     */
    public static String currentBuild() {
        return BuildHolder.BUILD;
    }

    /** The build, read once from the jar's build information. */
    private static final class BuildHolder {

        static final String BUILD = describe(Provenance.now(java.util.List.of()));

        private static String describe(Provenance p) {
            return (p.version() == null ? "unknown" : p.version()) + " "
                    + (p.commit() == null ? "unknown" : p.commit()) + (Boolean.TRUE.equals(p.dirty()) ? " dirty" : "");
        }
    }

    /**
     * Writes the checkpoint into a run directory, replacing the one before.
     *
     * @param dir the run directory
     * @throws UncheckedIOException when writing fails
     */
    public void write(Path dir) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeUTF(build);
            out.writeInt(iterations);
            out.writeInt(follower.length);
            out.write(follower);
            out.writeInt(others.length);
            out.write(others);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        byte[] body = bytes.toByteArray();
        byte[] content = Arrays.copyOf(body, body.length + 8);
        long sum = crc.getValue();
        for (int i = 0; i < 8; i++) {
            content[body.length + i] = (byte) (sum >>> (56 - 8 * i));
        }
        AtomicFiles.write(dir.resolve(FILE), content);
    }

    /**
     * Reads the checkpoint of a run directory.
     *
     * @param dir the run directory
     * @return the checkpoint, or {@code null} when the directory holds none
     * @throws StateMismatchException when the file is damaged or not a checkpoint
     * @throws UncheckedIOException when reading fails
     */
    public static RunCheckpoint read(Path dir) {
        Path file = dir.resolve(FILE);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (content.length < 8) {
            throw new StateMismatchException(file + " is damaged (too short)");
        }
        CRC32 crc = new CRC32();
        crc.update(content, 0, content.length - 8);
        long sum = 0;
        for (int i = content.length - 8; i < content.length; i++) {
            sum = (sum << 8) | (content[i] & 0xff);
        }
        if (sum != crc.getValue()) {
            throw new StateMismatchException(file + " is damaged (its checksum does not match)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(content, 0, content.length - 8))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new StateMismatchException(file + " is not a checkpoint of this version of bilevel");
            }
            String build = in.readUTF();
            int iterations = in.readInt();
            byte[] follower = in.readNBytes(in.readInt());
            byte[] others = in.readNBytes(in.readInt());
            return new RunCheckpoint(build, iterations, follower, others);
        } catch (IOException | IllegalArgumentException | NegativeArraySizeException e) {
            throw new StateMismatchException(file + " is damaged: " + e.getMessage());
        }
    }

    /**
     * Removes a run directory's checkpoint, if any (a run that ended needs none).
     *
     * @param dir the run directory
     */
    public static void delete(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunCheckpoint c && c.build.equals(build) && c.iterations == iterations
                && Arrays.equals(c.follower, follower) && Arrays.equals(c.others, others);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * build.hashCode() + iterations) + Arrays.hashCode(follower)) + Arrays.hashCode(others);
    }

    @Override
    public String toString() {
        return "RunCheckpoint[build=" + build + ", iterations=" + iterations + ", follower=" + follower.length + " bytes, others="
                + others.length + " bytes]";
    }
}
