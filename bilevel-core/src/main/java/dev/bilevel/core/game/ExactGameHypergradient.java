package dev.bilevel.core.game;

import dev.bilevel.core.Hypergradient;
import dev.bilevel.core.tabular.BandedLinearSystem;
import dev.bilevel.core.tabular.DiscountedOccupancy;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.core.tabular.PolicyValues;
import dev.bilevel.core.tabular.TabularDynamics;

/**
 * The exact hypergradient of {@code J(θ) = E Σ_t γ_L^t r_L} for a tabular softmax leader in a Markov
 * game, differentiating through the follower's soft best response (either {@link FollowerOperator}).
 *
 * <p>{@code ∇J = Σ_s d_L(s) Σ_b ∇π_θ(b|s)·Q_L(s,b) + (1/λ) Σ_{s,b,a} d_L(s,b,a)·B(s,b,a)·∇Q_F(s,b,a)},
 * with {@code B = Q_L(s,b,a) − Σ_a' π_F(a'|s,b) Q_L(s,b,a')}. {@code Q_F} depends on {@code θ} only
 * through the next-state value {@code V_F(s') }, and {@code ∇V_F = (I − γ_F M_F)^{-1} ρ} where
 * {@code ρ(s) = Σ_b ∇π_θ(b|s)·U(s,b)}: {@code U = W_F} for the sequential backup and
 * {@code U(s,b) = Σ_a σ(a|s) Q_F(s,b,a)} for the averaged one. The follower-response sum is formed
 * in adjoint form with one transposed solve.
 */
public final class ExactGameHypergradient {

    private ExactGameHypergradient() {
    }

    /** Solves the follower exactly against {@code softmax(logits)} and returns {@code J} and {@code ∇_θ J}. */
    public static Hypergradient compute(MarkovGame game, double[] logits) {
        double[] leaderPolicy = TabularSoftmaxPolicy.probabilities(logits, game.states(), game.leaderActions());
        GameFollowerSolution follower = SoftQIteration.exact().solve(game, leaderPolicy, null);
        return compute(game, leaderPolicy, follower);
    }

    /** The hypergradient at a given leader policy and follower solution (assumed a best response). */
    public static Hypergradient compute(MarkovGame game, double[] leaderPolicy, GameFollowerSolution follower) {
        TabularDynamics dynamics = game.dynamics();
        int states = game.states();
        int nb = game.leaderActions();
        int na = game.followerActions();
        double[] piF = follower.policy();
        double[] joint = JointPolicy.of(leaderPolicy, piF, nb, na);

        BandedLinearSystem leaderSystem = BandedLinearSystem.of(dynamics, joint, game.leaderDiscount());
        PolicyValues leader = PolicyEvaluation.evaluate(dynamics, leaderSystem, joint, game.leaderReward(),
                game.leaderDiscount());
        double objective = PolicyEvaluation.initialValue(dynamics, leader.stateValues());
        double[] occupancy = DiscountedOccupancy.states(dynamics, leaderSystem);
        double[] ql = leader.actionValues();

        // Q_L(s,b) = Σ_a π_F(a|s,b) Q_L(s,b,a): the leader's value of each of its actions.
        double[] leaderActionValue = new double[states * nb];
        for (int sb = 0; sb < states * nb; sb++) {
            double sum = 0.0;
            for (int a = 0; a < na; a++) {
                sum += piF[sb * na + a] * ql[sb * na + a];
            }
            leaderActionValue[sb] = sum;
        }
        double[] gradient = new double[states * nb];
        TabularSoftmaxPolicy.accumulateExpectationGradient(leaderPolicy, states, nb, occupancy, leaderActionValue,
                gradient);

        // Follower response: weights w(s,b,a) = d_L(s,b,a)·B(s,b,a)/λ pushed one step forward.
        double[] z = new double[states];
        for (int s = 0; s < states; s++) {
            if (dynamics.isTerminal(s) || occupancy[s] == 0.0) {
                continue;
            }
            for (int b = 0; b < nb; b++) {
                int sb = s * nb + b;
                for (int a = 0; a < na; a++) {
                    int row = sb * na + a;
                    double w = occupancy[s] * joint[row] * (ql[row] - leaderActionValue[sb]) / game.temperature();
                    if (w == 0.0) {
                        continue;
                    }
                    for (int k = dynamics.rowStart(row), end = dynamics.rowStart(row + 1); k < end; k++) {
                        z[dynamics.successor(k)] += game.followerDiscount() * w * dynamics.probability(k);
                    }
                }
            }
        }
        double[] chain = new double[joint.length];
        double[] v = new double[states];
        SoftQIteration.stateValues(game, leaderPolicy, follower.q(), v, chain);
        double[] adjoint = BandedLinearSystem.of(dynamics, chain, game.followerDiscount()).solveTransposed(z);
        TabularSoftmaxPolicy.accumulateExpectationGradient(leaderPolicy, states, nb, adjoint,
                leaderActionValueOfFollower(game, follower, chain, leaderPolicy), gradient);
        return new Hypergradient(objective, gradient);
    }

    /** {@code U(s,b)}: what the follower's state value is an expectation of over the leader's action. */
    private static double[] leaderActionValueOfFollower(MarkovGame game, GameFollowerSolution follower,
            double[] chain, double[] leaderPolicy) {
        int states = game.states();
        int nb = game.leaderActions();
        int na = game.followerActions();
        if (game.operator() == FollowerOperator.SEQUENTIAL) {
            return follower.softValue().clone();
        }
        // Averaged backup: σ(a|s) = chain(s,b,a)/π_θ(b|s) for any b with π_θ(b|s) > 0.
        double[] u = new double[states * nb];
        double[] q = follower.q();
        for (int s = 0; s < states; s++) {
            double[] sigma = new double[na];
            for (int b = 0; b < nb; b++) {
                double pb = leaderPolicy[s * nb + b];
                if (pb > 0.0) {
                    for (int a = 0; a < na; a++) {
                        sigma[a] = chain[(s * nb + b) * na + a] / pb;
                    }
                    break;
                }
            }
            for (int b = 0; b < nb; b++) {
                double sum = 0.0;
                for (int a = 0; a < na; a++) {
                    sum += sigma[a] * q[(s * nb + b) * na + a];
                }
                u[s * nb + b] = sum;
            }
        }
        return u;
    }

    /** The leader's objective {@code J(θ)} under the follower's exact best response. */
    public static double objective(MarkovGame game, double[] logits) {
        double[] leaderPolicy = TabularSoftmaxPolicy.probabilities(logits, game.states(), game.leaderActions());
        GameFollowerSolution follower = SoftQIteration.exact().solve(game, leaderPolicy, null);
        double[] joint = JointPolicy.of(leaderPolicy, follower.policy(), game.leaderActions(),
                game.followerActions());
        PolicyValues leader = PolicyEvaluation.evaluate(game.dynamics(), joint, game.leaderReward(),
                game.leaderDiscount());
        return PolicyEvaluation.initialValue(game.dynamics(), leader.stateValues());
    }
}
