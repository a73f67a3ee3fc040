/**
 * Followers that learn on their own, from their own experience, at their own pace: they act in the environment,
 * learn from the rewards it gives them, and answer the leader with what they currently play. The leader cannot
 * pause, reset or read them beyond their response.
 */
package dev.bilevel.learn.follower.learning;
