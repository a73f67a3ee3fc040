package dev.bilevel.learn.follower;

/**
 * Everything leader-side code ever receives from the follower: its policy (probabilities or samples), its soft
 * value, its temperature {@code λ} and its discount {@code γ_F}. Responses hold plain arrays, never a solver
 * object, and {@code λ} and {@code γ_F} live nowhere else on the leader side.
 *
 * <p>One kind per problem family: {@link TabularResponse} (configurable MDPs with finite states and actions),
 * {@link TabularGameResponse} (tabular Markov games), {@link GaussianResponse} (continuous configurable MDPs with a
 * linear-Gaussian follower) and {@link GaussianGameResponse} (continuous Markov games).
 */
public sealed interface FollowerResponse
        permits TabularResponse, TabularGameResponse, GaussianResponse, GaussianGameResponse {

    /** The follower's entropy temperature {@code λ} (the paper's {@code β} in the continuous tasks). */
    double temperature();

    /** The follower's discount {@code γ_F}. */
    double discount();
}
