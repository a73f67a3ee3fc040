/**
 * Run directories and progress: {@link dev.bilevel.experiments.run.RunDirectory} writes
 * {@code config.yaml}, {@code summary.json} and vectors atomically and appends {@code metrics.csv} through
 * a {@link dev.bilevel.experiments.run.MetricsWriter}; {@link dev.bilevel.experiments.run.ProgressReporter}
 * shows progress on stderr as a bar or as plain lines.
 */
package dev.bilevel.experiments.run;
