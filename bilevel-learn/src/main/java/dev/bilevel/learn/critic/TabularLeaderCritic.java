package dev.bilevel.learn.critic;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.sampling.TabularBatch;

/** The leader's scalar critic {@code Q_L(s,a)} of the current joint behaviour, on a tabular problem. */
public interface TabularLeaderCritic extends Stateful {

    /** Nothing, unless the implementation keeps something between calls. */
    @Override
    default void saveState(StateWriter out) {
    }

    /** Nothing, unless the implementation keeps something between calls. */
    @Override
    default void restoreState(StateReader in) {
    }

    /**
     * Updates the critic with this iteration's data and returns {@code Q_L} at {@code [s·A + a]} (the
     * critic's own array: read it, do not modify or keep it across updates).
     *
     * @param batch on-policy transitions
     * @param leaderReward {@code f(s,a)} at the leader's current decision
     * @param policy the follower's policy the batch was drawn with
     * @param discount {@code γ_L}
     * @param rng randomness for the update order
     */
    double[] update(TabularBatch batch, double[] leaderReward, double[] policy, double discount,
            SplitMixRandom rng);
}
