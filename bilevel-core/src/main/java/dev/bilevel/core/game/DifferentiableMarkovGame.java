package dev.bilevel.core.game;

/**
 * A {@link ContinuousMarkovGame} whose transition mean and leader reward the leader can differentiate: what a
 * pathwise (reparameterised) policy gradient needs. The successor is {@code x' = f(x, a_L, a_F) + ξ} with
 * process noise {@code ξ} independent of the state and actions, so a trajectory's noise can be held fixed
 * while the leader's policy moves. Matrices are written row-major into caller-owned arrays.
 */
public interface DifferentiableMarkovGame extends ContinuousMarkovGame {

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
}
