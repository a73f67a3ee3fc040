package dev.bilevel.experiments.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One column of {@code metrics.csv}.
 *
 * @param name the header name: letters, digits, {@code _ . -} (so it never needs CSV quoting)
 * @param integerValued whether values are whole numbers, printed without {@code .0} ({@code iteration})
 */
public record MetricColumn(String name, boolean integerValued) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    /**
     * Validates the name.
     *
     * @param name the header name
     * @param integerValued whether values are whole numbers
     * @throws IllegalArgumentException if the name is empty or has other characters
     */
    public MetricColumn {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric column name '" + name
                    + "' must be letters, digits, '_', '.' or '-'");
        }
    }

    /**
     * A column of doubles.
     *
     * @param name the header name
     * @return the column
     */
    public static MetricColumn real(String name) {
        return new MetricColumn(name, false);
    }

    /**
     * A column of whole numbers.
     *
     * @param name the header name
     * @return the column
     */
    public static MetricColumn integer(String name) {
        return new MetricColumn(name, true);
    }

    /**
     * Columns for a trainer's names, in order.
     *
     * @param names the header names
     * @param integerValued which of them hold whole numbers
     * @return the columns
     */
    public static List<MetricColumn> of(List<String> names, Predicate<String> integerValued) {
        List<MetricColumn> columns = new ArrayList<>(names.size());
        for (String name : names) {
            columns.add(new MetricColumn(name, integerValued.test(name)));
        }
        return columns;
    }
}
