package dev.bilevel.learn.continuous;

import dev.bilevel.core.lqr.LeaderAwareLqrProblem;
import dev.bilevel.core.lqr.LeaderAwareLqrSolution;
import dev.bilevel.core.lqr.LeaderAwareMaxEntLqr;
import dev.bilevel.core.lqr.SoftLqrException;
import java.util.Objects;

/**
 * The follower of a linear-quadratic Markov game: the closed-form maximum-entropy LQR
 * ({@link LeaderAwareMaxEntLqr}), re-solved from scratch against the leader's current linear-Gaussian policy,
 * which it reads (the leader is white-box to this follower, as in the reference). The leader side sees only
 * {@link #response()}.
 */
public final class MaxEntLqrGameFollower {

    private final LeaderAwareLqrProblem model;
    private final LeaderAwareMaxEntLqr solver;
    private LeaderAwareLqrSolution solution;
    private LeaderAwareLqrResponse response;

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
    public void update(LinearGaussianPolicy leader) {
        solution = solver.solve(model, leader.gain(), leader.noise());
        response = new LeaderAwareLqrResponse(solution, model.temperature(), model.discount());
    }

    /** The latest solution ({@code null} before the first {@link #update}). */
    public LeaderAwareLqrSolution solution() {
        return solution;
    }

    /** What the leader observes ({@code null} before the first {@link #update}). */
    public ContinuousFollowerResponse response() {
        return response;
    }

    /** The model. */
    public LeaderAwareLqrProblem model() {
        return model;
    }
}
