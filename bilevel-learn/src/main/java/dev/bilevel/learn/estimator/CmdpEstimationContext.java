package dev.bilevel.learn.estimator;

import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.leader.LeaderKnowledge;
import dev.bilevel.learn.sampling.TabularBatch;
import java.util.SplittableRandom;

/**
 * Everything a decentralized leader has at one outer iteration: its decision, the follower's
 * observable response, this iteration's on-policy batch, its own knowledge and randomness.
 * Estimators that need more (a model, resets anywhere) receive it at construction, visibly.
 *
 * @param iteration outer iteration, from 0
 * @param decision the leader's current {@code x}
 * @param follower the follower's policy, soft value, {@code λ}, {@code γ_F}
 * @param batch on-policy transitions drawn with the follower's policy
 * @param leader reward parameterisations and {@code γ_L}
 * @param rng this iteration's randomness for the estimator
 */
public record CmdpEstimationContext(int iteration, double[] decision, TabularResponse follower, TabularBatch batch,
        LeaderKnowledge leader, SplittableRandom rng) {
}
