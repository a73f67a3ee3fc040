/**
 * Generic experiment plumbing, independent of any learning code.
 *
 * <ul>
 *   <li>{@link dev.bilevel.experiments.config}: typed run configurations declared by a
 *       {@link dev.bilevel.experiments.config.ConfigSchema} and resolved from defaults, a YAML file,
 *       command-line options and {@code key=value} overrides.</li>
 *   <li>{@link dev.bilevel.experiments.run}: run directories ({@code config.yaml}, {@code metrics.csv},
 *       {@code summary.json}, vectors), written atomically, and progress reporting on stderr.</li>
 * </ul>
 *
 * <p>Every user-facing problem is an {@link dev.bilevel.experiments.ExperimentInputException} with a
 * one-line message.
 */
package dev.bilevel.experiments;
