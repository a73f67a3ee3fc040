/**
 * Plotting shared by runs, diagnostics and sweep reports: XChart line charts, learning curves with mean ± SE bands,
 * single runs' curves under their rolling mean, and Java2D drawings, each written as PNG and SVG, on white in a
 * colour-blind-safe palette that gives each method one colour everywhere.
 */
package dev.bilevel.experiments.plot;
