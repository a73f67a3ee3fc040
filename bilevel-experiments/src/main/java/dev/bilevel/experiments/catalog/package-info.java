/** The catalogue of experiment jobs: every benchmark problem and the problem-file job, by name. */
package dev.bilevel.experiments.catalog;
