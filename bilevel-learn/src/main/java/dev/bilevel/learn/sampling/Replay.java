package dev.bilevel.learn.sampling;

/**
 * What one iteration of playing into a replay buffer yields: the buffer with the new episodes added, their
 * returns, whether the leader explored, and the total number of environment steps so far.
 *
 * @param buffer the replay buffer (live: later iterations keep writing into it)
 * @param returns four values per new episode: leader discounted, leader undiscounted, follower discounted,
 *     follower undiscounted
 * @param explored whether the leader's actions were exploratory in this iteration
 * @param totalSteps environment steps since the run began
 * @param <B> the buffer type
 */
public record Replay<B>(B buffer, double[] returns, boolean explored, long totalSteps) {

    /**
     * The mean over the new episodes of one column of {@link #returns()}.
     *
     * @param k the column: 0 leader discounted, 1 leader undiscounted, 2 follower discounted, 3 follower
     *     undiscounted
     */
    public double meanReturn(int k) {
        return meanReturn(returns, k);
    }

    /**
     * The mean over episodes of one column of a samplers' per-episode returns (4 values per episode: leader
     * discounted, leader undiscounted, follower discounted, follower undiscounted).
     *
     * @param returns {@code [episodes·4]}
     * @param k the column
     * @return the mean
     */
    public static double meanReturn(double[] returns, int k) {
        double sum = 0.0;
        int n = returns.length / 4;
        for (int e = 0; e < n; e++) {
            sum += returns[4 * e + k];
        }
        return sum / n;
    }
}
