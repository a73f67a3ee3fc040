package dev.bilevel.learn.leader;

import java.util.Map;

/**
 * What a game leader's update reports, averaged over its critic and actor steps ({@code NaN} where no step ran).
 *
 * @param criticLoss TD loss
 * @param meanQ mean critic value on the critic batches
 * @param gradientNorm norm of the (unclipped) policy gradient
 * @param directNorm norm of its direct part
 * @param responseNorm norm of its follower-response part
 * @param estimator the estimator's own diagnostics (mean benefit, …), averaged over the actor steps
 */
public record ActorCriticReport(double criticLoss, double meanQ, double gradientNorm, double directNorm,
        double responseNorm, Map<String, Double> estimator) {

    /** The report of an iteration without an update. */
    public static final ActorCriticReport NONE = new ActorCriticReport(Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Map.of());

    /** An estimator diagnostic by name, NaN when absent. */
    public double diagnostic(String name) {
        Double value = estimator.get(name);
        return value == null ? Double.NaN : value;
    }
}
