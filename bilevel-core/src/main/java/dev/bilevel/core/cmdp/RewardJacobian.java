package dev.bilevel.core.cmdp;

/**
 * How a decision {@code x ∈ R^d} moves a reward table {@code r(s,a;x)}, and nothing of the table itself: the
 * vector–Jacobian products {@code Σ_{s,a} w(s,a)·∂r(s,a;x)/∂x}. This is what an incentive designer knows of the
 * follower's reward (it designed the incentives), without the follower's own part of it.
 */
public interface RewardJacobian {

    /** Number of states. */
    int states();

    /** Number of actions. */
    int actions();

    /** Dimension {@code d} of the leader's decision. */
    int dimension();

    /**
     * Adds {@code Σ_{s,a} weights[s·A + a]·∂r(s,a;x)/∂x} to {@code gradient} (length {@code d}).
     */
    void accumulateGradient(double[] x, double[] weights, double[] gradient);

    /**
     * A view that forwards these four methods and nothing else, so that a leader holding the Jacobian of the
     * follower's reward cannot reach the reward itself (as a cast to {@link ParametricReward} could).
     *
     * @param jacobian the follower's reward, or any Jacobian
     * @return {@code jacobian} if it is already such a view, else a view of it
     */
    static RewardJacobian view(RewardJacobian jacobian) {
        return jacobian instanceof RewardJacobianView ? jacobian : new RewardJacobianView(jacobian);
    }
}
