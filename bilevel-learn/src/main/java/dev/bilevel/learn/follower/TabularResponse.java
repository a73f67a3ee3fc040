package dev.bilevel.learn.follower;

/**
 * What the leader observes of a tabular configurable-MDP follower: its Boltzmann policy and soft value.
 *
 * @param states number of states
 * @param actions number of actions
 * @param policy {@code π_F(a|s)} at {@code [s·A + a]}
 * @param softValue the follower's soft value {@code V_F(s) = λ·log Σ_a exp(Q_F(s,a)/λ)}
 * @param temperature {@code λ}
 * @param discount {@code γ_F}
 */
public record TabularResponse(int states, int actions, double[] policy, double[] softValue, double temperature,
        double discount) implements FollowerResponse {

    /** {@code π_F(a|s)}. */
    public double probability(int s, int a) {
        return policy[s * actions + a];
    }
}
