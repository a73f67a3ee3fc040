package dev.bilevel.core.state;

import dev.bilevel.core.random.SplitMixRandom;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Reads what a {@link StateWriter} wrote, in the same order; every read checks the value's type tag, and array
 * reads into existing arrays check their length, so that state read into a differently built object fails with a
 * {@link StateMismatchException} naming the part, never silently.
 */
public final class StateReader {

    private final DataInputStream in;
    private String part = "(start)";

    /**
     * @param bytes what {@link StateWriter#toByteArray()} gave
     */
    public StateReader(byte[] bytes) {
        this.in = new DataInputStream(new ByteArrayInputStream(bytes));
    }

    /**
     * Reads the start of a part's state.
     *
     * @param name the part's name, as written
     * @return this reader
     * @throws StateMismatchException when another part comes next
     */
    public StateReader begin(String name) {
        guarded(() -> {
            expect(StateWriter.SECTION, "the start of " + name);
            String found = in.readUTF();
            if (!found.equals(name)) {
                throw new StateMismatchException("expected the state of " + name + ", found that of " + found);
            }
            part = name;
            return null;
        });
        return this;
    }

    /** Reads an {@code int}. */
    public int readInt() {
        return guarded(() -> {
            expect(StateWriter.INT, "an int");
            return in.readInt();
        });
    }

    /** Reads a {@code long}. */
    public long readLong() {
        return guarded(() -> {
            expect(StateWriter.LONG, "a long");
            return in.readLong();
        });
    }

    /** Reads a {@code double}. */
    public double readDouble() {
        return guarded(() -> {
            expect(StateWriter.DOUBLE, "a double");
            return Double.longBitsToDouble(in.readLong());
        });
    }

    /** Reads a {@code boolean}. */
    public boolean readBoolean() {
        return guarded(() -> {
            expect(StateWriter.BOOLEAN, "a boolean");
            return in.readBoolean();
        });
    }

    /**
     * Reads an array written by {@link StateWriter#writeDoubles}.
     *
     * @return a new array, or {@code null} when none was written
     */
    public double[] readDoubles() {
        return guarded(() -> {
            if (absent(StateWriter.DOUBLES, "doubles")) {
                return null;
            }
            double[] values = new double[length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = Double.longBitsToDouble(in.readLong());
            }
            return values;
        });
    }

    /**
     * Reads an array of {@code into}'s length into {@code into}.
     *
     * @param into the array to fill
     * @throws StateMismatchException when the saved array has another length, or none was saved
     */
    public void readDoubles(double[] into) {
        double[] values = readDoubles();
        if (values == null || values.length != into.length) {
            throw new StateMismatchException("in the state of " + part + ": expected " + into.length
                    + " doubles, found " + (values == null ? "none" : values.length));
        }
        System.arraycopy(values, 0, into, 0, values.length);
    }

    /**
     * Reads an array written by {@link StateWriter#writeInts}.
     *
     * @return a new array, or {@code null} when none was written
     */
    public int[] readInts() {
        return guarded(() -> {
            if (absent(StateWriter.INTS, "ints")) {
                return null;
            }
            int[] values = new int[length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = in.readInt();
            }
            return values;
        });
    }

    /**
     * Reads an array of {@code into}'s length into {@code into}.
     *
     * @param into the array to fill
     * @throws StateMismatchException when the saved array has another length, or none was saved
     */
    public void readInts(int[] into) {
        int[] values = readInts();
        if (values == null || values.length != into.length) {
            throw new StateMismatchException("in the state of " + part + ": expected " + into.length
                    + " ints, found " + (values == null ? "none" : values.length));
        }
        System.arraycopy(values, 0, into, 0, values.length);
    }

    /**
     * Reads an array written by {@link StateWriter#writeBooleans}.
     *
     * @return a new array, or {@code null} when none was written
     */
    public boolean[] readBooleans() {
        return guarded(() -> {
            if (absent(StateWriter.BOOLEANS, "booleans")) {
                return null;
            }
            boolean[] values = new boolean[length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = in.readBoolean();
            }
            return values;
        });
    }

