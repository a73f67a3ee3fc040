/** The experiment-job interface every benchmark problem implements, and what jobs share (input files). */
package dev.bilevel.experiments.job;
