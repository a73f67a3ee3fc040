package dev.bilevel.learn.follower.learning;

import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.TabularResponse;

/**
 * A tabular MDP follower that learns on its own: it acts and learns in the environment stream
 * ({@link TabularLearner}), answers the leader with what it currently plays ({@link Follower}), and is checkpointed
 * with the run ({@link Stateful}). The soft Q-learner and the soft actor-critic are the two kinds.
 */
public interface TabularLearningFollower extends Follower<double[], TabularResponse>, TabularLearner, Stateful {

    /**
     * The number of environment steps it has learned from so far.
     *
     * @return the count
     */
    long updates();
}
