package dev.bilevel.core.game;

import dev.bilevel.core.math.LogSumExp;

/** A tabular softmax leader policy {@code π_θ(b|s) = softmax(θ[s][·])_b}, logits flattened {@code [s·B + b]}. */
public final class TabularSoftmaxPolicy {

    private TabularSoftmaxPolicy() {
    }

    /** The probabilities {@code π_θ(b|s)} at {@code [s·B + b]}. */
    public static double[] probabilities(double[] logits, int states, int leaderActions) {
        if (logits.length != states * leaderActions) {
            throw new IllegalArgumentException("leaderLogits: expected " + states * leaderActions + " entries, got "
                    + logits.length);
        }
        double[] out = new double[logits.length];
        for (int s = 0; s < states; s++) {
            LogSumExp.softmax(logits, s * leaderActions, leaderActions, 1.0, out, s * leaderActions);
        }
        return out;
    }

    /**
     * Adds {@code Σ_s weight(s)·Σ_b ∇_θ π_θ(b|s)·u(s,b)} to {@code gradient}: the derivative of an
     * expectation under the softmax, {@code ∂/∂θ[s,b'] = weight(s)·π(b'|s)·(u(s,b') − Σ_b π(b|s)u(s,b))}.
     */
    public static void accumulateExpectationGradient(double[] probabilities, int states, int leaderActions,
            double[] weight, double[] u, double[] gradient) {
        for (int s = 0; s < states; s++) {
            if (weight[s] == 0.0) {
                continue;
            }
            int base = s * leaderActions;
            double mean = 0.0;
            for (int b = 0; b < leaderActions; b++) {
                mean += probabilities[base + b] * u[base + b];
            }
            for (int b = 0; b < leaderActions; b++) {
                gradient[base + b] += weight[s] * probabilities[base + b] * (u[base + b] - mean);
            }
        }
    }
}
