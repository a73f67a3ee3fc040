package dev.bilevel.learn.loop;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.FollowerResponse;

/**
 * The leader, as the loop drives it: a decision the follower responds to, and one learning step per outer
 * iteration from that iteration's data and the follower's response (critic, estimate, optimise). It never sees
 * the follower itself.
 *
 * @param <D> the decision: incentive or dynamics weights, or the leader's policy
 * @param <R> the follower's response type
 * @param <B> the data one iteration's sampling yields (a batch, a replay buffer)
 * @param <U> what a learning step reports (norms, critic losses), for logging
 */
public interface Leader<D, R extends FollowerResponse, B, U> {

    /** The current decision; a copy, or a live view the follower only reads. */
    D decision();

    /**
     * Learns from one iteration: fits its critic, estimates the hypergradient and updates the decision.
     *
     * @param data this iteration's samples
     * @param response the follower's response the data were collected under
     * @param rng the leader's randomness (critic minibatches, action draws)
     * @throws ArithmeticException when the estimate stops being finite
     */
    U learn(B data, R response, SplitMixRandom rng);
}
