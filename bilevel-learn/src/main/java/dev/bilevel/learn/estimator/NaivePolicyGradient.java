package dev.bilevel.learn.estimator;


/**
 * Naive-PGD: the direct term only, ignoring how the follower's best response moves. On FourRooms,
 * where {@code ∇f} is only the incentive-cost penalty, it shrinks the incentives to nothing.
 */
public final class NaivePolicyGradient implements CmdpEstimator {

    private final DirectTerm directTerm;
    private final Normalization normalization;

    /**
     * @param directTerm how the direct term is estimated
     * @param normalization divisor for the per-step direct term
     */
    public NaivePolicyGradient(DirectTerm directTerm, Normalization normalization) {
        this.directTerm = directTerm;
        this.normalization = normalization;
    }

    @Override
    public CmdpEstimate estimate(CmdpEstimationContext context) {
        double[] direct = BoltzmannCovarianceEstimator.direct(context, directTerm,
                normalization.divisor(context.batch()));
        return new CmdpEstimate(direct, new double[direct.length]);
    }
}
