package dev.bilevel.core.game;

/**
 * A game follower solve, solver-side: the Q-table {@code Q_F[s][b][a]} a warm start reuses, the state
 * values of the chosen backup, and the observable {@link GameFollowerResponse}.
 *
 * @param q {@code Q_F} at {@code [s·B·A + b·A + a]}
 * @param stateValue {@code V_F(s)} under the solver's backup
 * @param response what the leader sees
 * @param sweeps sweeps performed
 * @param residual last sweep's {@code max |ΔQ|}
 * @param converged whether the tolerance was met
 */
public record GameFollowerSolution(double[] q, double[] stateValue, GameFollowerResponse response, int sweeps,
        double residual, boolean converged) {
}
