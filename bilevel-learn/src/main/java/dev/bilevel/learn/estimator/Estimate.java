package dev.bilevel.learn.estimator;

import java.util.Map;

/**
 * A hypergradient estimate split into its direct part (the leader's own reward and, where present, dynamics
 * terms, with the follower held fixed) and its follower-response part, with named diagnostics for logging (a
 * critic's loss, the mean benefit). The parts are in the leader's own coordinates: the decision's, or for a
 * policy leader the coefficients its policy-gradient step expects.
 *
 * @param direct direct term (zeros for estimators that do not separate the parts)
 * @param response follower-response term (the whole estimate for model-based estimators)
 * @param diagnostics named diagnostics; absent names read as NaN
 */
public record Estimate(double[] direct, double[] response, Map<String, Double> diagnostics) {

    /**
     * Checks that both parts have one length, are finite, and have finite norms (as has their sum): this is the one
     * check that every estimator's output passes, so a NaN, infinite or overflowing hypergradient stops the run
     * where it appears instead of being clipped to a zero step or stepped on.
     *
     * @throws ArithmeticException naming the part and the component that is not finite, or the overflow
     * @throws IllegalArgumentException when the parts differ in length
     */
    public Estimate {
        if (direct.length != response.length) {
            throw new IllegalArgumentException("the direct part has " + direct.length + " components, the response"
                    + " part " + response.length);
        }
        double directSquares = 0.0;
        double responseSquares = 0.0;
        double squares = 0.0;
        for (int j = 0; j < direct.length; j++) {
            double d = direct[j];
            double r = response[j];
            if (!Double.isFinite(d) || !Double.isFinite(r)) {
                throw new ArithmeticException("the hypergradient estimate is not finite: component " + j + " of its "
                        + (Double.isFinite(d) ? "follower-response part is " + r : "direct part is " + d));
            }
            directSquares += d * d;
            responseSquares += r * r;
            squares += (d + r) * (d + r);
        }
        if (!Double.isFinite(directSquares + responseSquares + squares)) {
            throw new ArithmeticException("the hypergradient estimate overflows: its squared norm is not finite"
                    + " (largest component " + largest(direct, response) + ")");
        }
    }

    private static double largest(double[] direct, double[] response) {
        double max = 0.0;
        for (int j = 0; j < direct.length; j++) {
            max = Math.max(max, Math.max(Math.abs(direct[j]), Math.abs(response[j])));
        }
        return max;
    }

    /** An estimate without diagnostics. */
    public Estimate(double[] direct, double[] response) {
        this(direct, response, Map.of());
    }

    /** {@code direct + response}. */
    public double[] gradient() {
        double[] g = direct.clone();
        for (int j = 0; j < g.length; j++) {
            g[j] += response[j];
        }
        return g;
    }

    /** A diagnostic by name, NaN when the estimator does not report it. */
    public double diagnostic(String name) {
        Double value = diagnostics.get(name);
        return value == null ? Double.NaN : value;
    }
}
