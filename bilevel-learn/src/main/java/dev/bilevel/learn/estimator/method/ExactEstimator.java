package dev.bilevel.learn.estimator.method;

import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.follower.FollowerResponse;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The exact hypergradient at the follower's observed response, from an oracle that knows the model: the ground
 * truth as an estimator (model-based; for reference runs and diagnostics). The oracle is given at construction,
 * so the departure from the decentralised setting is visible where the estimator is built.
 *
 * @param <R> the follower's response
 * @param <B> the data (unused)
 */
public final class ExactEstimator<R extends FollowerResponse, B> implements Estimator<double[], R, B> {

    private final BiFunction<double[], R, double[]> hypergradient;

    /** @param hypergradient the exact hypergradient at a decision, given the follower's response to it */
    public ExactEstimator(BiFunction<double[], R, double[]> hypergradient) {
        this.hypergradient = Objects.requireNonNull(hypergradient, "hypergradient");
    }

    @Override
    public Estimate estimate(Estimation<double[], R, B> context) {
        double[] g = hypergradient.apply(context.decision(), context.response());
        return new Estimate(new double[g.length], g);
    }
}
