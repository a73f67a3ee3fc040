package dev.bilevel.experiments.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The paper's numbers for a problem, from a CSV resource: a header of setting keys, then {@code method},
 * {@code mean}, {@code se} (empty when the paper gives none), written with the digits the paper gives (which
 * are the digits reports print); {@code #} lines are comments. A row
 * matches a setting when every setting key has the same value (numbers compared as numbers, so
 * {@code 0.0010} matches {@code 0.001}).
 */
public final class PaperValues {

    /** No paper values. */
    public static final PaperValues NONE = new PaperValues(List.of(), List.of());

    /**
     * One number of the paper.
     *
     * @param mean the value
     * @param se its standard error, or NaN when not given
     * @param decimals how many digits after the point the source gives, the more of its mean's and standard
     *     error's (numbers read off a figure carry fewer than the tables print: {@code 27.0}, not {@code 27.000})
     */
    public record Value(double mean, double se, int decimals) {

        /**
         * The value as the source gives it.
         *
         * @return {@code 0.545 ± 0.009}, or {@code 27.0} without a standard error
         */
        public String text() {
            return Double.isNaN(se) ? meanText() : meanText() + " ± " + format(se);
        }

        /**
         * The mean as the source gives it.
         *
         * @return {@code 0.545}, {@code 27.0}
         */
        public String meanText() {
            return format(mean);
        }

        private String format(double v) {
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
    }

    private record Row(List<String> setting, String method, Value value) {
    }

    private final List<String> keys;
    private final List<Row> rows;

    private PaperValues(List<String> keys, List<Row> rows) {
        this.keys = List.copyOf(keys);
        this.rows = List.copyOf(rows);
    }

    /**
     * Reads a table from the class path.
     *
     * @param resource an absolute resource name
     * @return the table
     * @throws IllegalStateException if the resource is missing or malformed (a packaging error)
     */
    public static PaperValues resource(String resource) {
        try (InputStream in = PaperValues.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PaperValues parse(String text, String source) {
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> cells = Arrays.asList(line.split(",", -1));
            if (header == null) {
                header = cells;
                if (header.size() < 3 || !header.get(header.size() - 3).equals("method")
                        || !header.get(header.size() - 2).equals("mean") || !header.get(header.size() - 1).equals("se")) {
                    throw new IllegalStateException(source + ": header must end with method,mean,se");
                }
                continue;
            }
            if (cells.size() != header.size()) {
                throw new IllegalStateException(source + ": row '" + line + "' has " + cells.size() + " cells");
            }
            int k = header.size() - 3;
            String se = cells.get(k + 2).strip();
            String mean = cells.get(k + 1).strip();
            rows.add(new Row(List.copyOf(cells.subList(0, k)), cells.get(k).strip(),
                    new Value(Double.parseDouble(mean), se.isEmpty() ? Double.NaN : Double.parseDouble(se),
                            Math.max(decimals(mean), decimals(se)))));
        }
        return header == null ? NONE : new PaperValues(header.subList(0, header.size() - 3), rows);
    }

    /** The digits after the point of a number as written: {@code 27.0} → 1, {@code 0.010} → 3, {@code 4} → 0. */
    static int decimals(String number) {
        int point = number.indexOf('.');
        if (point < 0) {
            return 0;
        }
        int end = point + 1;
        while (end < number.length() && Character.isDigit(number.charAt(end))) {
            end++;
        }
        return end - point - 1;
    }

    /** Whether there are no values. */
    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /**
     * The paper's number for a method in a setting.
     *
     * @param setting values of (at least) the table's setting keys, as text
     * @param method the method id
     * @return the value, if the paper has one
     */
    public Optional<Value> lookup(Map<String, String> setting, String method) {
        for (Row row : rows) {
            if (!row.method().equals(method)) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < keys.size() && match; i++) {
                String ours = setting.get(keys.get(i));
                match = ours != null && sameValue(ours, row.setting().get(i));
            }
            if (match) {
                return Optional.of(row.value());
            }
        }
        return Optional.empty();
    }

    static boolean sameValue(String a, String b) {
        if (a.strip().equals(b.strip())) {
            return true;
        }
        try {
            return Double.parseDouble(a) == Double.parseDouble(b);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
