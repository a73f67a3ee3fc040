package dev.bilevel.core.game;

/**
 * What the leader may observe of a Markov-game follower: its policy {@code π_F(a|s,b)}, its soft value
 * after seeing the leader's action {@code W_F(s,b) = λ·log Σ_a exp(Q_F(s,b,a)/λ)}, {@code λ} and
 * {@code γ_F}. Leader-side code holds only this, never the follower's solver.
 *
 * @param states {@code S}
 * @param leaderActions {@code B}
 * @param followerActions {@code A}
 * @param policy {@code π_F(a|s,b)} at {@code [s·B·A + b·A + a]}
 * @param softValue {@code W_F(s,b)} at {@code [s·B + b]}
 * @param temperature {@code λ}
 * @param discount {@code γ_F}
 */
public record GameFollowerResponse(int states, int leaderActions, int followerActions, double[] policy,
        double[] softValue, double temperature, double discount) {

    /** {@code π_F(a|s,b)}. */
    public double probability(int s, int b, int a) {
        return policy[(s * leaderActions + b) * followerActions + a];
    }

    /** {@code W_F(s,b)}. */
    public double softValue(int s, int b) {
        return softValue[s * leaderActions + b];
    }
}
