package dev.bilevel.learn.follower.planning;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.FollowerSolution;
import dev.bilevel.core.cmdp.ModifiedSoftPolicyIteration;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.math.LogSumExp;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.TabularResponse;

/**
 * The follower of a configurable MDP: it re-optimises against each new leader decision on its own
 * model and exposes only a {@link TabularResponse}. Three behaviours:
 *
 * <ul>
 *   <li>optimal, by warm-started {@link SoftPolicyIteration} (default; the same policy as the
 *       reference schedule to 1e-10, 60–85× faster);</li>
 *   <li>optimal, by the reference {@link ModifiedSoftPolicyIteration} 100×5 schedule from {@code Q = 0};</li>
 *   <li>suboptimal: only {@code k} rounds of 5 sweeps, from a fresh {@code N(0,1)} table every
 *       iteration (reset-Q) or from its previous table (carry-Q, an incrementally learning follower).</li>
 * </ul>
 * For a suboptimal follower {@link #optimalResponse()} is the converged best response, for logging.
 */
public final class TabularMdpFollower implements Follower<double[], TabularResponse>, Stateful {

    /** How the follower answers. */
    public enum Behaviour {
        /** Warm-started soft policy iteration to a tolerance. */
        OPTIMAL,
        /** The reference 100×5 schedule from Q = 0. */
        REFERENCE_SCHEDULE,
        /** {@code k} rounds from a fresh N(0,1) table each iteration. */
        RESET_Q,
        /** {@code k} rounds continuing from the previous table. */
        CARRY_Q
    }

    /** Bellman-residual tolerance of the optimal solve where values are of order 1. */
    private static final double BASE_TOLERANCE = 1e-12;

    private final ConfigurableMdp model;
    private final Behaviour behaviour;
    private final int rounds;
    private final SplitMixRandom rng;
    private SoftPolicyIteration optimalSolver = new SoftPolicyIteration(BASE_TOLERANCE, 200);
    private double solverTolerance = BASE_TOLERANCE;
    private FollowerSolution optimal;
    private FollowerSolution current;
    private double[] carried;

    /**
     * @param model the model the follower plans on
     * @param behaviour optimal or suboptimal
     * @param rounds {@code k} for the suboptimal behaviours (ignored otherwise)
     * @param rng randomness for the suboptimal initial tables
     */
    public TabularMdpFollower(ConfigurableMdp model, Behaviour behaviour, int rounds, SplitMixRandom rng) {
        if ((behaviour == Behaviour.RESET_Q || behaviour == Behaviour.CARRY_Q) && rounds < 0) {
            throw new IllegalArgumentException("rounds per answer must be ≥ 0, got " + rounds);
        }
        this.model = model;
        this.behaviour = behaviour;
        this.rounds = rounds;
        this.rng = rng;
    }

    /** Re-optimises against {@code x} and returns what the leader may observe. */
    @Override
    public TabularResponse respond(double[] x) {
        double[] reward = model.followerReward().evaluate(x);
        double tolerance = tolerance(reward);
        if (tolerance != solverTolerance) {
            optimalSolver = new SoftPolicyIteration(tolerance, 200);
            solverTolerance = tolerance;
        }
        switch (behaviour) {
            case REFERENCE_SCHEDULE -> {
                optimal = ModifiedSoftPolicyIteration.reference().solve(model.dynamics(), reward,
                        model.followerDiscount(), model.temperature(), null);
                current = optimal;
            }
            case OPTIMAL -> {
                optimal = optimalSolver.solve(model.dynamics(), reward, model.followerDiscount(),
                        model.temperature(), optimal);
                if (!optimal.converged()) {
                    throw new ArithmeticException("follower solve did not converge (residual " + optimal.residual()
                            + ")");
                }
                current = optimal;
            }
            default -> {
                optimal = optimalSolver.solve(model.dynamics(), reward, model.followerDiscount(),
                        model.temperature(), optimal);
                current = suboptimal(reward);
            }
        }
        return response(model, current);
    }

