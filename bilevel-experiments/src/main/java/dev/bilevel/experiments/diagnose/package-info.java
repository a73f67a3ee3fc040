/**
 * Estimator diagnostics against the exact hypergradient ({@code bilevel diagnose}).
 *
 * <ul>
 *   <li>{@link dev.bilevel.experiments.diagnose.EstimatorDiagnostics}: for each estimator and sample budget,
 *       repeated one-shot estimates at one decision, summarised by
 *       {@link dev.bilevel.experiments.diagnose.Accuracy} (cosine, relative error, bias, total variance)
 *       and wall time.</li>
 *   <li>{@link dev.bilevel.experiments.diagnose.DimensionScaling}: cost per sample and accuracy as the
 *       leader's dimension grows (FourRooms corridors vs all cells, random MDPs with
 *       {@code d = 10 … 10000}).</li>
 *   <li>{@link dev.bilevel.experiments.diagnose.DiagnosticsFiles}: markdown and CSV tables, PNG and SVG
 *       plots (XChart), written atomically.</li>
 * </ul>
 *
 * <p>Everything but the timings is deterministic for a seed. See {@code docs/diagnostics.md}.
 */
package dev.bilevel.experiments.diagnose;
