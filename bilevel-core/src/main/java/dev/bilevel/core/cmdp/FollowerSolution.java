package dev.bilevel.core.cmdp;

/**
 * The result of a follower solve, solver-side: the Q-table a warm start can reuse, the Boltzmann policy and
 * soft value it implies, and how the solve went. What a leader may see of it is decided elsewhere (the
 * follower boundary in {@code bilevel-learn}); nothing here is leader-visible by itself.
 *
 * @param q the follower's Q-table {@code [s·A + a]} in the solver's convention (the reference
 *     schedule includes the current state's entropy bonus; policies are the same either way)
 * @param policy {@code π_F(a|s)} at {@code [s·A + a]}
 * @param softValue the soft value {@code V_F(s) = λ·log Σ_a exp(Q_F(s,a)/λ)} (in the solver's convention)
 * @param sweeps Bellman sweeps (or Newton steps) performed
 * @param residual the last sweep's largest value change
 * @param converged whether the tolerance was met (always true for a fixed schedule)
 */
public record FollowerSolution(double[] q, double[] policy, double[] softValue, int sweeps, double residual,
        boolean converged) {
}