    /**
     * The observable part of a follower solve on {@code model}: its policy and soft value, with the model's
     * {@code λ} and {@code γ_F}.
     */
    public static TabularResponse response(ConfigurableMdp model, FollowerSolution solution) {
        return new TabularResponse(model.states(), model.actions(), solution.policy(), solution.softValue(),
                model.temperature(), model.followerDiscount());
    }

    /**
     * The residual tolerance for this reward: {@code 1e-12}, unless the soft values can be so large that
     * rounding alone leaves a larger residual (an absolute 1e-12 is below one ulp of {@code V} once
     * {@code |V| ≥ 8192}, e.g. rewards of 100 at {@code γ = 0.99}, and the solve would never report
     * convergence). Then about
     * 18 ulps of the bound {@code |V| ≤ (max|r| + λ·log A)/(1 − γ)}, rounded up to a power of two so that
     * the solver (and the factorisation it reuses between warm solves) changes only with the scale.
     */
    private double tolerance(double[] reward) {
        double max = 0.0;
        for (double r : reward) {
            max = Math.max(max, Math.abs(r));
        }
        double bound = (max + model.temperature() * Math.log(model.actions())) / (1.0 - model.followerDiscount());
        double wanted = 4e-15 * bound;
        if (!(wanted > BASE_TOLERANCE)) {
            return BASE_TOLERANCE;
        }
        return BASE_TOLERANCE * Math.pow(2.0, Math.ceil(Math.log(wanted / BASE_TOLERANCE) / Math.log(2.0)));
    }

    private FollowerSolution suboptimal(double[] reward) {
        int rows = model.states() * model.actions();
        double[] q;
        if (behaviour == Behaviour.CARRY_Q && carried != null) {
            q = carried;
        } else {
            q = new double[rows];
            for (int i = 0; i < rows; i++) {
                q[i] = rng.nextGaussian();
            }
        }
        FollowerSolution solution;
        if (rounds == 0) {
            solution = fromTable(q);
        } else {
            solution = new ModifiedSoftPolicyIteration(rounds, 5).solveFrom(model.dynamics(), reward,
                    model.followerDiscount(), model.temperature(), q);
        }
        carried = solution.q().clone();
        return solution;
    }

    /** The follower that has not improved at all: {@code softmax(Q0/λ)}. */
    private FollowerSolution fromTable(double[] q) {
        int states = model.states();
        int actions = model.actions();
        double[] policy = new double[q.length];
        double[] value = new double[states];
        for (int s = 0; s < states; s++) {
            LogSumExp.softmax(q, s * actions, actions, model.temperature(), policy, s * actions);
            double sum = 0.0;
            for (int a = 0; a < actions; a++) {
                sum += policy[s * actions + a] * q[s * actions + a];
            }
            value[s] = sum;
        }
        return new FollowerSolution(q.clone(), policy, value, 0, Double.NaN, false);
    }

    /** Its warm start, its carried table, its solver's reusable factorisation and its random stream. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("TabularMdpFollower").writeDouble(solverTolerance).writeRandom(rng).writeDoubles(carried);
        FollowerSolution.write(out, optimal);
        FollowerSolution.write(out, current);
        optimalSolver.saveState(out);
    }

    @Override
    public void restoreState(StateReader in) {
        solverTolerance = in.begin("TabularMdpFollower").readDouble();
        in.readRandom(rng);
        carried = in.readDoubles();
        optimal = FollowerSolution.read(in);
        current = FollowerSolution.read(in);
        optimalSolver = new SoftPolicyIteration(solverTolerance, 200);
        optimalSolver.restoreState(in);
    }

    /** Whether the follower is deliberately suboptimal. */
    public boolean suboptimal() {
        return behaviour == Behaviour.RESET_Q || behaviour == Behaviour.CARRY_Q;
    }

    /** The converged best response to the last decision (equal to the response for optimal followers). */
    public TabularResponse optimalResponse() {
        return response(model, optimal);
    }

    /** Solver steps (Newton steps or sweeps) of the last response. */
    public int lastSteps() {
        return current.sweeps();
    }
}
