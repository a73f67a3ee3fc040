package dev.bilevel.core.cmdp;

/**
 * A reward table {@code r(s,a;x)} that depends smoothly on the leader's decision {@code x ∈ R^d}.
 *
 * <p>Only two operations are needed by every exact and Monte-Carlo hypergradient in this library:
 * the table at {@code x}, and vector–Jacobian products {@code Σ_{s,a} w(s,a)·∂r(s,a;x)/∂x}. Every
 * estimator is linear in {@code ∇_x r}, so it accumulates scalar weights per {@code (s,a)} along its
 * trajectories and contracts them once: the per-sample cost does not grow with {@code d}.
 */
public interface ParametricReward {

    /** Number of states. */
    int states();

    /** Number of actions. */
    int actions();

    /** Dimension {@code d} of the leader's decision. */
    int dimension();

    /** Writes {@code r(s,a;x)} into {@code out[s·A + a]}. */
    void evaluate(double[] x, double[] out);

    /**
     * Adds {@code Σ_{s,a} weights[s·A + a]·∂r(s,a;x)/∂x} to {@code gradient} (length {@code d}).
     */
    void accumulateGradient(double[] x, double[] weights, double[] gradient);

    /** Convenience: a fresh table {@code r(·,·;x)}. */
    default double[] evaluate(double[] x) {
        double[] out = new double[states() * actions()];
        evaluate(x, out);
        return out;
    }
}
