package dev.bilevel.learn.thermal;

import dev.bilevel.core.cmdp.ContinuousConfigurableMdp;
import dev.bilevel.core.lqr.SoftLqr;
import dev.bilevel.core.lqr.SoftLqrProblem;
import dev.bilevel.core.lqr.SoftLqrSolution;

/**
 * The follower of a continuous configurable MDP: it solves the soft LQR on its model of the configured MDP
 * and answers with an {@link LqrFollowerResponse}. By default (the reference) every solve starts from
 * {@code P = Q}; with {@code warmStart} it starts from its previous solution, which reaches the same fixed point
 * (to the tolerance) in fewer Riccati iterations when the leader moves a little.
 *
 * <p>A diverging Riccati iteration (the configured system is not stabilisable) is a
 * {@link dev.bilevel.core.lqr.SoftLqrException}; running out of iterations is reported in
 * {@link #lastSolution()} and the (unconverged) policy is used, as the reference does.
 */
public final class SoftLqrFollower {

    private final SoftLqr solver;
    private final boolean warmStart;
    private SoftLqrSolution last;

    /**
     * @param solver the Riccati solver (tolerance, iteration budget)
     * @param warmStart start each solve from the previous solution
     */
    public SoftLqrFollower(SoftLqr solver, boolean warmStart) {
        this.solver = solver;
        this.warmStart = warmStart;
    }

    /**
     * Solves against the configured MDP.
     *
     * @param mdp the configured MDP
     * @return the observable response
     * @throws dev.bilevel.core.lqr.SoftLqrException when the Riccati iteration diverges
     */
    public LqrFollowerResponse respond(ContinuousConfigurableMdp.Configured mdp) {
        SoftLqrProblem problem = mdp.followerModel();
        SoftLqrSolution solution = solver.solve(problem, warmStart ? last : null);
        if (solution.status() == SoftLqrSolution.Status.DIVERGED) {
            throw new dev.bilevel.core.lqr.SoftLqrException(solution.describe());
        }
        last = solution;
        return new LqrFollowerResponse(solution, problem.temperature(), problem.discount());
    }

    /** @return the last solution (diagnostics: iterations, status), or {@code null} before the first solve */
    public SoftLqrSolution lastSolution() {
        return last;
    }
}
