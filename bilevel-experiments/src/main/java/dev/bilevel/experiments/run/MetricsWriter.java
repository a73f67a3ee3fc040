package dev.bilevel.experiments.run;

import dev.bilevel.experiments.DoubleText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Appends rows of numbers to a CSV file while a run is going: a header line of column names, then one
 * line per {@link #row(double...)}. Output is byte-for-byte deterministic (no locale, {@code \n} line
 * ends, no quoting: column names cannot contain separators).
 *
 * <p>Cells: a real column prints {@link DoubleText#format(double)}, Java's {@code Double.toString} layout
 * with the shortest exact digits on every JDK ({@code 0.1}, {@code 1.0E-4}, {@code 1.0E23},
 * {@code -0.0}, {@code Infinity}), which {@link Double#parseDouble} and Python's {@code float} read back
 * bit for bit; an integer-valued column prints the whole number without {@code .0}
 * ({@code 42}); NaN prints as an empty cell in either kind of column (pandas reads it as NaN).
 *
 * <p>Rows are buffered and flushed every {@code flushEveryRows} rows, at least every two seconds while
 * rows keep coming, on {@link #flush()} and on {@link #close()}. Rows reach the file whole: a flush writes
 * whole lines only, and when a write fails part-way (a full disk) the file is cut back to its last whole
 * row before the error is reported. A process killed mid-write may still leave a partial last line;
 * {@link #resume} drops it. All methods are synchronized, so rows from several threads never interleave.
 *
 * <p>A writer opened with {@link #resume} continues a file an interrupted run left: the rows already there
 * are not written again but checked, each in turn, against the rows the resumed run produces, so that a
 * resumed run either reproduces its recorded rows byte for byte or stops with
 * {@link ResumeMismatchException}; later rows are appended.
 */
public final class MetricsWriter implements AutoCloseable {

    /** Rows buffered before a flush, unless a caller chooses otherwise. */
    public static final int DEFAULT_FLUSH_EVERY_ROWS = 100;

    private static final long FLUSH_INTERVAL_NANOS = 2_000_000_000L;

    private final Path file;
    private final List<MetricColumn> columns;
    private final int flushEveryRows;
    private final LongSupplier nanoClock;
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder pending = new StringBuilder();
    private final List<String> recorded;
    private FileChannel out;
    private long wholeBytes;
    private long rows;
    private int unflushedRows;
    private long lastFlushNanos;

    /** Opens the file's channel: {@link FileChannel#open}, or in tests a channel that fails like a full disk. */
    @FunctionalInterface
    interface ChannelOpener {
        FileChannel open(Path file, OpenOption... options) throws IOException;
    }

    MetricsWriter(Path file, List<MetricColumn> columns, int flushEveryRows, LongSupplier nanoClock) {
        this(file, columns, flushEveryRows, nanoClock, null, FileChannel::open);
    }

    MetricsWriter(Path file, List<MetricColumn> columns, int flushEveryRows, LongSupplier nanoClock,
            List<String> recorded, ChannelOpener opener) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("metrics need at least one column");
        }
        Set<String> names = new HashSet<>();
        for (MetricColumn c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("metric column '" + c.name() + "' given twice");
            }
        }
        if (flushEveryRows < 1) {
            throw new IllegalArgumentException("flushEveryRows must be >= 1, got " + flushEveryRows);
        }
        this.file = file;
        this.columns = List.copyOf(columns);
        this.flushEveryRows = flushEveryRows;
        this.nanoClock = nanoClock;
        this.recorded = recorded == null ? List.of() : List.copyOf(recorded);
        try {
            if (recorded == null) {
                out = opener.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
                pending.append(header(this.columns)).append('\n');
                writePending();
            } else {
                out = opener.open(file, StandardOpenOption.WRITE);
                wholeBytes = out.size();
            }
        } catch (IOException e) {
            closeQuietly();
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        lastFlushNanos = nanoClock.getAsLong();
    }

    /**
     * Creates (or truncates) {@code file} and writes the header.
     *
     * @param file the CSV file
     * @param columns the columns, at least one, names unique
     * @return the writer
     * @throws UncheckedIOException if the file cannot be written
     */
    public static MetricsWriter open(Path file, List<MetricColumn> columns) {
        return open(file, columns, DEFAULT_FLUSH_EVERY_ROWS);
    }

    /**
     * Creates (or truncates) {@code file} and writes the header, choosing how often rows are flushed.
     *
     * @param file the CSV file
     * @param columns the columns, at least one, names unique
     * @param flushEveryRows rows buffered before a flush (1 flushes every row)
     * @return the writer
     * @throws UncheckedIOException if the file cannot be written
     */
    public static MetricsWriter open(Path file, List<MetricColumn> columns, int flushEveryRows) {
        return new MetricsWriter(file, columns, flushEveryRows, System::nanoTime);
    }

    /**
     * Continues a metrics file that an interrupted run left: its header must name these columns; a partial last
     * line (from a process killed mid-write) is cut off; the whole rows are kept and checked against the rows the
     * resumed run writes (see the class comment).
     *
     * @param file the CSV file
     * @param columns the columns the run writes
     * @return the writer, with {@link #rowCount()} 0 and {@link #recordedRows()} the rows found
     * @throws IllegalArgumentException when the file is missing or its header names other columns
     * @throws UncheckedIOException if the file cannot be read or written
     */
    public static MetricsWriter resume(Path file, List<MetricColumn> columns) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot resume: " + file + " is missing");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int whole = text.lastIndexOf('\n') + 1;
        List<String> lines = whole == 0 ? List.of() : List.of(text.substring(0, whole - 1).split("\n", -1));
        String header = header(columns);
        if (lines.isEmpty() || !lines.get(0).equals(header)) {
            throw new IllegalArgumentException("cannot resume: " + file + " does not start with the header this run"
                    + " writes (" + header + ")");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(text.substring(0, whole).getBytes(StandardCharsets.UTF_8).length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return new MetricsWriter(file, columns, DEFAULT_FLUSH_EVERY_ROWS, System::nanoTime,
                lines.subList(1, lines.size()), FileChannel::open);
    }

    /**
     * The columns, in file order.
     *
     * @return the columns
     */
    public List<MetricColumn> columns() {
        return columns;
    }

    /**
     * The CSV file.
     *
     * @return the path
     */
    public Path path() {
        return file;
    }

    /**
     * Rows written (or, when resuming, reproduced) so far, not counting the header.
     *
     * @return the count
     */
    public synchronized long rowCount() {
        return rows;
    }

    /**
     * The rows a resumed file held when it was opened, as text without line ends (empty for a new file).
     *
     * @return the recorded rows
     */
    public List<String> recordedRows() {
        return recorded;
    }

    /**
     * Appends one row; when resuming, checks it against the recorded row of the same index instead, as long as
     * there is one.
     *
     * @param values one value per column, in column order; NaN for a missing value
     * @throws IllegalArgumentException if the count is wrong, or an integer-valued column gets a value
     *     that is not a whole number (NaN excepted)
     * @throws IllegalStateException if the writer is closed
     * @throws ResumeMismatchException if a resumed run does not reproduce a recorded row
     * @throws UncheckedIOException if writing fails
     */
    public synchronized void row(double... values) {
        if (out == null) {
            throw new IllegalStateException(file + " is closed");
        }
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("metrics row has " + values.length + " values for "
                    + columns.size() + " columns " + columns.stream().map(MetricColumn::name).toList());
        }
        line.setLength(0);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            format(columns.get(i), values[i], line);
        }
        if (rows < recorded.size()) {
            String expected = recorded.get((int) rows);
            if (!expected.contentEquals(line)) {
                throw new ResumeMismatchException("row " + (rows + 1) + " of " + file + " was '" + expected
                        + "' but the resumed run gives '" + line + "'");
            }
            rows++;
            return;
        }
        pending.append(line).append('\n');
        rows++;
        unflushedRows++;
        long now = nanoClock.getAsLong();
        if (unflushedRows >= flushEveryRows || now - lastFlushNanos >= FLUSH_INTERVAL_NANOS) {
            flushLocked(now);
        }
    }

    /**
     * Accepts the next recorded row of a resumed file without reproducing it, because a restored checkpoint
     * stands for it, and gives its values back, as the run wrote them.
     *
     * @return the row's values, NaN for an empty cell
     * @throws IllegalStateException if no recorded row is left
     * @throws ResumeMismatchException if the row does not hold one number per column
     */
    public synchronized double[] skipRecorded() {
        if (rows >= recorded.size()) {
            throw new IllegalStateException(file + " holds only " + recorded.size() + " rows");
        }
        String text = recorded.get((int) rows);
        String[] cells = text.split(",", -1);
        if (cells.length != columns.size()) {
            throw new ResumeMismatchException("row " + (rows + 1) + " of " + file + " has " + cells.length
                    + " cells for " + columns.size() + " columns");
        }
        double[] values = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            try {
                values[i] = cells[i].isEmpty() ? Double.NaN : Double.parseDouble(cells[i]);
            } catch (NumberFormatException e) {
                throw new ResumeMismatchException("row " + (rows + 1) + " of " + file + ": '" + cells[i]
                        + "' in column " + columns.get(i).name() + " is not a number");
            }
        }
        rows++;
        return values;
    }

    /**
     * Writes buffered rows to the file now.
     *
     * @throws UncheckedIOException if writing fails
     */
    public synchronized void flush() {
        if (out != null) {
            flushLocked(nanoClock.getAsLong());
        }
    }

    /**
     * Writes buffered rows and forces them to the storage device, so that a record that claims them (a
     * checkpoint) never outlives them, even a crash of the machine.
     *
     * @throws UncheckedIOException if writing fails
     */
    public synchronized void sync() {
        if (out != null) {
            flushLocked(nanoClock.getAsLong());
            try {
                out.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot force " + file + " to disk", e);
            }
        }
    }

    /**
     * Flushes and closes the file; later calls do nothing.
     *
     * @throws UncheckedIOException if writing fails
     */
    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            flushLocked(nanoClock.getAsLong());
        } finally {
            closeQuietly();
        }
    }

    /** The header line's text: the column names, comma-separated. */
    private static String header(List<MetricColumn> columns) {
        return String.join(",", columns.stream().map(MetricColumn::name).toList());
    }

    private void flushLocked(long now) {
        try {
            writePending();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        unflushedRows = 0;
        lastFlushNanos = now;
    }

    /** Writes the buffered whole lines; on failure cuts the file back to its last whole line. */
    private void writePending() throws IOException {
        if (pending.length() == 0) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.UTF_8));
        pending.setLength(0);
        try {
            out.position(wholeBytes);
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            wholeBytes = out.position();
        } catch (IOException e) {
            try {
                out.truncate(wholeBytes);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void closeQuietly() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            // the data were written (or the error reported) by the flush before
        } finally {
            out = null;
        }
    }

    private void format(MetricColumn column, double v, StringBuilder to) {
        if (Double.isNaN(v)) {
            return; // empty cell
        }
        if (!column.integerValued()) {
            to.append(DoubleText.format(v));
            return;
        }
        if (v != Math.rint(v) || Math.abs(v) >= 0x1p63) {
            throw new IllegalArgumentException("metric column '" + column.name()
                    + "' holds whole numbers, got " + v);
        }
        to.append((long) v);
    }
}
