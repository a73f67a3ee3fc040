package dev.bilevel.core.tabular;


/**
 * The discounted occupancy of a policy: {@code d(s) = Σ_t γ^t Pr(s_t = s)} from the initial
 * distribution, and {@code d(s,a) = d(s)·π(a|s)}. It is the weight every per-step quantity gets in a
 * policy-gradient sum {@code E[Σ_t γ^t g(s_t,a_t)] = Σ_{s,a} d(s,a) g(s,a)}.
 */
public final class DiscountedOccupancy {

    private DiscountedOccupancy() {
    }

    /** State occupancy {@code d = (I − γ M_π)^{-T} μ}, given {@code I − γM_π} factored. */
    public static double[] states(TabularDynamics dynamics, BandedLinearSystem system) {
        return system.solveTransposed(dynamics.initialDistribution());
    }

    /** State occupancy, factoring {@code I − γ M_π} for this call. */
    public static double[] states(TabularDynamics dynamics, double[] policy, double discount) {
        return states(dynamics, BandedLinearSystem.of(dynamics, policy, discount));
    }

    /** State-action occupancy {@code d(s,a) = d(s)·π(a|s)}, row-major. */
    public static double[] stateActions(TabularDynamics dynamics, double[] stateOccupancy, double[] policy) {
        int actions = dynamics.actions();
        double[] out = new double[policy.length];
        for (int row = 0; row < out.length; row++) {
            out[row] = stateOccupancy[row / actions] * policy[row];
        }
        return out;
    }
}
