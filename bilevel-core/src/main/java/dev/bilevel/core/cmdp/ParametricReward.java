package dev.bilevel.core.cmdp;

/**
 * A reward table {@code r(s,a;x)} that depends smoothly on the leader's decision {@code x ∈ R^d}.
 *
 * <p>Only two operations are needed by every exact and Monte-Carlo hypergradient in this library:
 * the table at {@code x}, and vector–Jacobian products {@code Σ_{s,a} w(s,a)·∂r(s,a;x)/∂x}. Every
 * estimator is linear in {@code ∇_x r}, so it accumulates scalar weights per {@code (s,a)} along its
 * trajectories and contracts them once: the per-sample cost does not grow with {@code d}.
 */
public interface ParametricReward extends RewardJacobian {

    /** Writes {@code r(s,a;x)} into {@code out[s·A + a]}. */
    void evaluate(double[] x, double[] out);

    /** Convenience: a fresh table {@code r(·,·;x)}. */
    default double[] evaluate(double[] x) {
        double[] out = new double[states() * actions()];
        evaluate(x, out);
        return out;
    }
}
