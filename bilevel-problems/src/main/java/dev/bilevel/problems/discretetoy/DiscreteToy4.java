package dev.bilevel.problems.discretetoy;

import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.tabular.TabularDynamics;

/**
 * DiscreteToy4 (R1 and R2), the reference's discrete Stackelberg Markov game where a myopic leader
 * gradient walks the follower off a cliff.
 *
 * <p>States S, A, B (start S); leader actions 0, 1; follower actions s, a, b; deterministic moves;
 * horizon 150, no termination. The leader earns 1 each time the follower goes S→A. The follower
 * earns 1 for S→A and S→B, {@code R} for A→B when the leader plays 0 at A, and −1 at A when the
 * leader plays 1 (which sends it back to S). The leader's action matters only in state A, so its
 * policy is summarised by {@code p0 = π(0|A)}. {@code γ_L = γ_F = 0.99}, {@code λ = 0.05}.
 */
public final class DiscreteToy4 {

    /** State S (start). */
    public static final int S = 0;
    /** State A, the only state where the leader's action matters. */
    public static final int A = 1;
    /** State B. */
    public static final int B = 2;
    /** Episode length of the reference environment. */
    public static final int HORIZON = 150;
    /** Discount of both players. */
    public static final double DISCOUNT = 0.99;
    /** Follower temperature. */
    public static final double TEMPERATURE = 0.05;

    private static final int STATES = 3;
    private static final int LEADER_ACTIONS = 2;
    private static final int FOLLOWER_ACTIONS = 3;

    /** The two reward variants. */
    public enum Variant {
        /** {@code R = 1}: uniform leader initialisation starts in the flat region (leader return ≈ 0). */
        R1(1.0),
        /** {@code R = 2}: uniform initialisation starts near the optimum (≈ 59 undiscounted). */
        R2(2.0);

        private final double reward;

        Variant(double reward) {
            this.reward = reward;
        }

        /** The follower's reward {@code R} for A→B. */
        public double reward() {
            return reward;
        }
    }

    private DiscreteToy4() {
    }

    /** The game for a variant with the given follower backup (the reference uses {@code AVERAGED}). */
    public static MarkovGame game(Variant variant, FollowerOperator operator) {
        int joint = LEADER_ACTIONS * FOLLOWER_ACTIONS;
        double[] dense = new double[STATES * joint * STATES];
        double[] rf = new double[STATES * joint];
        double[] rl = new double[STATES * joint];
        for (int s = 0; s < STATES; s++) {
            for (int b = 0; b < LEADER_ACTIONS; b++) {
                for (int a = 0; a < FOLLOWER_ACTIONS; a++) {
                    int row = s * joint + b * FOLLOWER_ACTIONS + a;
                    dense[row * STATES + next(s, b, a)] = 1.0;
                    rf[row] = followerReward(s, b, a, variant.reward());
                    rl[row] = s == S && a == A ? 1.0 : 0.0;
                }
            }
        }
        double[] initial = {1.0, 0.0, 0.0};
        TabularDynamics dynamics = TabularDynamics.fromDense(STATES, joint, dense, "transitions",
                new boolean[STATES], initial);
        return new MarkovGame(dynamics, LEADER_ACTIONS, FOLLOWER_ACTIONS, rf, rl, DISCOUNT, DISCOUNT, TEMPERATURE,
                operator);
    }

    private static int next(int s, int b, int a) {
        switch (s) {
            case S:
                return a; // s→S, a→A, b→B
            case A:
                if (b == 1) {
                    return S;
                }
                return a == 0 ? S : a == 1 ? A : B;
            default:
                return a == 0 ? S : B;
        }
    }

    private static double followerReward(int s, int b, int a, double r) {
        if (s == S) {
            return a == 0 ? 0.0 : 1.0;
        }
        if (s == A) {
            if (b == 1) {
                return -1.0;
            }
            return a == 2 ? r : 0.0;
        }
        return 0.0;
    }

    /** Leader probabilities {@code π(b|s)} with {@code π(0|A) = p0} and uniform elsewhere. */
    public static double[] leaderPolicy(double p0) {
        if (!(p0 >= 0.0 && p0 <= 1.0)) {
            throw new IllegalArgumentException("p0: " + p0 + " is outside [0, 1]");
        }
        return new double[] {0.5, 0.5, p0, 1.0 - p0, 0.5, 0.5};
    }
}
