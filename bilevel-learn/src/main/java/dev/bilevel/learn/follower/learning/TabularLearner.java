package dev.bilevel.learn.follower.learning;

/**
 * A tabular follower as the environment meets it: it chooses its actions and learns from the transitions it
 * makes. The environment ({@link dev.bilevel.learn.sampling.LearningStream}) asks for an action in each state and
 * hands back the follower's own reward and where it went; what the follower does with them is its own business.
 */
public interface TabularLearner {

    /**
     * The follower's action in {@code state}, drawn from what it currently plays.
     *
     * @param state the state
     * @return the action
     */
    int act(int state);

    /**
     * One transition of its own to learn from.
     *
     * @param state where it acted
     * @param action what it did
     * @param reward the reward the environment gave it
     * @param next where it went (meaningless when {@code terminal})
     * @param terminal whether the episode ended in {@code state}
     */
    void learn(int state, int action, double reward, int next, boolean terminal);
}
