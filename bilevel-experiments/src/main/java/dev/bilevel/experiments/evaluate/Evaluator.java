package dev.bilevel.experiments.evaluate;

import dev.bilevel.learn.loop.Step;
import java.util.List;

/**
 * Turns each iteration of the bi-level loop into a metrics row. Evaluators live in the experiments layer because
 * they may use what no leader may: the model (the exact leader value), the follower's internals (its iteration
 * count, its converged answer) and separate evaluation rollouts.
 *
 * @param <D> the decision
 * @param <R> the response
 * @param <B> the data
 * @param <U> the leader's update report
 */
public interface Evaluator<D, R, B, U> {

    /** The metrics columns, {@code iteration} and {@code leader_objective} first. */
    List<String> columns();

    /**
     * The row of one iteration, in {@link #columns()} order.
     *
     * @throws ArithmeticException when a metric the run depends on is not finite
     */
    double[] row(Step<D, R, B, U> step);
}
