package dev.bilevel.experiments.aggregate;

import dev.bilevel.experiments.ExperimentInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How one seed's curve of a metric becomes one number, and so how grid points are ranked: the seed
 * numbers are averaged over seeds and the best average wins.
 */
public enum SelectionRule {

    /** The mean of the last {@code window} rows: the reference's "mean of the last 1,000 iterations". */
    LAST_WINDOW_MEAN("last-window-mean", "mean of the last %d iterations"),
    /** The last row. */
    FINAL("final", "final value"),
    /** The mean over every row (the area under the curve, per iteration). */
    CURVE_MEAN("curve-mean", "mean over all iterations");

    private final String id;
    private final String description;

    SelectionRule(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name on the command line and in files. */
    public String id() {
        return id;
    }

    /**
     * The rule in words.
     *
     * @param window the last-window length
     * @return e.g. {@code mean of the last 1000 iterations}
     */
    public String describe(int window) {
        return String.format(java.util.Locale.ROOT, description, window);
    }

    /**
     * A seed's number.
     *
     * @param values one seed's column, one value per row (NaN for an empty cell)
     * @param window the last-window length
     * @return the number: NaN cells are left out, NaN if nothing is left
     */
    public double apply(double[] values, int window) {
        return switch (this) {
            case LAST_WINDOW_MEAN -> mean(values, Math.max(0, values.length - window), values.length);
            case FINAL -> values.length == 0 ? Double.NaN : values[values.length - 1];
            case CURVE_MEAN -> mean(values, 0, values.length);
        };
    }

    private static double mean(double[] values, int from, int to) {
        double sum = 0.0;
        int n = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(values[i])) {
                sum += values[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * The rule named {@code id}.
     *
     * @param id a rule name
     * @param field the option or key that named it
     * @return the rule
     * @throws ExperimentInputException naming the field and the known rules
     */
    public static SelectionRule parse(String id, String field) {
        for (SelectionRule r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        throw new ExperimentInputException(field + ": unknown rule '" + id + "', expected one of "
                + Arrays.stream(values()).map(SelectionRule::id).collect(Collectors.joining(", ")));
    }
}
