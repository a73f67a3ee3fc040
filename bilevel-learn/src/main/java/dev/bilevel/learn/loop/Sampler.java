package dev.bilevel.learn.loop;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.FollowerResponse;

/**
 * The environment, as the loop drives it: plays the leader's decision against the follower's response and
 * returns what one iteration's interaction yields (an on-policy batch, or a replay buffer with the new episodes
 * added).
 *
 * @param <D> the leader's decision
 * @param <R> the follower's response
 * @param <B> the data
 */
@FunctionalInterface
public interface Sampler<D, R extends FollowerResponse, B> {

    /** Samples one iteration's interaction. */
    B sample(D decision, R response, SplitMixRandom rng);
}
