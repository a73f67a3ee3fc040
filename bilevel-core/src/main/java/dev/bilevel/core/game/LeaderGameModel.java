package dev.bilevel.core.game;

/**
 * What the leader of a continuous Markov game knows of it: the dimensions, the Jacobians of the transition mean and
 * the gradient of its own reward, what a pathwise (reparameterised) policy gradient needs. Nothing of the follower:
 * not its reward. The successor is {@code x' = f(x, a_L, a_F) + ξ} with process noise {@code ξ} independent of the
 * state and actions, so a trajectory's noise can be held fixed while the leader's policy moves. Matrices are
 * written row-major into caller-owned arrays.
 */
public interface LeaderGameModel {

    /** {@code dim x}. */
    int stateDimension();

    /** {@code dim a_L}. */
    int leaderActionDimension();

    /** {@code dim a_F}. */
    int followerActionDimension();

    /**
     * Writes the Jacobians of the transition mean {@code f} at {@code (x, a_L, a_F)}.
     *
     * @param dx receives {@code ∂f/∂x}, {@code n×n}
     * @param dLeader receives {@code ∂f/∂a_L}, {@code n×l}
     * @param dFollower receives {@code ∂f/∂a_F}, {@code n×m}
     */
    void transitionJacobians(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            double[] followerAction, int followerOffset, double[] dx, double[] dLeader, double[] dFollower);

    /**
     * Writes the gradients of {@code r_L(x, a_L, a_F)}.
     *
     * @param dx receives {@code ∂r_L/∂x}, length {@code n}
     * @param dLeader receives {@code ∂r_L/∂a_L}, length {@code l}
     * @param dFollower receives {@code ∂r_L/∂a_F}, length {@code m}
     */
    void leaderRewardGradient(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            double[] followerAction, int followerOffset, double[] dx, double[] dLeader, double[] dFollower);

    /**
     * A view that forwards this interface's methods and nothing else, so that a leader handed the whole game holds
     * only what it may know: no cast reaches the follower's reward.
     *
     * @param model the model, or the game that implements it
     * @return {@code model} if it is already such a view, else a view of it
     */
    static LeaderGameModel view(LeaderGameModel model) {
        return model instanceof LeaderGameModelView ? model : new LeaderGameModelView(model);
    }
}
