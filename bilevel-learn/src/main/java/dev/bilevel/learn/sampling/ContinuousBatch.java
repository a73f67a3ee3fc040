package dev.bilevel.learn.sampling;


/**
 * Complete episodes of a continuous configurable MDP, in flat row-major arrays indexed by row
 * {@code r = e·H + t} (episode {@code e}, time {@code t < H}). Every episode has exactly {@code H} transitions;
 * the successor of row {@code r} is row {@code r + 1} for {@code t < H − 1}, and the last row of an episode
 * has no stored successor (as in the reference, whose next-state entries are NaN on done rows).
 *
 * <p>Fields are public final arrays for the estimators' hot loops; treat them as read-only.
 */
public final class ContinuousBatch implements Episodes {

    /** Number of episodes {@code E}. */
    public final int episodes;
    /** Transitions per episode {@code H}. */
    public final int horizon;
    /** State dimension {@code n}. */
    public final int stateDimension;
    /** Action dimension {@code m}. */
    public final int actionDimension;
    /** Decision dimension {@code d}. */
    public final int decisionDimension;
    /** Number of raw leader-reward components. */
    public final int components;
    /** {@code x_t}, {@code [E·H·n]}. */
    public final double[] states;
    /** {@code u_t}, {@code [E·H·m]}. */
    public final double[] actions;
    /** Leader reward {@code f(x_t,u_t)}, {@code [E·H]}. */
    public final double[] leaderRewards;
    /** Raw leader-reward components, {@code [E·H·components]}. */
    public final double[] leaderRewardComponents;
    /** Follower reward {@code r_F(x_t,u_t)}, {@code [E·H]}. */
    public final double[] followerRewards;
    /** {@code ∇_w f(x_t,u_t)}, {@code [E·H·d]}. */
    public final double[] leaderRewardGradients;
    /**
     * Transition score of the transition <em>into</em> {@code x_t}: {@code ∇_w log p(x_t|x_{t−1},u_{t−1})} for
     * {@code t ≥ 1}, zero at {@code t = 0}; {@code [E·H·d]}, unclipped.
     */
    public final double[] scores;
    /** The follower's soft value {@code V_F(x_t)}, {@code [E·H]}. */
    public final double[] followerValues;
    /**
     * {@code E[V_F(x_{t+1}) | x_t, u_t]} under the Gaussian transition model {@code N(μ(x_t,u_t), W)}, in closed
     * form from the follower's quadratic value; 0 at the last step of an episode. {@code [E·H]}.
     */
    public final double[] expectedNextFollowerValues;

    /**
     * Allocates an empty batch.
     *
     * @param episodes {@code E ≥ 1}
     * @param horizon {@code H ≥ 1}
     * @param stateDimension {@code n}
     * @param actionDimension {@code m}
     * @param decisionDimension {@code d}
     * @param components raw reward components
     */
    public ContinuousBatch(int episodes, int horizon, int stateDimension, int actionDimension,
            int decisionDimension, int components) {
        if (episodes < 1 || horizon < 1) {
            throw new IllegalArgumentException("episodes and horizon must be ≥ 1: " + episodes + ", " + horizon);
        }
        this.episodes = episodes;
        this.horizon = horizon;
        this.stateDimension = stateDimension;
        this.actionDimension = actionDimension;
        this.decisionDimension = decisionDimension;
        this.components = components;
        int rows = Math.multiplyExact(episodes, horizon);
        states = new double[rows * stateDimension];
        actions = new double[rows * actionDimension];
        leaderRewards = new double[rows];
        leaderRewardComponents = new double[rows * components];
        followerRewards = new double[rows];
        leaderRewardGradients = new double[rows * decisionDimension];
        scores = new double[rows * decisionDimension];
        followerValues = new double[rows];
        expectedNextFollowerValues = new double[rows];
    }

    /** One stream per episode. */
    @Override
    public int streams() {
        return episodes;
    }

    @Override
    public int streamStart(int e) {
        return e * horizon;
    }

    @Override
    public int streamEnd(int e) {
        return e * horizon + horizon;
    }

    /** Every row but an episode's last continues into the next. */
    @Override
    public boolean continuesAfter(int row) {
        return row % horizon != horizon - 1;
    }

    /** @return the number of rows {@code E·H} */
    public int rows() {
        return episodes * horizon;
    }

    /**
     * @param row a row
     * @return its time within the episode
     */
    public int time(int row) {
        return row % horizon;
    }

    /**
     * @param row a row
     * @return the successor row in the same episode, or {@code −1} for the last row of an episode
     */
    public int successor(int row) {
        return row % horizon == horizon - 1 ? -1 : row + 1;
    }

    /**
     * The Monte-Carlo discounted leader return of the batch per episode: {@code Σ_{e,t} γ^t f_t / E}.
     *
     * @param discount {@code γ}
     * @return the mean discounted return
     */
    public double discountedLeaderReturn(double discount) {
        return discountedMean(leaderRewards, 1, 0, discount);
    }

    /**
     * @param discount {@code γ}
     * @return the mean discounted follower return per episode
     */
    public double discountedFollowerReturn(double discount) {
        return discountedMean(followerRewards, 1, 0, discount);
    }

    /**
     * @param component a component index
     * @param discount {@code γ}
     * @return the mean discounted sum of that raw component per episode
     */
    public double discountedComponent(int component, double discount) {
        return discountedMean(leaderRewardComponents, components, component, discount);
    }

    private double discountedMean(double[] values, int stride, int offset, double discount) {
        double total = 0.0;
        for (int e = 0; e < episodes; e++) {
            double w = 1.0;
            int base = e * horizon;
            for (int t = 0; t < horizon; t++) {
                total += w * values[(base + t) * stride + offset];
                w *= discount;
            }
        }
        return total / episodes;
    }
}
