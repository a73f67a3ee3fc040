package dev.bilevel.learn.estimator;


/**
 * A hypergradient estimator for tabular configurable MDPs: BC-HG, the HPGD variants, Naive-PGD,
 * SoBiRL, zero-order and exact. Implementations may keep state across iterations (a persistent
 * critic); one instance serves one training run.
 */
public interface CmdpEstimator {

    /** Estimates {@code ∇F} at {@code context.decision()}. */
    CmdpEstimate estimate(CmdpEstimationContext context);
}
