/**
 * GuidedCartPole and GuidedPendulum against a follower that learns by continuous soft actor-critic, with a baseline
 * wind or a wind leader that learns asynchronously beside it.
 */
package dev.bilevel.experiments.guided;
