/**
 * Aggregation of sweep directories: grid points (configs equal but for the seed), mean ± SE and 95 %
 * confidence interval over seeds of every metric ({@link dev.bilevel.experiments.stats.SampleStat}),
 * selection of the best point per method and setting by a named
 * {@link dev.bilevel.experiments.aggregate.SelectionRule}, per setting a t-test of each method against the
 * best ({@link dev.bilevel.experiments.aggregate.BestVersusOthers}), the paper's
 * numbers ({@link dev.bilevel.experiments.aggregate.PaperValues}) and per-problem defaults
 * ({@link dev.bilevel.experiments.aggregate.ProblemProfile}, from {@code PROBLEM.profile.yaml}
 * resources); CSV and JSON tables ({@link dev.bilevel.experiments.aggregate.AggregateFiles}).
 */
package dev.bilevel.experiments.aggregate;
