package dev.bilevel.experiments.evaluate;

/** A run stopped because the leader's policy stopped being finite; carries the iteration's row, to be written. */
public final class NonFinitePolicy extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    private final transient double[] row;

    /**
     * @param message what happened
     * @param row the metrics row of the failing iteration
     */
    public NonFinitePolicy(String message, double[] row) {
        super(message);
        this.row = row.clone();
    }

    /** The metrics row of the failing iteration (a copy). */
    public double[] row() {
        return row.clone();
    }
}
