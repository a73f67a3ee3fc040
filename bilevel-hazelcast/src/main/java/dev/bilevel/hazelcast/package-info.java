/**
 * Cluster sweeps on Hazelcast: {@link dev.bilevel.hazelcast.HazelcastWorker} members run trials that a
 * {@link dev.bilevel.hazelcast.HazelcastTrialExecutor} driver sends them, and the driver alone writes
 * the sweep's output. Lost workers cost only a rerun of their running trials. Members listen on one address
 * (loopback by default), accept no Hazelcast clients, deserialize only the task and outcome types, and check
 * every task and outcome against the cluster secret ({@link dev.bilevel.hazelcast.ClusterAccess}).
 */
package dev.bilevel.hazelcast;
