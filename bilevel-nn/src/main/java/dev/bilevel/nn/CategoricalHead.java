package dev.bilevel.nn;

import java.util.random.RandomGenerator;

/**
 * Row-wise categorical distributions given by unnormalised logits {@code [batch][k]} (row-major):
 * {@code p_ij = exp(z_ij) / Σ_l exp(z_il)}. Every routine is numerically stable (log-sum-exp shifted by the
 * row maximum) and allocation-free. A logit of {@code −∞} masks its category (probability 0, entropy
 * contribution 0); each row needs at least one finite logit.
 */
public final class CategoricalHead {

    private CategoricalHead() {
    }

    /** {@code log Σ_j exp(z_j)} for one row. */
    private static double logSumExp(double[] logits, int offset, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double z = logits[offset + j];
            if (z > max) {
                max = z;
            }
        }
        double sum = 0.0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(logits[offset + j] - max);
        }
        return max + Math.log(sum);
    }

    /**
     * {@code out[i][j] = log p_ij}.
     *
     * @param logits {@code [batch][k]}
     * @param batch rows
     * @param k categories per row
     * @param out {@code [batch][k]}, may be {@code logits} itself
     */
    public static void logSoftmax(double[] logits, int batch, int k, double[] out) {
        for (int i = 0; i < batch; i++) {
            int o = i * k;
            double lse = logSumExp(logits, o, k);
            for (int j = 0; j < k; j++) {
                out[o + j] = logits[o + j] - lse;
            }
        }
    }

    /**
     * {@code out[i][j] = p_ij}.
     *
     * @param logits {@code [batch][k]}
     * @param batch rows
     * @param k categories per row
     * @param out {@code [batch][k]}, may be {@code logits} itself
     */
    public static void probabilities(double[] logits, int batch, int k, double[] out) {
        for (int i = 0; i < batch; i++) {
            int o = i * k;
            double lse = logSumExp(logits, o, k);
            for (int j = 0; j < k; j++) {
                out[o + j] = Math.exp(logits[o + j] - lse);
            }
        }
    }

    /**
     * {@code out[i] = log p(actions[i])} for row {@code i}.
     *
     * @param logits {@code [batch][k]}
     * @param batch rows
     * @param k categories per row
     * @param actions {@code [batch]}, each in {@code [0, k)}
     * @param out {@code [batch]}
     */
    public static void logProb(double[] logits, int batch, int k, int[] actions, double[] out) {
        for (int i = 0; i < batch; i++) {
            int o = i * k;
            out[i] = logits[o + checkAction(actions[i], k)] - logSumExp(logits, o, k);
        }
    }

    /**
     * {@code gradLogits[i][j] += w_i·(1[j = a_i] − p_ij)}, the gradient of {@code Σ_i w_i log p(a_i)}.
     *
     * @param logits {@code [batch][k]}
     * @param batch rows
     * @param k categories per row
     * @param actions {@code [batch]}
     * @param weights {@code [batch]}, or {@code null} for all ones
     * @param gradLogits {@code [batch][k]}, accumulated into
     */
    public static void accumulateLogProbGradient(double[] logits, int batch, int k, int[] actions,
            double[] weights, double[] gradLogits) {
        for (int i = 0; i < batch; i++) {
            int o = i * k;
            double w = weights == null ? 1.0 : weights[i];
            double lse = logSumExp(logits, o, k);
            for (int j = 0; j < k; j++) {
                gradLogits[o + j] -= w * Math.exp(logits[o + j] - lse);
            }
            gradLogits[o + checkAction(actions[i], k)] += w;
        }
    }

    /**
     * {@code out[i] = H_i = −Σ_j p_ij log p_ij}.
     *
     * @param logits {@code [batch][k]}
     * @param batch rows
     * @param k categories per row
     * @param out {@code [batch]}
     */
    public static void entropy(double[] logits, int batch, int k, double[] out) {
        for (int i = 0; i < batch; i++) {
            out[i] = rowEntropy(logits, i * k, k, logSumExp(logits, i * k, k));
        }
    }

    private static double rowEntropy(double[] logits, int o, int k, double lse) {
        double h = 0.0;
        for (int j = 0; j < k; j++) {
            double logP = logits[o + j] - lse;
            double p = Math.exp(logP);
            if (p > 0.0) {
                h -= p * logP;
            }
        }
        return h;
    }

    /**
     * {@code gradLogits[i][j] += w_i·∂H_i/∂z_ij = −w_i·p_ij·(log p_ij + H_i)}.
     *
     * @param logits {@code [batch][k]}
     * @param batch rows
     * @param k categories per row
     * @param weights {@code [batch]}, or {@code null} for all ones
     * @param gradLogits {@code [batch][k]}, accumulated into
     */
    public static void accumulateEntropyGradient(double[] logits, int batch, int k, double[] weights,
            double[] gradLogits) {
        for (int i = 0; i < batch; i++) {
            int o = i * k;
            double w = weights == null ? 1.0 : weights[i];
            double lse = logSumExp(logits, o, k);
            double h = rowEntropy(logits, o, k, lse);
            for (int j = 0; j < k; j++) {
                double logP = logits[o + j] - lse;
                double p = Math.exp(logP);
                if (p > 0.0) {
                    gradLogits[o + j] -= w * p * (logP + h);
                }
            }
        }
    }

    /**
     * Draws a category of one row by inverse CDF on a single uniform draw.
     *
     * @param logits {@code [batch][k]}
     * @param row the row
     * @param k categories per row
     * @param rng the random source (one {@code nextDouble()})
     * @return the category, in {@code [0, k)}, never one of probability 0
     */
    public static int sample(double[] logits, int row, int k, RandomGenerator rng) {
        int o = row * k;
        double lse = logSumExp(logits, o, k);
        double u = rng.nextDouble();
        double cumulative = 0.0;
        int last = -1;
        for (int j = 0; j < k; j++) {
            double p = Math.exp(logits[o + j] - lse);
            if (p > 0.0) {
                cumulative += p;
                last = j;
                if (u < cumulative) {
                    return j;
                }
            }
        }
        return last; // rounding left the cumulative sum just below u
    }

    /**
     * @param logits {@code [batch][k]}
     * @param row the row
     * @param k categories per row
     * @return the most likely category of the row (the first on ties)
     */
    public static int mode(double[] logits, int row, int k) {
        int o = row * k;
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (logits[o + j] > logits[o + best]) {
                best = j;
            }
        }
        return best;
    }

    private static int checkAction(int action, int k) {
        if (action < 0 || action >= k) {
            throw new IllegalArgumentException("action " + action + " outside [0, " + k + ")");
        }
        return action;
    }
}
