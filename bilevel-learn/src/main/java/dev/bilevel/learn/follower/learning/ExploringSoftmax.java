package dev.bilevel.learn.follower.learning;

import dev.bilevel.core.math.LogSumExp;
import dev.bilevel.core.random.Categorical;
import dev.bilevel.core.random.SplitMixRandom;

/**
 * What the soft Q-learning followers share: they act by {@code (1 − ε)·softmax(Q/λ) + ε·uniform} over a row of their
 * flat table, and check the rates they are given ({@code ε} follows its {@link Exploration} schedule).
 */
final class ExploringSoftmax {

    private ExploringSoftmax() {
    }

    /**
     * Checks what every soft Q-learning follower is given, naming the config key.
     *
     * @throws IllegalArgumentException unless {@code α ∈ (0, 1]} and {@code u ≥ 1}
     */
    static void checkRates(double stepSize, int updatesPerStep) {
        if (!(stepSize > 0.0 && stepSize <= 1.0)) {
            throw new IllegalArgumentException("follower.learning_rate: must be in (0, 1], got " + stepSize);
        }
        if (updatesPerStep < 1) {
            throw new IllegalArgumentException("follower.updates_per_step: must be ≥ 1, got " + updatesPerStep);
        }
    }

    /**
     * Draws an action from the row {@code q[offset .. offset + n)}: uniformly with probability {@code ε}, else from
     * {@code softmax(row/λ)}.
     *
     * @param scratch at least {@code n} entries, overwritten
     */
    static int draw(double[] q, int offset, int n, double temperature, double exploration, double[] scratch,
            SplitMixRandom rng) {
        if (exploration > 0.0 && rng.nextDouble() < exploration) {
            return rng.nextInt(n);
        }
        LogSumExp.softmax(q, offset, n, temperature, scratch, 0);
        return Categorical.draw(scratch, 0, n, rng);
    }

    /**
     * The policy played in every row of a table of {@code rows × n}, exploration mixed in, and each row's soft value
     * {@code λ·log Σ exp(Q/λ)}.
     *
     * @param values receives the {@code rows} soft values
     * @return the policy, row-major like {@code q}
     */
    static double[] played(double[] q, int n, double temperature, double exploration, double[] values) {
        double[] policy = new double[q.length];
        double uniform = exploration / n;
        for (int r = 0; r < values.length; r++) {
            values[r] = LogSumExp.softmax(q, r * n, n, temperature, policy, r * n);
            for (int i = r * n, end = i + n; i < end; i++) {
                policy[i] = (1.0 - exploration) * policy[i] + uniform;
            }
        }
        return policy;
    }
}
