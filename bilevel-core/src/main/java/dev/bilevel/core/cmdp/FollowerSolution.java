package dev.bilevel.core.cmdp;

import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;

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

    /**
     * Writes a solution, or its absence, as checkpoint state.
     *
     * @param out where to write
     * @param solution the solution, or {@code null}
     */
    public static void write(StateWriter out, FollowerSolution solution) {
        out.writeBoolean(solution != null);
        if (solution != null) {
            out.writeDoubles(solution.q).writeDoubles(solution.policy).writeDoubles(solution.softValue)
                    .writeInt(solution.sweeps).writeDouble(solution.residual).writeBoolean(solution.converged);
        }
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @param in where to read
     * @return the solution, or {@code null}
     */
    public static FollowerSolution read(StateReader in) {
        if (!in.readBoolean()) {
            return null;
        }
        return new FollowerSolution(in.readDoubles(), in.readDoubles(), in.readDoubles(), in.readInt(),
                in.readDouble(), in.readBoolean());
    }
}
