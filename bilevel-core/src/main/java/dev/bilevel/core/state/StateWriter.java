package dev.bilevel.core.state;

import dev.bilevel.core.random.SplitMixRandom;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Collects state in memory, as tagged binary values: each value is preceded by a one-byte type tag, arrays by
 * their length, and {@link #begin} marks a part by name, so that {@link StateReader} can tell which part and which
 * value failed to fit.
 */
public final class StateWriter {

    static final byte SECTION = 1;
    static final byte INT = 2;
    static final byte LONG = 3;
    static final byte DOUBLE = 4;
    static final byte BOOLEAN = 5;
    static final byte DOUBLES = 6;
    static final byte INTS = 7;
    static final byte BOOLEANS = 8;
    static final byte RANDOM = 9;
    static final byte ABSENT = 10;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    /**
     * Marks the start of a part's state.
     *
     * @param name the part, checked on reading (a class's simple name, say)
     * @return this writer
     */
    public StateWriter begin(String name) {
        return put(() -> {
            out.writeByte(SECTION);
            out.writeUTF(name);
        });
    }

    /** Writes an {@code int}. */
    public StateWriter writeInt(int value) {
        return put(() -> {
            out.writeByte(INT);
            out.writeInt(value);
        });
    }

    /** Writes a {@code long}. */
    public StateWriter writeLong(long value) {
        return put(() -> {
            out.writeByte(LONG);
            out.writeLong(value);
        });
    }

    /** Writes a {@code double}, bit for bit (NaN payloads included). */
    public StateWriter writeDouble(double value) {
        return put(() -> {
            out.writeByte(DOUBLE);
            out.writeLong(Double.doubleToRawLongBits(value));
        });
    }

    /** Writes a {@code boolean}. */
    public StateWriter writeBoolean(boolean value) {
        return put(() -> {
            out.writeByte(BOOLEAN);
            out.writeBoolean(value);
        });
    }

    /**
     * Writes an array, or its absence.
     *
     * @param values the array, or {@code null}
     * @return this writer
     */
    public StateWriter writeDoubles(double[] values) {
        return put(() -> {
            if (values == null) {
                out.writeByte(ABSENT);
                return;
            }
            out.writeByte(DOUBLES);
            out.writeInt(values.length);
            for (double v : values) {
                out.writeLong(Double.doubleToRawLongBits(v));
            }
        });
    }

    /**
     * Writes an array, or its absence.
     *
     * @param values the array, or {@code null}
     * @return this writer
     */
    public StateWriter writeInts(int[] values) {
        return put(() -> {
            if (values == null) {
                out.writeByte(ABSENT);
                return;
            }
            out.writeByte(INTS);
            out.writeInt(values.length);
            for (int v : values) {
                out.writeInt(v);
            }
        });
    }

    /**
     * Writes an array, or its absence.
     *
     * @param values the array, or {@code null}
     * @return this writer
     */
    public StateWriter writeBooleans(boolean[] values) {
        return put(() -> {
            if (values == null) {
                out.writeByte(ABSENT);
                return;
            }
            out.writeByte(BOOLEANS);
            out.writeInt(values.length);
            for (boolean v : values) {
                out.writeBoolean(v);
            }
        });
    }

    /**
     * Writes a random stream's state, or its absence.
     *
     * @param rng the stream, or {@code null}
     * @return this writer
     */
    public StateWriter writeRandom(SplitMixRandom rng) {
        return put(() -> {
            if (rng == null) {
                out.writeByte(ABSENT);
                return;
            }
            out.writeByte(RANDOM);
            out.writeLong(rng.seed());
            out.writeLong(rng.gamma());
        });
    }

    /**
     * Writes a part's state, or the absence of the part.
     *
     * @param part the part, or {@code null}
     * @return this writer
     */
    public StateWriter write(Stateful part) {
        if (part == null) {
            return put(() -> out.writeByte(ABSENT));
        }
        part.saveState(this);
        return this;
    }

    /** One write to the in-memory stream, which cannot fail but declares that it might. */
    @FunctionalInterface
    private interface Write {
        void run() throws IOException;
    }

    private StateWriter put(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Everything written so far. */
    public byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
