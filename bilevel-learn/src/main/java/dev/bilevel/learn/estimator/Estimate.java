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
