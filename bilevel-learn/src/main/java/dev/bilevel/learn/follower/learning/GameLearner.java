package dev.bilevel.learn.follower.learning;

/**
 * A Markov-game follower as the environment meets it: it sees the state and the leader's action, chooses its own,
 * and learns from the transitions it makes. The environment
 * ({@link dev.bilevel.learn.sampling.GameEpisodeSampler#play(double[], GameLearner, boolean, int,
 * dev.bilevel.learn.sampling.GammaReplayBuffer, double[], dev.bilevel.core.random.SplitMixRandom)}) asks for an
 * action and hands back the follower's own reward and where it went.
 */
public interface GameLearner {

    /**
     * The follower's action in {@code state} after seeing the leader's, drawn from what it currently plays.
     *
     * @param state the state
     * @param leaderAction the leader's action there
     * @return the follower's action
     */
    int act(int state, int leaderAction);

    /**
     * One transition of its own to learn from.
     *
     * @param state where it acted
     * @param leaderAction the leader's action there
     * @param action what it did
     * @param reward the reward the environment gave it
     * @param next where it went (meaningless when {@code terminal})
     * @param terminal whether the episode ended in {@code state}
     */
    void learn(int state, int leaderAction, int action, double reward, int next, boolean terminal);
}
