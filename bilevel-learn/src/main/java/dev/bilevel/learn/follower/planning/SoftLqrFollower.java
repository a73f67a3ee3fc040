package dev.bilevel.learn.follower.planning;

import dev.bilevel.core.cmdp.ContinuousConfigurableMdp;
import dev.bilevel.core.lqr.SoftLqr;
import dev.bilevel.core.lqr.SoftLqrException;
import dev.bilevel.core.lqr.SoftLqrProblem;
import dev.bilevel.core.lqr.SoftLqrSolution;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.GaussianResponse;
import java.util.Objects;

/**
 * The follower of a continuous configurable MDP: it solves the soft LQR on its model of the MDP configured by the
 * leader's weights and answers with a {@link GaussianResponse}. By default (the reference) every solve starts from
 * {@code P = Q}; with {@code warmStart} it starts from its previous solution, which reaches the same fixed point
 * (to the tolerance) in fewer Riccati iterations when the leader moves a little.
 *
 * <p>A diverging Riccati iteration (the configured system is not stabilisable) is a {@link SoftLqrException};
 * running out of iterations is reported in {@link #lastSolution()} and the (unconverged) policy is used, as the
 * reference does.
 */
public final class SoftLqrFollower implements Follower<double[], GaussianResponse>, Stateful {

    private final ContinuousConfigurableMdp mdp;
    private final SoftLqr solver;
    private final boolean warmStart;
    private SoftLqrSolution last;

    /**
     * @param mdp the problem whose configured model the follower plans on
     * @param solver the Riccati solver (tolerance, iteration budget)
     * @param warmStart start each solve from the previous solution
     */
    public SoftLqrFollower(ContinuousConfigurableMdp mdp, SoftLqr solver, boolean warmStart) {
        this.mdp = Objects.requireNonNull(mdp, "mdp");
        this.solver = Objects.requireNonNull(solver, "solver");
        this.warmStart = warmStart;
    }

    /**
     * Solves against the MDP configured by {@code weights}.
     *
     * @param weights the leader's decision {@code w}
     * @return the observable response
     * @throws SoftLqrException when the Riccati iteration diverges
     */
    @Override
    public GaussianResponse respond(double[] weights) {
        SoftLqrProblem problem = mdp.followerModel(weights);
        SoftLqrSolution solution = solver.solve(problem, warmStart ? last : null);
        if (solution.status() == SoftLqrSolution.Status.DIVERGED) {
            throw new SoftLqrException(solution.describe());
        }
        last = solution;
        return response(solution, problem.temperature(), problem.discount());
    }

    /**
     * The observable part of a soft-LQR solution: its policy and value, copied.
     *
     * @param solution a solution
     * @param temperature {@code β}
     * @param discount {@code γ_F}
     * @return the response
     */
    public static GaussianResponse response(SoftLqrSolution solution, double temperature, double discount) {
        return new GaussianResponse(solution.stateDimension(), solution.actionDimension(), solution.gainArray(),
                solution.covarianceCholeskyArray(), solution.pArray(), solution.v(), temperature, discount);
    }

    /** Its last solution, the next solve's warm start. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("SoftLqrFollower");
        SoftLqrSolution.write(out, last);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("SoftLqrFollower");
        last = SoftLqrSolution.read(in);
    }

    /** @return the last solution (diagnostics: iterations, status), or {@code null} before the first solve */
    public SoftLqrSolution lastSolution() {
        return last;
    }
}
