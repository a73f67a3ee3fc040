package dev.bilevel.learn.estimator;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.ExactHypergradient;

/**
 * The exact hypergradient from the model at the follower's observed policy: the ground truth as an
 * estimator (model-based; for reference runs and diagnostics).
 */
public final class ExactEstimator implements CmdpEstimator {

    private final ConfigurableMdp model;

    /** @param model the model the follower plans with */
    public ExactEstimator(ConfigurableMdp model) {
        this.model = model;
    }

    @Override
    public CmdpEstimate estimate(CmdpEstimationContext context) {
        double[] g = ExactHypergradient.compute(model, context.decision(), context.follower().policy()).gradient();
        return new CmdpEstimate(new double[g.length], g);
    }
}
