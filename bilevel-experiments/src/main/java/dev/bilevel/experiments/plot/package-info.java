/**
 * Plotting shared by diagnostics and sweep reports: XChart line charts, learning curves with mean ± SE
 * bands, and Java2D drawings, each written as PNG and SVG.
 */
package dev.bilevel.experiments.plot;
