/** Sweeps: grids of trials, their stable ids, executors (local threads, cluster) and resumable output. */
package dev.bilevel.experiments.sweep;
