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
        try {
            out.writeByte(SECTION);
            out.writeUTF(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes an {@code int}. */
    public StateWriter writeInt(int value) {
        try {
            out.writeByte(INT);
            out.writeInt(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes a {@code long}. */
    public StateWriter writeLong(long value) {
        try {
            out.writeByte(LONG);
            out.writeLong(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes a {@code double}, bit for bit (NaN payloads included). */
    public StateWriter writeDouble(double value) {
        try {
            out.writeByte(DOUBLE);
            out.writeLong(Double.doubleToRawLongBits(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes a {@code boolean}. */
    public StateWriter writeBoolean(boolean value) {
        try {
            out.writeByte(BOOLEAN);
            out.writeBoolean(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Writes an array, or its absence.
     *
     * @param values the array, or {@code null}
     * @return this writer
     */
    public StateWriter writeDoubles(double[] values) {
        try {
            if (values == null) {
                out.writeByte(ABSENT);
                return this;
            }
            out.writeByte(DOUBLES);
            out.writeInt(values.length);
            for (double v : values) {
                out.writeLong(Double.doubleToRawLongBits(v));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Writes an array, or its absence.
     *
     * @param values the array, or {@code null}
     * @return this writer
     */
    public StateWriter writeInts(int[] values) {
        try {
            if (values == null) {
                out.writeByte(ABSENT);
                return this;
            }
            out.writeByte(INTS);
            out.writeInt(values.length);
            for (int v : values) {
                out.writeInt(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Writes an array, or its absence.
     *
     * @param values the array, or {@code null}
     * @return this writer
     */
    public StateWriter writeBooleans(boolean[] values) {
        try {
            if (values == null) {
                out.writeByte(ABSENT);
                return this;
            }
            out.writeByte(BOOLEANS);
            out.writeInt(values.length);
            for (boolean v : values) {
                out.writeBoolean(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Writes a random stream's state, or its absence.
     *
     * @param rng the stream, or {@code null}
     * @return this writer
     */
    public StateWriter writeRandom(SplitMixRandom rng) {
        try {
            if (rng == null) {
                out.writeByte(ABSENT);
                return this;
            }
            out.writeByte(RANDOM);
            out.writeLong(rng.seed());
            out.writeLong(rng.gamma());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Writes a part's state, or the absence of the part.
     *
     * @param part the part, or {@code null}
     * @return this writer
     */
    public StateWriter write(Stateful part) {
        if (part == null) {
            try {
                out.writeByte(ABSENT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            part.saveState(this);
        }
        return this;
    }

    /** Everything written so far. */
    public byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
