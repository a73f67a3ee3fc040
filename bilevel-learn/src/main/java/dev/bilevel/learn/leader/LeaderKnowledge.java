package dev.bilevel.learn.leader;

import dev.bilevel.core.cmdp.ParametricReward;

/**
 * What a configurable-MDP leader knows besides the data: how its decision enters the follower's
 * reward (it designs the incentives, so it knows {@code ∇_x r_F}), its own reward {@code f(s,a;x)}
 * and its discount. It does not know the transition kernel.
 *
 * @param followerReward {@code r_F(s,a;x)}
 * @param leaderReward {@code f(s,a;x)}
 * @param leaderDiscount {@code γ_L}
 */
public record LeaderKnowledge(ParametricReward followerReward, ParametricReward leaderReward,
        double leaderDiscount) {

    /** Number of states. */
    public int states() {
        return followerReward.states();
    }

    /** Number of actions. */
    public int actions() {
        return followerReward.actions();
    }

    /** Dimension of the decision. */
    public int dimension() {
        return followerReward.dimension();
    }
}
