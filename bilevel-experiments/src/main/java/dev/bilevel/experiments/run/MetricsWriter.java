package dev.bilevel.experiments.run;

import dev.bilevel.experiments.DoubleText;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * rows keep coming, on {@link #flush()} and on {@link #close()}. Unlike the other files of a
 * {@link RunDirectory} this one is not written atomically: after a crash it holds the rows flushed so far
 * and possibly a partial last line. All methods are synchronized, so rows from several threads never
 * interleave.
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
    private BufferedWriter out;
    private long rows;
    private int unflushedRows;
    private long lastFlushNanos;

    MetricsWriter(Path file, List<MetricColumn> columns, int flushEveryRows, LongSupplier nanoClock) {
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
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            out.write(String.join(",", this.columns.stream().map(MetricColumn::name).toList()));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
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
     * Rows written so far (not counting the header).
     *
     * @return the count
     */
    public synchronized long rowCount() {
        return rows;
    }

    /**
     * Appends one row.
     *
     * @param values one value per column, in column order; NaN for a missing value
     * @throws IllegalArgumentException if the count is wrong, or an integer-valued column gets a value
     *     that is not a whole number (NaN excepted)
     * @throws IllegalStateException if the writer is closed
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
        line.append('\n');
        try {
            out.append(line);
            rows++;
            unflushedRows++;
            long now = nanoClock.getAsLong();
            if (unflushedRows >= flushEveryRows || now - lastFlushNanos >= FLUSH_INTERVAL_NANOS) {
                flushLocked(now);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes buffered rows to the file now.
     *
     * @throws UncheckedIOException if writing fails
     */
    public synchronized void flush() {
        if (out == null) {
            return;
        }
        try {
            flushLocked(nanoClock.getAsLong());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
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
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            out = null;
        }
    }

    private void flushLocked(long now) throws IOException {
        out.flush();
        unflushedRows = 0;
        lastFlushNanos = now;
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
