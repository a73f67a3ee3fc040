package dev.bilevel.experiments.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run's {@code metrics.csv} in memory, column by column: a header of names, then rows of numbers;
 * an empty cell is NaN. A partial last line (a run killed while writing) is left out.
 *
 * @param columns the column names
 * @param values {@code values[c][row]}
 */
public record MetricsTable(List<String> columns, double[][] values) {

    /** Copies the names. */
    public MetricsTable {
        columns = List.copyOf(columns);
    }

    /**
     * Reads a file.
     *
     * @param file a {@code metrics.csv}
     * @return the table
     * @throws UncheckedIOException if it cannot be read
     */
    public static MetricsTable read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                return new MetricsTable(List.of(), new double[0][0]);
            }
            List<String> names = Arrays.asList(header.split(",", -1));
            int k = names.size();
            double[][] cols = new double[k][1024];
            int rows = 0;
            String line;
            outer:
            while ((line = in.readLine()) != null) {
                if (rows == cols[0].length) {
                    for (int c = 0; c < k; c++) {
                        cols[c] = Arrays.copyOf(cols[c], rows * 2);
                    }
                }
                int start = 0;
                for (int c = 0; c < k; c++) {
                    int end = line.indexOf(',', start);
                    if (end < 0) {
                        if (c != k - 1) {
                            break outer; // a partial line
                        }
                        end = line.length();
                    }
                    String cell = line.substring(start, end);
                    try {
                        cols[c][rows] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        break outer;
                    }
                    start = end + 1;
                }
                rows++;
            }
            for (int c = 0; c < k; c++) {
                cols[c] = Arrays.copyOf(cols[c], rows);
            }
            return new MetricsTable(new ArrayList<>(names), cols);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The number of rows. */
    public int rows() {
        return values.length == 0 ? 0 : values[0].length;
    }

    /**
     * A column.
     *
     * @param name the column name
     * @return its values, or {@code null} if there is no such column
     */
    public double[] column(String name) {
        int i = columns.indexOf(name);
        return i < 0 ? null : values[i];
    }
}
