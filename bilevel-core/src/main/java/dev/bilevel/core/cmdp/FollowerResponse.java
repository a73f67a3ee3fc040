package dev.bilevel.core.cmdp;

/**
 * What the leader may observe of a configurable-MDP follower: the outcome of its optimisation and
 * nothing of how it got there. The decentralized assumption lives in this type: leader-side code
 * holds a {@code FollowerResponse}, never the follower's solver or its Q-table.
 *
 * @param states number of states
 * @param actions number of actions
 * @param policy {@code π_F(a|s)} at {@code [s·A + a]}
 * @param softValue the follower's soft value {@code V_F(s) = λ·log Σ_a exp(Q_F(s,a)/λ)}
 * @param temperature {@code λ}
 * @param discount {@code γ_F}
 */
public record FollowerResponse(int states, int actions, double[] policy, double[] softValue, double temperature,
        double discount) {

    /** {@code π_F(a|s)}. */
    public double probability(int s, int a) {
        return policy[s * actions + a];
    }
}
