package dev.bilevel.experiments.guided;

import dev.bilevel.core.random.SplitMixRandom;

/**
 * The leader's side of a guided task's episodes: its wind for each state it meets, and the transitions it sees. The
 * wind is the leader's raw action; the game and the follower's observation clip it to {@code [−1, 1]}.
 */
interface Wind {

    /** No wind. */
    Wind NONE = (state, rng, training) -> 0.0;

    /** Wind drawn uniformly from {@code [−1, 1]} at every step. */
    Wind UNIFORM = (state, rng, training) -> 2.0 * rng.nextDouble() - 1.0;

    /**
     * The wind for {@code state}.
     *
     * @param training a training episode (draw from the policy) or an evaluation one (a learning leader plays its
     *     policy's mean)
     */
    double draw(double[] state, SplitMixRandom rng, boolean training);

    /**
     * One transition of a training episode, after the follower has learned from it.
     *
     * @param terminated the step ended in a terminal state
     * @param last the episode ends here (terminated or at the horizon)
     * @param time the step's time in its episode
     */
    default void observe(double[] state, double wind, double[] followerAction, double leaderReward,
            double followerReward, double[] next, boolean terminated, boolean last, int time) {
    }
}
