package dev.bilevel.learn.follower.learning;

/**
 * A follower with continuous observations and actions as the environment meets it: it chooses an action for what it
 * observes (in a game, the state and the leader's action) and learns from the transitions it makes. Vectors are
 * flat arrays read at offsets.
 */
public interface ContinuousLearner {

    /** The length of its observation vector. */
    int observationDimension();

    /** The length of its action vector. */
    int actionDimension();

    /**
     * Writes its action for {@code observation[offset …]} into {@code action[actionOffset …]}, drawn from what it
     * currently plays.
     */
    void act(double[] observation, int offset, double[] action, int actionOffset);

    /**
     * One transition of its own to learn from.
     *
     * @param observation what it observed when it acted
     * @param action what it did
     * @param reward the reward the environment gave it
     * @param next what it observed next (meaningless when {@code terminal})
     * @param terminal whether the episode ended with this step, with nothing to bootstrap from
     */
    void learn(double[] observation, double[] action, double reward, double[] next, boolean terminal);
}
