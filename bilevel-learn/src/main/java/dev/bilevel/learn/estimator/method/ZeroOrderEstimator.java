package dev.bilevel.learn.estimator.method;

import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.follower.FollowerResponse;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The two-point random-direction estimator from HPGD's comparison, for any decision vector:
 * {@code g = (F(x + u·Z) − F(x))·Z/u} with {@code Z ~ N(0, I)} and {@code u = c/t} at outer iteration
 * {@code t ≥ 1}. {@code F} is the leader's exact objective (the follower re-solved and the leader evaluated on the
 * model), an oracle given at construction: this estimator is model-based, and its variance grows with {@code d}.
 *
 * @param <R> the follower's response (unused)
 * @param <B> the data (unused)
 */
public final class ZeroOrderEstimator<R extends FollowerResponse, B> implements Estimator<double[], R, B> {

    private final ToDoubleFunction<double[]> objective;
    private final double perturbation;

    /**
     * @param objective the exact objective {@code F(x)}, an oracle
     * @param perturbation the constant {@code c} (reference grid 0.01, 0.1, 0.5, 1)
     */
    public ZeroOrderEstimator(ToDoubleFunction<double[]> objective, double perturbation) {
        if (!(perturbation > 0.0)) {
            throw new IllegalArgumentException("perturbation must be > 0, got " + perturbation);
        }
        this.objective = Objects.requireNonNull(objective, "objective");
        this.perturbation = perturbation;
    }

    @Override
    public Estimate estimate(Estimation<double[], R, B> context) {
        double[] x = context.decision();
        double u = perturbation / (context.iteration() + 1);
        double[] z = new double[x.length];
        double[] shifted = x.clone();
        for (int j = 0; j < x.length; j++) {
            z[j] = context.rng().nextGaussian();
            shifted[j] += u * z[j];
        }
        double difference = (objective.applyAsDouble(shifted) - objective.applyAsDouble(x)) / u;
        for (int j = 0; j < z.length; j++) {
            z[j] *= difference;
        }
        return new Estimate(new double[x.length], z);
    }
}
