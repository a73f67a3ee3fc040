package dev.bilevel.core.cmdp;

import java.util.Objects;

/**
 * What a leader that designs the follower's reward (tabular incentive design) knows besides the data: how its
 * decision moves the follower's reward ({@code ∂r_F/∂x}: it designed the incentives, but it does not see the
 * follower's own part of the reward), its own reward {@code f(s,a;x)} and its discount. It does not know the
 * transition kernel.
 *
 * @param followerRewardJacobian {@code ∂r_F(s,a;x)/∂x}
 * @param leaderReward {@code f(s,a;x)}
 * @param leaderDiscount {@code γ_L}
 */
public record RewardDesign(RewardJacobian followerRewardJacobian, ParametricReward leaderReward,
        double leaderDiscount) {

    /** Checks that the two rewards live on the same state-action table and decision. */
    public RewardDesign {
        Objects.requireNonNull(followerRewardJacobian, "followerRewardJacobian");
        Objects.requireNonNull(leaderReward, "leaderReward");
        if (followerRewardJacobian.states() != leaderReward.states()
                || followerRewardJacobian.actions() != leaderReward.actions()
                || followerRewardJacobian.dimension() != leaderReward.dimension()) {
            throw new IllegalArgumentException("the follower's reward Jacobian and the leader's reward differ in shape");
        }
        followerRewardJacobian = RewardJacobian.view(followerRewardJacobian);
    }

    /** Number of states. */
    public int states() {
        return leaderReward.states();
    }

    /** Number of actions. */
    public int actions() {
        return leaderReward.actions();
    }

    /** Dimension of the decision. */
    public int dimension() {
        return leaderReward.dimension();
    }
}
