package dev.bilevel.core.cmdp;

/**
 * The full result of a follower solve, solver-side: the Q-table a warm start can reuse, plus the
 * {@link FollowerResponse} that is all the leader gets to see.
 *
 * @param q the follower's Q-table {@code [s·A + a]} in the solver's convention (the reference
 *     schedule includes the current state's entropy bonus; policies are the same either way)
 * @param response the observable outcome
 * @param sweeps Bellman sweeps performed
 * @param residual the last sweep's largest value change
 * @param converged whether the tolerance was met (always true for a fixed schedule)
 */
public record FollowerSolution(double[] q, FollowerResponse response, int sweeps, double residual,
        boolean converged) {

    /** The follower's policy {@code π_F(a|s)} at {@code [s·A + a]}. */
    public double[] policy() {
        return response.policy();
    }

    /** The follower's soft value {@code V_F(s)}. */
    public double[] softValue() {
        return response.softValue();
    }
}
