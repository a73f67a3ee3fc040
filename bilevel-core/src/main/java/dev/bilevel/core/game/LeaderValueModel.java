package dev.bilevel.core.game;

/**
 * A {@link LeaderGameModel} that also knows its leader's value in closed form, for a linear-Gaussian leader
 * {@code a_L ~ N(Kx, WWᵀ)} against a follower whose policy it observes as linear-Gaussian,
 * {@code a_F ~ N(G·[x; a_L], Σ)}: what a leader with its own model, its own reward and the follower's observed
 * policy can compute without any sample (the LQR game). The leader's reward depends on the state only, so
 * {@code Q_L(x, a_F, a_L) = r_L(x) + γ·V_L(f(x, a_L, a_F))} with {@code V_L} from {@link #leaderValue} at zero start
 * covariance. The transition mean is affine in the state and both actions (constant Jacobians), as a linear-Gaussian
 * closed loop requires. Nothing of the follower's reward or solver crosses this interface.
 */
public interface LeaderValueModel extends LeaderGameModel {

    /**
     * The leader's value of the closed loop, from a Gaussian start state {@code N(y, S₀)}.
     *
     * @param leaderGain {@code K}, {@code l×n}
     * @param leaderNoise {@code W}, {@code l×l}
     * @param followerMeanGain {@code G}, {@code m×(n+l)}: the follower's mean is {@code G·[x; a_L]}
     * @param followerCholesky the lower Cholesky factor of the follower's {@code Σ}, {@code m×m}
     * @param startCovariance {@code S₀}, {@code n×n} (zeros for a known start state)
     * @param discount {@code γ}
     * @param horizon {@code H}, the most steps the value sums
     */
    LeaderValue leaderValue(double[] leaderGain, double[] leaderNoise, double[] followerMeanGain,
            double[] followerCholesky, double[] startCovariance, double discount, int horizon);

    /** Writes the transition mean {@code f(x, a_L, a_F)} into {@code out[outOffset…]}. */
    void transitionMean(double[] x, int xOffset, double[] leaderAction, int leaderOffset, double[] followerAction,
            int followerOffset, double[] out, int outOffset);

    /**
     * A view that forwards this interface's methods and nothing else ({@link LeaderGameModel#view}'s counterpart).
     *
     * @param model the model, or the game that implements it
     * @return {@code model} if it is already such a view, else a view of it
     */
    static LeaderValueModel view(LeaderValueModel model) {
        return model instanceof LeaderValueModelView ? model : new LeaderValueModelView(model);
    }
}
