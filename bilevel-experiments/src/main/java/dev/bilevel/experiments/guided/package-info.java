/**
 * GuidedCartPole and GuidedPendulum against a follower that learns by continuous soft actor-critic.
 */
package dev.bilevel.experiments.guided;
