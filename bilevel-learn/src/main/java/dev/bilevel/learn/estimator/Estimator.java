package dev.bilevel.learn.estimator;

import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.FollowerResponse;

/**
 * A hypergradient estimator: from the leader's decision, the follower's response and one iteration's data, an
 * estimate of the ascent direction of the leader's objective, split into its direct and follower-response parts.
 * One implementation per method (BC-HG, HPGD, Naive-PGD, …), for every problem family; what differs between
 * families (how the leader's decision enters the problem, what its critic is) is behind {@link EstimationTerms}.
 * Implementations may keep state across calls (a persistent critic); one instance serves one run.
 *
 * @param <D> the leader's decision
 * @param <R> the follower's response
 * @param <B> the data
 */
@FunctionalInterface
public interface Estimator<D, R extends FollowerResponse, B> extends Stateful {

    /** Nothing, unless the implementation keeps something between calls. */
    @Override
    default void saveState(StateWriter out) {
    }

    /** Nothing, unless the implementation keeps something between calls. */
    @Override
    default void restoreState(StateReader in) {
    }

    /** Estimates the hypergradient at {@code estimation.decision()}. */
    Estimate estimate(Estimation<D, R, B> estimation);
}
