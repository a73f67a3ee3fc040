package dev.bilevel.learn.estimator;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.FollowerResponse;

/**
 * Everything a decentralised leader has at one estimate: its decision, the follower's observable response, the
 * data and its own randomness. What the leader knows of the problem (how its decision enters it, its own reward)
 * and any privileged access (a model, resets anywhere) is given to the estimator at construction, visibly.
 *
 * @param iteration the outer iteration, from 0
 * @param decision the leader's current decision (incentive or dynamics weights, or its policy)
 * @param response the follower's policy, soft value, {@code λ}, {@code γ_F}
 * @param data the samples (an on-policy batch, or a minibatch of a replay buffer)
 * @param rng this estimate's randomness
 * @param <D> the decision
 * @param <R> the response
 * @param <B> the data
 */
public record Estimation<D, R extends FollowerResponse, B>(int iteration, D decision, R response, B data,
        SplitMixRandom rng) {
}
