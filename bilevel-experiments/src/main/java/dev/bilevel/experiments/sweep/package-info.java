/**
 * Sweeps: grids of trials, their stable ids, executors (local threads, cluster) and resumable output.
 *
 * <ul>
 *   <li>{@link dev.bilevel.experiments.sweep.SweepSpec}: a YAML spec whose keys may be lists (grid axes),
 *       plus {@code seeds}, {@code configs}, {@code title}; expands to trials with ids = hash of the
 *       resolved config.</li>
 *   <li>{@link dev.bilevel.experiments.sweep.TrialSpec}, {@link dev.bilevel.experiments.sweep.TrialOutcome},
 *       {@link dev.bilevel.experiments.sweep.TrialExecutor}, {@link dev.bilevel.experiments.sweep.TrialRunner}:
 *       the contract between the driver and wherever trials run;
 *       {@link dev.bilevel.experiments.sweep.LocalTrialExecutor} runs them on threads here.</li>
 *   <li>{@link dev.bilevel.experiments.sweep.Sweep}: the driver, which alone writes the
 *       {@link dev.bilevel.experiments.sweep.SweepDirectory} (atomic trial directories with a
 *       {@link dev.bilevel.experiments.sweep.TrialRecord} marker), skips finished trials and runs a
 *       {@link dev.bilevel.experiments.sweep.Shard} of the grid, holding the directory's
 *       {@link dev.bilevel.experiments.sweep.SweepLock} so that drivers sharing it never run a trial twice.</li>
 *   <li>{@link dev.bilevel.experiments.sweep.SweepProgress}: the overall bar and live trial lines.</li>
 *   <li>{@link dev.bilevel.experiments.sweep.ReproduceSpecs}: the sweeps behind {@code bilevel reproduce}.</li>
 * </ul>
 *
 * <p>See {@code docs/sweeps.md}.
 */
package dev.bilevel.experiments.sweep;
