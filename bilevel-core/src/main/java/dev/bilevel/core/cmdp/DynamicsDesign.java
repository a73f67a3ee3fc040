package dev.bilevel.core.cmdp;

import java.util.List;

/**
 * What a leader that designs the dynamics of a continuous configurable MDP knows (BuildingThermalControl): how its
 * weights {@code w ∈ R^d} enter the transition model and its own reward, so that it can evaluate
 * {@code ∇_w log p(x'|x,u;w)} and {@code ∇_w f(x,u;w)} along sampled transitions. Nothing of the follower: not its
 * reward, its model or its discount.
 */
public interface DynamicsDesign {

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

    /** @return {@code γ_L} */
    double leaderDiscount();

    /**
     * @return names of the raw components that {@link Model#leaderReward} reports, in order (for metrics)
     */
    List<String> leaderRewardComponents();

    /**
     * @param decision the leader's weights {@code w} (copied)
     * @return the leader's model at {@code w}
     */
    Model model(double[] decision);

    /**
     * A view that forwards this interface's methods (and its models' methods) and nothing else, so that a leader
     * handed the whole configurable MDP holds only what it may know: no cast reaches the follower's model.
     *
     * @param design the design, or the configurable MDP that implements it
     * @return {@code design} if it is already such a view, else a view of it
     */
    static DynamicsDesign view(DynamicsDesign design) {
        return design instanceof DynamicsDesignView ? design : new DynamicsDesignView(design);
    }

    /**
     * The leader's model at one decision. Methods write into caller-owned arrays and allocate nothing; they are
     * thread-safe as long as the callers' arrays are not shared.
     */
    interface Model {

        /**
         * @param x the state
         * @param u the action
         * @param components receives the raw components named by {@link DynamicsDesign#leaderRewardComponents()},
         *     or {@code null}
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
         * The centre of the transition density (its mean before any noise truncation).
         *
         * @param x the state
         * @param u the action
         * @param out receives the mean, length {@code n}
         */
        void transitionMean(double[] x, double[] u, double[] out);

        /**
         * The transition score {@code ∇_w log p(x'|x,u;w)} of the transition density.
         *
         * @param x the state
         * @param u the action
         * @param next the successor state
         * @param out receives the score, length {@code d}
         */
        void transitionScore(double[] x, double[] u, double[] next, double[] out);

        /**
         * The vector–Jacobian product of the transition mean with respect to the decision,
         * {@code out = (∂μ(x,u;w)/∂w)ᵀ v = Σ_i v_i ∂μ_i/∂w} (zero where the mean is clipped). With Gaussian noise of
         * covariance {@code σ²I} the transition score is this product at {@code v = (x' − μ)/σ²}; with
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
