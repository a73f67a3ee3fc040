package dev.bilevel.learn.estimator;


/**
 * A hypergradient estimate split into its direct part (the leader's own reward and, where present,
 * dynamics terms, with the follower held fixed) and its follower-response part.
 *
 * @param direct direct term (zeros for estimators that do not separate the parts)
 * @param response follower-response term (the whole estimate for model-based estimators)
 */
public record CmdpEstimate(double[] direct, double[] response) {

    /** {@code direct + response}. */
    public double[] gradient() {
        double[] g = direct.clone();
        for (int j = 0; j < g.length; j++) {
            g[j] += response[j];
        }
        return g;
    }
}
