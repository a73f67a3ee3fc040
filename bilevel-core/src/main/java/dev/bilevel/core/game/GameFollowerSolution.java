package dev.bilevel.core.game;

import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;

/**
 * A game follower solve, solver-side: the Q-table {@code Q_F[s][b][a]} a warm start reuses, the state
 * values of the chosen backup, the Boltzmann policy and the soft value after seeing the leader's action.
 *
 * @param q {@code Q_F} at {@code [s·B·A + b·A + a]}
 * @param stateValue {@code V_F(s)} under the solver's backup
 * @param policy {@code π_F(a|s,b)} at {@code [s·B·A + b·A + a]}
 * @param softValue {@code W_F(s,b) = λ·log Σ_a exp(Q_F(s,b,a)/λ)} at {@code [s·B + b]}
 * @param sweeps sweeps performed
 * @param residual last sweep's {@code max |ΔQ|}
 * @param converged whether the tolerance was met
 */
public record GameFollowerSolution(double[] q, double[] stateValue, double[] policy, double[] softValue, int sweeps,
        double residual, boolean converged) {

    /**
     * Writes a solution, or its absence, as checkpoint state.
     *
     * @param out where to write
     * @param solution the solution, or {@code null}
     */
    public static void write(StateWriter out, GameFollowerSolution solution) {
        out.writeBoolean(solution != null);
        if (solution != null) {
            out.writeDoubles(solution.q).writeDoubles(solution.stateValue).writeDoubles(solution.policy)
                    .writeDoubles(solution.softValue).writeInt(solution.sweeps).writeDouble(solution.residual)
                    .writeBoolean(solution.converged);
        }
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @param in where to read
     * @return the solution, or {@code null}
     */
    public static GameFollowerSolution read(StateReader in) {
        if (!in.readBoolean()) {
            return null;
        }
        return new GameFollowerSolution(in.readDoubles(), in.readDoubles(), in.readDoubles(), in.readDoubles(),
                in.readInt(), in.readDouble(), in.readBoolean());
    }
}
