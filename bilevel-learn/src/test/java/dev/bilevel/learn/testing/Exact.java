package dev.bilevel.learn.testing;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.tabular.DiscountedOccupancy;

/** Exact reference quantities for the estimator tests, from core's model-based formulas. */
public final class Exact {

    private Exact() {
    }

    /** The hypergradient {@code ∇F(x)} at the exact best response. */
    public static double[] gradient(ConfigurableMdp mdp, double[] x) {
        return ExactHypergradient.compute(mdp, x).gradient();
    }

    /** The direct term {@code Σ_{s,a} d_L(s,a)·∇_x f(s,a)} at the given follower policy. */
    public static double[] direct(ConfigurableMdp mdp, double[] x, double[] policy) {
        double[] occupancy = DiscountedOccupancy.stateActions(mdp.dynamics(),
                DiscountedOccupancy.states(mdp.dynamics(), policy, mdp.leaderDiscount()), policy);
        double[] direct = new double[mdp.dimension()];
        mdp.leaderReward().accumulateGradient(x, occupancy, direct);
        return direct;
    }

    /** The follower-response term: the hypergradient minus the direct term. */
    public static double[] response(ConfigurableMdp mdp, double[] x, double[] policy) {
        return Vectors.minus(ExactHypergradient.compute(mdp, x, policy).gradient(), direct(mdp, x, policy));
    }
}
