/** The experiment-job interface every benchmark problem implements, and the registry of jobs. */
package dev.bilevel.experiments.job;
