package dev.bilevel.core.cmdp;

import dev.bilevel.core.lqr.SoftLqrProblem;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A configurable MDP with continuous states and actions whose <em>dynamics</em> the leader configures
 * (BuildingThermalControl): the leader's decision is a weight vector {@code w ∈ R^d}; the follower solves its
 * entropy-regularised control problem on the configured model; the leader knows its own parameterisation, so
 * it can evaluate {@code ∇_w log p(x'|x,u;w)} and {@code ∇_w f(x,u;w)} along sampled transitions.
 *
 * <p>Episodes have a fixed horizon and start from a fixed distribution. The follower's model is
 * linear-quadratic ({@link #followerModel}), which is all the soft LQR follower needs; a simulator may differ
 * from it in details the model ignores (state clipping, truncated noise).
 */
public interface ContinuousConfigurableMdp {

    /** @return the state dimension {@code n} */
    int stateDimension();

    /** @return the action dimension {@code m} */
    int actionDimension();

    /** @return the decision dimension {@code d} */
    int decisionDimension();

    /**
     * @return the sizes of the decision's parameter groups, in order, summing to {@link #decisionDimension()};
     *     groups are clipped and optimised separately
     */
    int[] decisionGroups();

    /** @return the number of transitions per episode */
    int horizon();

    /** @return {@code γ_F} */
    double followerDiscount();

    /** @return {@code γ_L} */
    double leaderDiscount();

    /** @return the follower's entropy weight {@code β} (the paper's {@code λ}) */
    double temperature();

    /**
     * @return names of the raw components that {@link Configured#leaderReward} reports, in order (for
     *     metrics)
     */
    List<String> leaderRewardComponents();

    /**
     * @param decision the leader's weights {@code w}, length {@link #decisionDimension()} (copied)
     * @return the MDP configured by {@code w}
     */
    Configured configure(double[] decision);

    /**
     * @param decision the leader's weights {@code w}
     * @return the follower's linear-quadratic model at {@code w}
     */
    default SoftLqrProblem followerModel(double[] decision) {
        return configure(decision).followerModel();
    }

    /**
     * The MDP at one decision. Methods write into caller-owned arrays and allocate nothing; they are
     * thread-safe as long as the callers' arrays and random streams are not shared.
     */
    interface Configured {

        /** @return a copy of the decision {@code w} */
        double[] decision();

        /** @return the follower's linear-quadratic model */
        SoftLqrProblem followerModel();

        /**
         * Draws an initial state.
         *
         * @param rng the random stream
         * @param x receives the state, length {@code n}
         */
        void reset(SplittableRandom rng, double[] x);

        /**
         * Draws a successor state (the simulator, not the follower's model).
         *
         * @param x the state
         * @param u the action
         * @param rng the random stream
         * @param next receives {@code x'}
         */
        void step(double[] x, double[] u, SplittableRandom rng, double[] next);

        /** @return the follower's reward {@code r_F(x,u)} */
        double followerReward(double[] x, double[] u);

        /**
         * @param x the state
         * @param u the action
         * @param components receives the raw components named by
         *     {@link ContinuousConfigurableMdp#leaderRewardComponents()}, or {@code null}
         * @return the leader's reward {@code f(x,u;w)}
         */
        double leaderReward(double[] x, double[] u, double[] components);

        /**
         * @param x the state
         * @param u the action
         * @param out receives {@code ∇_w f(x,u;w)}, length {@code d}
         */
        void leaderRewardGradient(double[] x, double[] u, double[] out);

        /**
         * The centre of the simulator's transition density (its mean before any noise truncation).
         *
         * @param x the state
         * @param u the action
         * @param out receives the mean, length {@code n}
         */
        void transitionMean(double[] x, double[] u, double[] out);

        /**
         * The transition score {@code ∇_w log p(x'|x,u;w)} of the simulator's density.
         *
         * @param x the state
         * @param u the action
         * @param next the successor state
         * @param out receives the score, length {@code d}
         */
        void transitionScore(double[] x, double[] u, double[] next, double[] out);

        /**
         * The vector–Jacobian product of the transition mean with respect to the decision,
         * {@code out = (∂μ(x,u;w)/∂w)ᵀ v = Σ_i v_i ∂μ_i/∂w} (zero where the mean is clipped). With Gaussian
         * noise of covariance {@code σ²I} the transition score is this product at {@code v = (x' − μ)/σ²}; with
         * {@code v = ∇_{x'} E[g(x')]} it is the exact gradient {@code ∇_w E[g(x')|x,u]} of a function's expectation
         * (for noise that does not depend on {@code w}).
         *
         * @param x the state
         * @param u the action
         * @param v the vector, length {@code n}
         * @param out receives the product, length {@code d}
         */
        void transitionMeanGradient(double[] x, double[] u, double[] v, double[] out);
    }
}
