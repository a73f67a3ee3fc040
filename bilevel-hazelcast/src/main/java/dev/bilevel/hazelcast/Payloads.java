package dev.bilevel.hazelcast;

import dev.bilevel.experiments.sweep.TrialOutcome;
import dev.bilevel.experiments.sweep.TrialSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes a task and an outcome travel as, and that their MACs cover: a version, then the fields in a
 * fixed order (strings and files as a length and their bytes; an outcome's files sorted by name), so the
 * same task or outcome always has the same bytes. Reading checks every length against what is left, so
 * malformed bytes are an {@link IllegalArgumentException}, never an allocation of what they claim.
 */
final class Payloads {

    /** A task: the trial and the directory its input files must lie in. */
    record Task(TrialSpec spec, Path inputDirectory) {
    }

    private static final int VERSION = 1;

    private Payloads() {
    }

    /** The bytes of a task. */
    static byte[] task(TrialSpec spec, Path inputDirectory) {
        return write(out -> {
            writeString(out, spec.id());
            writeString(out, spec.problem());
            writeString(out, spec.configYaml());
            writeString(out, inputDirectory.toString());
        });
    }

    /**
     * Reads a task.
     *
     * @throws IllegalArgumentException for bytes that are not a task of this version
     */
    static Task readTask(byte[] bytes) {
        return read(bytes, in -> {
            TrialSpec spec = new TrialSpec(readString(in), readString(in), readString(in));
            return new Task(spec, Path.of(readString(in)));
        });
    }

    /** The bytes of an outcome. */
    static byte[] outcome(TrialOutcome outcome) {
        return write(out -> {
            writeString(out, outcome.id());
            out.writeBoolean(outcome.completed());
            out.writeBoolean(outcome.error() != null);
            if (outcome.error() != null) {
                writeString(out, outcome.error());
            }
            out.writeDouble(outcome.seconds());
            Map<String, byte[]> files = new TreeMap<>(outcome.files());
            out.writeInt(files.size());
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                writeString(out, file.getKey());
                writeBytes(out, file.getValue());
            }
        });
    }

    /**
     * Reads an outcome.
     *
     * @throws IllegalArgumentException for bytes that are not an outcome of this version
     */
    static TrialOutcome readOutcome(byte[] bytes) {
        return read(bytes, in -> {
            String id = readString(in);
            boolean completed = in.readBoolean();
            String error = in.readBoolean() ? readString(in) : null;
            double seconds = in.readDouble();
            int count = in.readInt();
            if (count < 0 || count > in.available()) {
                throw new IOException("bad file count " + count);
            }
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                files.put(readString(in), readBytes(in));
            }
            return new TrialOutcome(id, completed, error, files, seconds);
        });
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("payload version " + version + ", this build reads " + VERSION
                        + " (every machine must run the same bilevel build)");
            }
            T value = reader.read(in);
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes left over");
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed payload (" + e.getMessage() + ")");
        }
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        writeBytes(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("bad length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
