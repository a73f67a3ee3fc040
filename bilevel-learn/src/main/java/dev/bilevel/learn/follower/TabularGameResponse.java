package dev.bilevel.learn.follower;

/**
 * What the leader observes of a tabular Markov-game follower: its policy {@code π_F(a|s,b)} after seeing the
 * leader's action and its soft value {@code W_F(s,b) = λ·log Σ_a exp(Q_F(s,b,a)/λ)}.
 *
 * @param states {@code S}
 * @param leaderActions {@code B}
 * @param followerActions {@code A}
 * @param policy {@code π_F(a|s,b)} at {@code [s·B·A + b·A + a]}
 * @param softValue {@code W_F(s,b)} at {@code [s·B + b]}
 * @param temperature {@code λ}
 * @param discount {@code γ_F}
 */
public record TabularGameResponse(int states, int leaderActions, int followerActions, double[] policy,
        double[] softValue, double temperature, double discount) implements FollowerResponse {

    /** {@code π_F(a|s,b)}. */
    public double probability(int s, int b, int a) {
        return policy[(s * leaderActions + b) * followerActions + a];
    }

    /** {@code W_F(s,b)}. */
    public double softValue(int s, int b) {
        return softValue[s * leaderActions + b];
    }
}
