package dev.bilevel.core.game;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.tabular.TabularDynamics;

/**
 * A tabular two-player Stackelberg Markov game: in every state the leader draws {@code b ~ π_θ(·|s)},
 * the follower observes {@code b} and draws {@code a ~ π_F(·|s,b)}, and the state moves by
 * {@code P(s'|s,b,a)}.
 *
 * <p>The dynamics are stored over joint actions {@code j = b·A + a}, so rows are
 * {@code s·(B·A) + b·A + a}; rewards use the same layout (the reward accessors return copies). The
 * follower is entropy-regularised with temperature {@code λ} and best-responds to the whole leader
 * policy.
 *
 * @param dynamics kernel over joint actions, terminal states, initial distribution
 * @param leaderActions {@code B}
 * @param followerActions {@code A}
 * @param followerReward {@code r_F[s][b][a]} flattened
 * @param leaderReward {@code r_L[s][b][a]} flattened
 * @param followerDiscount {@code γ_F ∈ [0,1)}
 * @param leaderDiscount {@code γ_L ∈ [0,1)}
 * @param temperature {@code λ > 0}
 * @param operator the follower's backup
 */
public record MarkovGame(TabularDynamics dynamics, int leaderActions, int followerActions, double[] followerReward,
        double[] leaderReward, double followerDiscount, double leaderDiscount, double temperature,
        FollowerOperator operator) {

    /** Validates shapes and constants, naming the problem-file field on failure. */
    public MarkovGame {
        if (leaderActions < 1 || followerActions < 1) {
            throw new IllegalArgumentException("transitions: need at least one leader and one follower action");
        }
        if (dynamics.actions() != leaderActions * followerActions) {
            throw new IllegalArgumentException("transitions: " + dynamics.actions() + " joint actions, expected "
                    + leaderActions + "×" + followerActions);
        }
        int rows = dynamics.states() * dynamics.actions();
        if (followerReward.length != rows) {
            throw new IllegalArgumentException("followerReward: expected " + rows + " entries, got "
                    + followerReward.length);
        }
        if (leaderReward.length != rows) {
            throw new IllegalArgumentException("leaderReward: expected " + rows + " entries, got "
                    + leaderReward.length);
        }
        checkFinite(followerReward, "followerReward");
        checkFinite(leaderReward, "leaderReward");
        ConfigurableMdp.checkDiscount(followerDiscount, "followerDiscount");
        ConfigurableMdp.checkDiscount(leaderDiscount, "leaderDiscount");
        ConfigurableMdp.checkTemperature(temperature);
        followerReward = followerReward.clone();
        leaderReward = leaderReward.clone();
    }

    private static void checkFinite(double[] values, String field) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(field + ": contains a non-finite value " + v);
            }
        }
    }

    /** A copy of {@code r_F} at {@code [s·B·A + b·A + a]}. */
    @Override
    public double[] followerReward() {
        return followerReward.clone();
    }

    /** A copy of {@code r_L} at {@code [s·B·A + b·A + a]}. */
    @Override
    public double[] leaderReward() {
        return leaderReward.clone();
    }

    /** {@code r_F} of one row {@code s·B·A + b·A + a}. */
    public double followerReward(int row) {
        return followerReward[row];
    }

    /** {@code r_L} of one row {@code s·B·A + b·A + a}. */
    public double leaderReward(int row) {
        return leaderReward[row];
    }

    /** Number of states. */
    public int states() {
        return dynamics.states();
    }

    /** Number of tabular leader-policy parameters {@code S·B} (one logit per state and leader action). */
    public int tabularLeaderDimension() {
        return states() * leaderActions;
    }

    /** The same game with another follower backup. */
    public MarkovGame withOperator(FollowerOperator other) {
        return new MarkovGame(dynamics, leaderActions, followerActions, followerReward, leaderReward,
                followerDiscount, leaderDiscount, temperature, other);
    }
}
