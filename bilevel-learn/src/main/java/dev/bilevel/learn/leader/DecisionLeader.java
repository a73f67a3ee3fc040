package dev.bilevel.learn.leader;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.follower.FollowerResponse;
import dev.bilevel.learn.loop.Leader;
import dev.bilevel.nn.GradientClipping;
import java.util.Objects;

/**
 * A leader whose decision is a parameter vector {@code x}: incentive weights, the dynamics parameters of a
 * configurable MDP, or the logits of a tabular policy. Each iteration it estimates the hypergradient from the
 * iteration's data and the follower's response, checks that the estimate is finite, and takes one clipped SGD
 * ascent step.
 *
 * @param <R> the follower's response
 * @param <B> the data
 */
public final class DecisionLeader<R extends FollowerResponse, B> implements Leader<double[], R, B,
        DecisionLeader.Update>, Stateful {

    /**
     * One learning step.
     *
     * @param estimate the hypergradient estimate (before clipping)
     * @param groupNorms the norm of each parameter group of the gradient, before clipping
     */
    public record Update(Estimate estimate, double[] groupNorms) {

        /** The norm of the whole gradient. */
        public double gradientNorm() {
            return GradientClipping.globalNorm(estimate.gradient());
        }

        /** The norm of the direct part. */
        public double directNorm() {
            return GradientClipping.globalNorm(estimate.direct());
        }

        /** The norm of the follower-response part. */
        public double responseNorm() {
            return GradientClipping.globalNorm(estimate.response());
        }
    }

    private final double[] decision;
    private final Estimator<double[], R, B> estimator;
    private final ClippedSgd optimizer;
    private int iteration;

    /**
     * @param initial the initial decision (copied)
     * @param estimator the hypergradient estimator
     * @param optimizer the ascent step
     */
    public DecisionLeader(double[] initial, Estimator<double[], R, B> estimator, ClippedSgd optimizer) {
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        if (initial.length != optimizer.dimension()) {
            throw new IllegalArgumentException("initial decision: expected " + optimizer.dimension()
                    + " entries, got " + initial.length);
        }
        this.decision = initial.clone();
    }

    /** A copy of the current decision. */
    @Override
    public double[] decision() {
        return decision.clone();
    }

    /** Its decision, its iteration count and its estimator's state. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("DecisionLeader").writeDoubles(decision).writeInt(iteration);
        estimator.saveState(out);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("DecisionLeader").readDoubles(decision);
        iteration = in.readInt();
        estimator.restoreState(in);
    }

    /**
     * Estimates at the current decision and ascends.
     *
     * @throws ArithmeticException when the estimate is not finite ({@link Estimate}'s check); the decision is left
     *     unchanged
     */
    @Override
    public Update learn(B data, R response, SplitMixRandom rng) {
        Estimate estimate = estimator.estimate(new Estimation<>(iteration, decision.clone(), response, data, rng));
        double[] gradient = estimate.gradient();
        double[] norms = optimizer.norms(gradient);
        optimizer.ascend(decision, gradient, norms);
        iteration++;
        return new Update(estimate, norms);
    }
}
