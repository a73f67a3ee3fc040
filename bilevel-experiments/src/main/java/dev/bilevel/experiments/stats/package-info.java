/**
 * Statistics over seeds or repeats, shared by {@code aggregate} and {@code diagnose}:
 * {@link dev.bilevel.experiments.stats.SampleStat} (mean, standard deviation, standard errors, 95 %
 * Student t confidence interval) and {@link dev.bilevel.experiments.stats.TwoSampleTest} (Welch or paired
 * t-test with Hedges' g). Distributions and tests are those of Apache Commons Statistics.
 */
package dev.bilevel.experiments.stats;
