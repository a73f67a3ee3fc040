package dev.bilevel.learn.follower.planning;

import dev.bilevel.core.lqr.LeaderAwareLqrProblem;
import dev.bilevel.core.lqr.LeaderAwareLqrSolution;
import dev.bilevel.core.lqr.LeaderAwareMaxEntLqr;
import dev.bilevel.core.lqr.SoftLqrException;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.follower.LinearGaussianGameResponse;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import java.util.Objects;

/**
 * The follower of a linear-quadratic Markov game: the closed-form maximum-entropy LQR
 * ({@link LeaderAwareMaxEntLqr}), re-solved from scratch against the leader's current linear-Gaussian policy,
 * which it reads (the leader is white-box to this follower, as in the reference). The leader side receives only
 * the {@link LinearGaussianGameResponse} built from the solution's policy and value.
 */
public final class MaxEntLqrGameFollower implements Follower<LinearGaussianPolicy, GaussianGameResponse>, Stateful {

    private final LeaderAwareLqrProblem model;
    private final LeaderAwareMaxEntLqr solver;
    private LeaderAwareLqrSolution solution;

    /**
     * @param model the game as the follower models it, with {@code γ_F} and {@code β}
     * @param solver the Riccati iteration's settings
     */
    public MaxEntLqrGameFollower(LeaderAwareLqrProblem model, LeaderAwareMaxEntLqr solver) {
        this.model = Objects.requireNonNull(model, "model");
        this.solver = Objects.requireNonNull(solver, "solver");
    }

    /**
     * Re-solves against {@code a ~ N(Kx, WWᵀ)}.
     *
     * @throws SoftLqrException when the follower's problem is not stabilisable or diverges
     */
    @Override
    public GaussianGameResponse respond(LinearGaussianPolicy leader) {
        solution = solver.solve(model, leader.gain(), leader.noise());
        return response(solution, model.temperature(), model.discount());
    }

    /**
     * The observable part of a MaxEnt-LQR solution: its policy and value, copied.
     *
     * @param solution a solution
     * @param temperature {@code β}
     * @param discount {@code γ_F}
     * @return the response
     */
    public static LinearGaussianGameResponse response(LeaderAwareLqrSolution solution, double temperature,
            double discount) {
        return new LinearGaussianGameResponse(solution.stateDimension(), solution.followerActionDimension(),
                solution.leaderActionDimension(), solution.meanGain(), solution.valueQuadratic(), solution.v(),
                solution.sigmaCholesky(), temperature, discount);
    }

    /** Nothing: every answer is solved from scratch. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("MaxEntLqrGameFollower");
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("MaxEntLqrGameFollower");
    }

    /** The latest solution ({@code null} before the first {@link #respond}): the follower's own diagnostics. */
    public LeaderAwareLqrSolution solution() {
        return solution;
    }

    /** The model. */
    public LeaderAwareLqrProblem model() {
        return model;
    }
}
