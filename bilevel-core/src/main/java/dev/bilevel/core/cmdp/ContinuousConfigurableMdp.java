package dev.bilevel.core.cmdp;

import dev.bilevel.core.lqr.SoftLqrProblem;
import dev.bilevel.core.random.SplitMixRandom;

/**
 * A configurable MDP with continuous states and actions whose <em>dynamics</em> the leader configures
 * (BuildingThermalControl), as a whole: the environment that episodes are sampled from, the follower's model and
 * the leader's {@link DynamicsDesign}. The leader's decision is a weight vector {@code w ∈ R^d}; the follower solves
 * its entropy-regularised control problem on the configured model.
 *
 * <p>Episodes have a fixed horizon and start from a fixed distribution. The follower's model is
 * linear-quadratic ({@link #followerModel}), which is all the soft LQR follower needs; a simulator may differ
 * from it in details the model ignores (state clipping, truncated noise).
 */
public interface ContinuousConfigurableMdp extends DynamicsDesign {

    /** @return {@code γ_F} */
    double followerDiscount();

    /** @return the follower's entropy weight {@code β} (the paper's {@code λ}) */
    double temperature();

    /**
     * @param decision the leader's weights {@code w}, length {@link #decisionDimension()} (copied)
     * @return the MDP configured by {@code w}
     */
    Configured configure(double[] decision);

    /** The leader's model is the configured MDP's. */
    @Override
    default Model model(double[] decision) {
        return configure(decision);
    }

    /**
     * @param decision the leader's weights {@code w}
     * @return the follower's linear-quadratic model at {@code w}
     */
    default SoftLqrProblem followerModel(double[] decision) {
        return configure(decision).followerModel();
    }

    /**
     * The MDP at one decision: the leader's model, the environment and the follower's model. Methods write into
     * caller-owned arrays and allocate nothing; they are thread-safe as long as the callers' arrays and random
     * streams are not shared.
     */
    interface Configured extends Model {

        /** @return a copy of the decision {@code w} */
        double[] decision();

        /** @return the follower's linear-quadratic model */
        SoftLqrProblem followerModel();

        /** @return the covariance of the transition noise around {@link #transitionMean}, {@code n×n} row-major */
        default double[] transitionCovariance() {
            return followerModel().noiseCovariance().data.clone();
        }

        /**
         * Draws an initial state.
         *
         * @param rng the random stream
         * @param x receives the state, length {@code n}
         */
        void reset(SplitMixRandom rng, double[] x);

        /**
         * Draws a successor state (the simulator, not the follower's model).
         *
         * @param x the state
         * @param u the action
         * @param rng the random stream
         * @param next receives {@code x'}
         */
        void step(double[] x, double[] u, SplitMixRandom rng, double[] next);

        /** @return the follower's reward {@code r_F(x,u)} */
        double followerReward(double[] x, double[] u);
    }
}