    /**
     * Reads an array of {@code into}'s length into {@code into}.
     *
     * @param into the array to fill
     * @throws StateMismatchException when the saved array has another length, or none was saved
     */
    public void readBooleans(boolean[] into) {
        boolean[] values = readBooleans();
        if (values == null || values.length != into.length) {
            throw new StateMismatchException("in the state of " + part + ": expected " + into.length
                    + " booleans, found " + (values == null ? "none" : values.length));
        }
        System.arraycopy(values, 0, into, 0, values.length);
    }

    /**
     * Restores a random stream's state into {@code into}.
     *
     * @param into the stream to restore
     * @throws StateMismatchException when no stream, or an invalid one, was saved
     */
    public void readRandom(SplitMixRandom into) {
        SplitMixRandom saved = readRandom();
        if (saved == null) {
            throw new StateMismatchException("in the state of " + part + ": expected a random stream, found none");
        }
        into.restore(saved.seed(), saved.gamma());
    }

    /**
     * Reads a random stream written by {@link StateWriter#writeRandom}.
     *
     * @return a stream in the saved state, or {@code null} when none was saved
     * @throws StateMismatchException when the saved state is not a stream's
     */
    public SplitMixRandom readRandom() {
        return guarded(() -> {
            if (absent(StateWriter.RANDOM, "a random stream")) {
                return null;
            }
            long seed = in.readLong();
            long gamma = in.readLong();
            try {
                return SplitMixRandom.restored(seed, gamma);
            } catch (IllegalArgumentException e) {
                throw new StateMismatchException("in the state of " + part + ": " + e.getMessage());
            }
        });
    }

    /**
     * Reads a part written by {@link StateWriter#write(Stateful)} into {@code part}.
     *
     * @param into the part, or {@code null} when it was written absent
     */
    public void read(Stateful into) {
        if (into == null) {
            guarded(() -> {
                expect(StateWriter.ABSENT, "an absent part");
                return null;
            });
        } else {
            into.restoreState(this);
        }
    }

    /**
     * Whether a part written by {@link StateWriter#write(Stateful)} was absent; if so, its marker is consumed.
     *
     * @return true when the next value marks an absent part
     */
    public boolean readAbsent() {
        return guarded(() -> {
            in.mark(1);
            int tag = in.read();
            if (tag == StateWriter.ABSENT) {
                return true;
            }
            in.reset();
            return false;
        });
    }

    /** Whether everything has been read. */
    public boolean atEnd() {
        return guarded(() -> {
            return in.available() == 0;
        });
    }

    /** One read from the in-memory stream; running out of it means the state ends early. */
    @FunctionalInterface
    private interface Read<T> {
        T run() throws IOException;
    }

    private <T> T guarded(Read<T> read) {
        try {
            return read.run();
        } catch (IOException e) {
            throw truncated(e);
        }
    }

    private boolean absent(byte tag, String what) throws IOException {
        int found = in.readUnsignedByte();
        if (found == StateWriter.ABSENT) {
            return true;
        }
        if (found != tag) {
            throw mismatch(what, found);
        }
        return false;
    }

    private int length() throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new StateMismatchException("in the state of " + part + ": an array length of " + n
                    + " exceeds what is left");
        }
        return n;
    }

    private void expect(byte tag, String what) throws IOException {
        int found = in.readUnsignedByte();
        if (found != tag) {
            throw mismatch(what, found);
        }
    }

    private StateMismatchException mismatch(String what, int tag) {
        return new StateMismatchException("in the state of " + part + ": expected " + what + ", found type tag "
                + tag);
    }

    private StateMismatchException truncated(IOException e) {
        if (e instanceof EOFException) {
            return new StateMismatchException("the state ends inside " + part);
        }
        return new StateMismatchException("unreadable state in " + part + ": " + e.getMessage());
    }
}
