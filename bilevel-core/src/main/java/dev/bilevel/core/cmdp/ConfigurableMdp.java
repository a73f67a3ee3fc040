package dev.bilevel.core.cmdp;

import dev.bilevel.core.tabular.TabularDynamics;

/**
 * A tabular configurable MDP: the follower's MDP whose reward the leader configures through its
 * decision {@code x}, with the leader's own reward on the same state-action pairs.
 *
 * <p>The follower maximises {@code E Σ_t γ_F^t (r_F(s_t,a_t;x) + λ·H(π(·|s_t)))}; its unique optimum is
 * the Boltzmann policy {@code softmax(Q_F/λ)}. The leader's objective is
 * {@code F(x) = E Σ_t γ_L^t f(s_t,a_t;x)} under that best response.
 *
 * @param dynamics states, actions, kernel, terminal states and initial distribution
 * @param followerReward {@code r_F(s,a;x)}
 * @param leaderReward {@code f(s,a;x)}
 * @param followerDiscount {@code γ_F ∈ [0,1)}
 * @param leaderDiscount {@code γ_L ∈ [0,1)}
 * @param temperature follower entropy temperature {@code λ > 0}
 */
public record ConfigurableMdp(TabularDynamics dynamics, ParametricReward followerReward,
        ParametricReward leaderReward, double followerDiscount, double leaderDiscount, double temperature) {

    /** Validates shapes and constants, naming the problem-file field on failure. */
    public ConfigurableMdp {
        checkDiscount(followerDiscount, "followerDiscount");
        checkDiscount(leaderDiscount, "leaderDiscount");
        checkTemperature(temperature);
        checkShape(followerReward, dynamics, "followerReward");
        checkShape(leaderReward, dynamics, "leaderReward");
        if (followerReward.dimension() != leaderReward.dimension()) {
            throw new IllegalArgumentException("leaderReward: depends on " + leaderReward.dimension()
                    + " parameters but the follower reward on " + followerReward.dimension());
        }
    }

    /** What the leader knows of this problem: {@code ∂r_F/∂x}, its own reward and {@code γ_L}. */
    public RewardDesign rewardDesign() {
        return new RewardDesign(followerReward, leaderReward, leaderDiscount);
    }

    /** Dimension {@code d} of the leader's decision. */
    public int dimension() {
        return followerReward.dimension();
    }

    /** Number of states. */
    public int states() {
        return dynamics.states();
    }

    /** Number of actions. */
    public int actions() {
        return dynamics.actions();
    }

    static void checkShape(ParametricReward reward, TabularDynamics dynamics, String field) {
        if (reward.states() != dynamics.states() || reward.actions() != dynamics.actions()) {
            throw new IllegalArgumentException(field + ": shape " + reward.states() + "×" + reward.actions()
                    + " does not match " + dynamics.states() + " states × " + dynamics.actions() + " actions");
        }
    }

    /** Rejects a discount outside {@code [0,1)}, naming {@code field}. */
    public static void checkDiscount(double discount, String field) {
        if (!(discount >= 0.0 && discount < 1.0)) {
            throw new IllegalArgumentException(field + ": " + discount + " is outside [0, 1)");
        }
    }

    /** Rejects a temperature that is not a finite positive number. */
    public static void checkTemperature(double temperature) {
        if (!(temperature > 0.0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature: " + temperature + " must be a finite number > 0");
        }
    }
}
