/**
 * The follower side of a tabular reward-design run, as its config describes it: a follower that learns on its own
 * in one environment stream, and what the leader is allowed to see of it (its response, or only the stream).
 */
package dev.bilevel.experiments.follower;
