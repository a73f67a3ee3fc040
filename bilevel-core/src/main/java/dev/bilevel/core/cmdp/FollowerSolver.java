package dev.bilevel.core.cmdp;

import dev.bilevel.core.tabular.TabularDynamics;

/** Computes the follower's entropy-regularised best response to a reward table. */
public interface FollowerSolver {

    /**
     * Solves the follower's problem.
     *
     * @param reward {@code r_F(s,a)} at the leader's current decision, {@code [s·A + a]}
     * @param warmStart a previous solution to start from, or {@code null} for a cold start
     */
    FollowerSolution solve(TabularDynamics dynamics, double[] reward, double discount, double temperature,
            FollowerSolution warmStart);
}
