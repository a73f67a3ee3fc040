package dev.bilevel.core.cmdp;

import dev.bilevel.core.Hypergradient;
import dev.bilevel.core.tabular.BandedLinearSystem;
import dev.bilevel.core.tabular.DiscountedOccupancy;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.core.tabular.PolicyValues;
import dev.bilevel.core.tabular.TabularDynamics;

/**
 * The exact hypergradient of a tabular configurable MDP by implicit differentiation of the
 * follower's soft Bellman fixed point: ground truth for every estimator.
 *
 * <p>With {@code d(s,a)} the leader-discounted occupancy of the follower's policy {@code π},
 * {@code Q_L, V_L} the leader's values and {@code Ψ = ∇_x Q_F},
 * <pre>∇F(x) = Σ_{s,a} d(s,a)·[∇_x f(s,a) + (1/λ)(Q_L(s,a) − V_L(s))·Ψ(s,a)].</pre>
 * {@code Ψ} is the policy evaluation of the vector reward {@code ∇_x r_F} under {@code π}; instead of
 * forming it (a {@code S×d} solve) the sum is computed in adjoint form: one extra {@code S×S}
 * transposed solve gives weights {@code W(s,a)} with {@code Σ w·Ψ = Σ W·∇_x r_F}, so the cost is two
 * factorisations plus one vector–Jacobian product, whatever {@code d}.
 */
public final class ExactHypergradient {

    private ExactHypergradient() {
    }

    /** Solves the follower exactly at {@code x} and returns {@code F(x)} and {@code ∇F(x)}. */
    public static Hypergradient compute(ConfigurableMdp mdp, double[] x) {
        checkDecision(mdp, x);
        FollowerSolution solution = SoftPolicyIteration.exact().solve(mdp.dynamics(),
                mdp.followerReward().evaluate(x), mdp.followerDiscount(), mdp.temperature(), null);
        return compute(mdp, x, solution.policy());
    }

    /**
     * The hypergradient formula at a given follower policy (assumed to be the soft best response to
     * {@code x}).
     */
    public static Hypergradient compute(ConfigurableMdp mdp, double[] x, double[] policy) {
        checkDecision(mdp, x);
        TabularDynamics dynamics = mdp.dynamics();
        int states = dynamics.states();
        int actions = dynamics.actions();
        BandedLinearSystem leaderSystem = BandedLinearSystem.of(dynamics, policy, mdp.leaderDiscount());
        double[] leaderReward = mdp.leaderReward().evaluate(x);
        PolicyValues leader = PolicyEvaluation.evaluate(dynamics, leaderSystem, policy, leaderReward,
                mdp.leaderDiscount());
        double objective = PolicyEvaluation.initialValue(dynamics, leader.stateValues());
        double[] occupancy = DiscountedOccupancy.stateActions(dynamics,
                DiscountedOccupancy.states(dynamics, leaderSystem), policy);

        double[] gradient = new double[mdp.dimension()];
        mdp.leaderReward().accumulateGradient(x, occupancy, gradient);

        // w(s,a) = d(s,a)·B(s,a)/λ, the weight of Ψ(s,a) in the follower-response term.
        double[] weights = new double[states * actions];
        double[] z = new double[states];
        for (int s = 0; s < states; s++) {
            double vl = leader.stateValues()[s];
            for (int a = 0; a < actions; a++) {
                int row = s * actions + a;
                double w = occupancy[row] * (leader.actionValues()[row] - vl) / mdp.temperature();
                weights[row] = w;
                if (!dynamics.isTerminal(s) && w != 0.0) {
                    for (int k = dynamics.rowStart(row), end = dynamics.rowStart(row + 1); k < end; k++) {
                        z[dynamics.successor(k)] += mdp.followerDiscount() * w * dynamics.probability(k);
                    }
                }
            }
        }
        BandedLinearSystem followerSystem = mdp.followerDiscount() == mdp.leaderDiscount() ? leaderSystem
                : BandedLinearSystem.of(dynamics, policy, mdp.followerDiscount());
        double[] adjoint = followerSystem.solveTransposed(z);
        for (int row = 0; row < weights.length; row++) {
            weights[row] += adjoint[row / actions] * policy[row];
        }
        mdp.followerReward().accumulateGradient(x, weights, gradient);
        return new Hypergradient(objective, gradient);
    }

    /** The leader's objective {@code F(x)} under the follower's exact best response. */
    public static double objective(ConfigurableMdp mdp, double[] x) {
        checkDecision(mdp, x);
        FollowerSolution solution = SoftPolicyIteration.exact().solve(mdp.dynamics(),
                mdp.followerReward().evaluate(x), mdp.followerDiscount(), mdp.temperature(), null);
        PolicyValues leader = PolicyEvaluation.evaluate(mdp.dynamics(), solution.policy(),
                mdp.leaderReward().evaluate(x), mdp.leaderDiscount());
        return PolicyEvaluation.initialValue(mdp.dynamics(), leader.stateValues());
    }

    private static void checkDecision(ConfigurableMdp mdp, double[] x) {
        if (x.length != mdp.dimension()) {
            throw new IllegalArgumentException("parameters0: expected " + mdp.dimension() + " entries, got "
                    + x.length);
        }
    }
}
