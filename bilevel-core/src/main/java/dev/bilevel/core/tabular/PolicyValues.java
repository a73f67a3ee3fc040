package dev.bilevel.core.tabular;

/**
 * Exact values of a fixed policy: state values {@code V[s]} and action values {@code Q[s·A + a]}.
 *
 * @param stateValues {@code V(s)}
 * @param actionValues {@code Q(s,a)}, row-major
 */
public record PolicyValues(double[] stateValues, double[] actionValues) {
}
