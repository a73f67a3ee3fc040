package dev.bilevel.learn.follower.planning;

import dev.bilevel.core.game.GameFollowerSolution;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.game.SoftQIteration;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.TabularGameResponse;

/**
 * The follower of a tabular Markov game: soft Q-iteration re-run against each new leader policy,
 * warm-started from its previous table. It exposes only a {@link TabularGameResponse}
 * ({@code π_F(a|s,b)}, {@code W_F(s,b)}, {@code λ}, {@code γ_F}). It re-optimises only after the leader has
 * updated: its {@link #initialResponse} comes from {@code Q = 0} (uniform), as the reference's follower
 * answers during the leader's first iteration.
 *
 * <p>Behaviours:
 * <ul>
 *   <li>{@link Behaviour#REFERENCE}: sweeps until {@code max|ΔQ| ≤ 1e-6} or 1,000 sweeps (the first
 *       solve from zero stops at 1,000, a few 1e-3 from the fixed point);</li>
 *   <li>{@link Behaviour#EXACT}: sweeps then Newton steps to machine precision;</li>
 *   <li>{@link Behaviour#RESET_Q} / {@link Behaviour#CARRY_Q}: suboptimal, the table after {@code k}
 *       sweeps, starting from a fresh {@code N(0,1)} table every iteration or from the previous
 *       truncated table. The converged answer is kept for {@link #optimalResponse()} and
 *       {@link #optimalityGap()}.</li>
 * </ul>
 */
public final class TabularGameFollower implements Follower<double[], TabularGameResponse>, Stateful {

    /** How the follower answers. */
    public enum Behaviour {
        /** Tolerance 1e-6, at most 1,000 sweeps, warm-started. */
        REFERENCE,
        /** Converged to machine precision, warm-started. */
        EXACT,
        /** {@code k} sweeps from a fresh N(0,1) table each iteration. */
        RESET_Q,
        /** {@code k} sweeps from the previous truncated table. */
        CARRY_Q;



        /** Whether the leader trains against a truncated follower. */
        public boolean suboptimal() {
            return this == RESET_Q || this == CARRY_Q;
        }
    }

    private static final double KL_FLOOR = 1e-10;

    private final MarkovGame game;
    private final Behaviour behaviour;
    private final int stopSweeps;
    private final SplitMixRandom rng;
    private final SoftQIteration solver;
    private GameFollowerSolution current;
    private GameFollowerSolution optimal;
    private double optimalityGap = Double.NaN;

    /**
     * @param game the game the follower plans on
     * @param behaviour see {@link Behaviour}
     * @param stopSweeps {@code k} for the suboptimal behaviours (ignored otherwise)
     * @param rng randomness of the reset-Q tables
     */
    public TabularGameFollower(MarkovGame game, Behaviour behaviour, int stopSweeps, SplitMixRandom rng) {
        if (behaviour.suboptimal() && stopSweeps < 0) {
            throw new IllegalArgumentException("sweeps per answer must be ≥ 0, got " + stopSweeps);
        }
        this.game = game;
        this.behaviour = behaviour;
        this.stopSweeps = stopSweeps;
        this.rng = rng;
        this.solver = behaviour == Behaviour.EXACT ? SoftQIteration.exact() : SoftQIteration.reference();
        int rows = game.states() * game.leaderActions() * game.followerActions();
        double[] uniformLeader = new double[game.states() * game.leaderActions()];
        java.util.Arrays.fill(uniformLeader, 1.0 / game.leaderActions());
        current = new SoftQIteration(0.0, 0).solveFrom(game, uniformLeader, new double[rows]);
        optimal = current;
    }

    /** The answer from {@code Q = 0}, before any solve against the leader: uniform. */
    @Override
    public TabularGameResponse initialResponse(double[] leaderPolicy) {
        return response(game, current);
    }

    /**
     * Re-solves against a new leader policy and answers.
     *
     * @param leaderPolicy {@code π_θ(b|s)} at {@code [s·B + b]}
     * @throws ArithmeticException if the solve produces NaN
     */
    @Override
    public TabularGameResponse respond(double[] leaderPolicy) {
        update(leaderPolicy);
        return response(game, current);
    }

    /** How the follower answers. */
    public Behaviour behaviour() {
        return behaviour;
    }

    /** The converged best response to the last leader policy (equal to the response unless suboptimal). */
    public TabularGameResponse optimalResponse() {
        return response(game, optimal);
    }

    /**
     * The observable part of a follower solve on {@code game}: its policy and soft value {@code W_F}, with the
     * game's {@code λ} and {@code γ_F}.
     */
    public static TabularGameResponse response(MarkovGame game, GameFollowerSolution solution) {
        return new TabularGameResponse(game.states(), game.leaderActions(), game.followerActions(), solution.policy(),
                solution.softValue(), game.temperature(), game.followerDiscount());
    }

    /** The last solve (solver side: Q-table, sweeps, residual), for logging. */
    public GameFollowerSolution solution() {
        return current;
    }

    /** Mean over {@code (s,b)} of {@code KL(π_F ‖ π_F*)} after the last update; NaN unless suboptimal. */
    public double optimalityGap() {
        return optimalityGap;
    }

    /** Its last and its converged solve, and its random stream. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("TabularGameFollower").writeRandom(rng).writeDouble(optimalityGap);
        GameFollowerSolution.write(out, current);
        GameFollowerSolution.write(out, optimal == current ? null : optimal);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("TabularGameFollower").readRandom(rng);
        optimalityGap = in.readDouble();
        current = GameFollowerSolution.read(in);
        GameFollowerSolution converged = GameFollowerSolution.read(in);
        optimal = converged == null ? current : converged;
    }

    private void update(double[] leaderPolicy) {
        if (!behaviour.suboptimal()) {
            current = solver.solve(game, leaderPolicy, current);
            optimal = current;
            return;
        }
        double[] start = current.q().clone();
        if (behaviour == Behaviour.RESET_Q) {
            for (int i = 0; i < start.length; i++) {
                start[i] = rng.nextGaussian();
            }
        }
        SoftQIteration truncated = new SoftQIteration(1e-6, stopSweeps);
        GameFollowerSolution cut = truncated.solveFrom(game, leaderPolicy, start);
        optimal = new SoftQIteration(1e-6, Math.max(0, 1000 - cut.sweeps()))
                .solveFrom(game, leaderPolicy, cut.q().clone());
        current = cut;
        optimalityGap = meanKl(current.policy(), optimal.policy(), game.followerActions());
    }

    /**
     * Mean over {@code (s,b)} of {@code KL(p(·|s,b) ‖ q(·|s,b))}, each probability floored at {@code 1e-10} inside
     * the logarithms.
     *
     * @param p a follower policy at {@code [(s·B + b)·A + a]}
     * @param q another, of the same shape
     * @param na {@code A}
     * @return the mean KL
     */
    public static double meanKl(double[] p, double[] q, int na) {
        int pairs = p.length / na;
        double total = 0.0;
        for (int sb = 0; sb < pairs; sb++) {
            for (int a = 0; a < na; a++) {
                double pa = p[sb * na + a];
                total += pa * (Math.log(pa + KL_FLOOR) - Math.log(q[sb * na + a] + KL_FLOOR));
            }
        }
        return total / pairs;
    }
}
