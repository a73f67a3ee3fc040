/**
 * Cluster sweeps on Hazelcast: {@link dev.bilevel.hazelcast.HazelcastWorker} members run trials that a
 * {@link dev.bilevel.hazelcast.HazelcastTrialExecutor} driver sends them, and the driver alone writes
 * the sweep's output. Lost workers cost only a rerun of their running trials.
 */
package dev.bilevel.hazelcast;
