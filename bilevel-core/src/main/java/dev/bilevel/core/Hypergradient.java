package dev.bilevel.core;

/**
 * The leader's objective at its current decision and the gradient of that objective which accounts
 * for the follower's best response (the hypergradient), as a flat vector.
 *
 * @param objective the leader's objective {@code F(x)} or {@code J(θ)}
 * @param gradient the hypergradient {@code ∇F(x)}; for tabular leader policies {@code θ} flattened
 *     row-major {@code [s][b]}
 */
public record Hypergradient(double objective, double[] gradient) {
}
