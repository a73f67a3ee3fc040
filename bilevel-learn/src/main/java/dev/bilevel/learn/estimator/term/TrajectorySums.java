package dev.bilevel.learn.estimator.term;

import dev.bilevel.learn.estimator.BoltzmannCovariance;
import dev.bilevel.learn.sampling.TabularBatch;

/**
 * Scalar scans over a {@link TabularBatch} that the tabular Monte-Carlo hypergradient terms are built from.
 * Every estimator there is linear in the per-step reward gradients {@code ∇_x r(s_k,a_k)}, so instead of forming
 * a {@code d}-vector per sample it computes one scalar weight per row and contracts a weight table
 * {@code W(s,a)} with the reward's Jacobian once ({@link dev.bilevel.core.cmdp.RewardJacobian#accumulateGradient}):
 * the cost per sample does not depend on the leader's dimension {@code d}. Tail sums go through
 * {@link dev.bilevel.learn.estimator.BoltzmannCovariance#forward}, via {@link #accumulateTails}.
 */
public final class TrajectorySums {

    private TrajectorySums() {
    }

    /**
     * Adds {@code c_k} to {@code table[s_k·A + a_k]} for every row, where {@code c_k = α_k + γ·c_{k−1}}
     * while the episode continues: {@code Σ_t α_t·G_t} expressed as weights on each step's gradient.
     */
    public static void accumulateTails(TabularBatch batch, double[] alpha, double discount, int actions,
            double[] table) {
        int[] states = batch.states();
        int[] acts = batch.actions();
        BoltzmannCovariance.forward(batch, alpha, discount, 0, (i, c) -> table[states[i] * actions + acts[i]] += c);
    }

    /** Discounted returns to the end of each episode or the batch: {@code R_k = r_k + γ·R_{k+1}}. */
    public static double[] returns(TabularBatch batch, double[] rowRewards, double discount) {
        double[] out = new double[batch.size()];
        int length = batch.length();
        for (int e = 0; e < batch.streams(); e++) {
            int start = e * length;
            for (int i = start + batch.streamLength(e) - 1; i >= start; i--) {
                out[i] = rowRewards[i] + (batch.hasSuccessor(i) ? discount * out[i + 1] : 0.0);
            }
        }
        return out;
    }

    /** {@code table[s_i·A + a_i]} looked up for every row. */
    public static double[] rowValues(TabularBatch batch, double[] table, int actions) {
        double[] out = new double[batch.size()];
        forEachRow(batch, i -> out[i] = table[batch.states()[i] * actions + batch.actions()[i]]);
        return out;
    }

    /**
     * The centred critic value of every row, {@code Q(s_i,a_i) − Σ_a π(a|s_i) Q(s_i,a)}: the leader's
     * advantage of the follower's action under the observed follower policy (BC-HG's "benefit").
     */
    public static double[] centredRowValues(TabularBatch batch, double[] q, double[] policy, int actions) {
        double[] out = new double[batch.size()];
        forEachRow(batch, i -> {
            int s = batch.states()[i];
            double v = 0.0;
            for (int a = 0; a < actions; a++) {
                v += policy[s * actions + a] * q[s * actions + a];
            }
            out[i] = q[s * actions + batch.actions()[i]] - v;
        });
        return out;
    }

    /**
     * Every-visit averaging by state-action pair: each row gets the mean of {@code values} over the
     * batch rows with its {@code (s,a)}.
     */
    public static double[] meanByStateAction(TabularBatch batch, double[] values, int states, int actions) {
        double[] sum = new double[states * actions];
        int[] count = new int[states * actions];
        forEachRow(batch, i -> {
            int key = batch.states()[i] * actions + batch.actions()[i];
            sum[key] += values[i];
            count[key]++;
        });
        double[] out = new double[batch.size()];
        forEachRow(batch, i -> {
            int key = batch.states()[i] * actions + batch.actions()[i];
            out[i] = sum[key] / count[key];
        });
        return out;
    }

    /** Every-visit averaging by state: each row gets the mean of {@code values} over rows with its state. */
    public static double[] meanByState(TabularBatch batch, double[] values, int states) {
        double[] sum = new double[states];
        int[] count = new int[states];
        forEachRow(batch, i -> {
            sum[batch.states()[i]] += values[i];
            count[batch.states()[i]]++;
        });
        double[] out = new double[batch.size()];
        forEachRow(batch, i -> out[i] = sum[batch.states()[i]] / count[batch.states()[i]]);
        return out;
    }

    /** {@code γ^{τ_i}} for every row. */
    public static double[] discountWeights(TabularBatch batch, double discount) {
        int maxTime = 0;
        for (int t : batch.times()) {
            maxTime = Math.max(maxTime, t);
        }
        double[] powers = new double[maxTime + 1];
        powers[0] = 1.0;
        for (int t = 1; t <= maxTime; t++) {
            powers[t] = powers[t - 1] * discount;
        }
        double[] out = new double[batch.size()];
        forEachRow(batch, i -> out[i] = powers[batch.times()[i]]);
        return out;
    }

    /** The index of every used row, stream by stream: the samples of an estimation pass. */
    public static int[] usedRows(TabularBatch batch) {
        int[] rows = new int[batch.usedRows()];
        int[] next = {0};
        forEachRow(batch, i -> rows[next[0]++] = i);
        return rows;
    }

    /** Calls {@code action} with the index of every used row, stream by stream. */
    public static void forEachRow(TabularBatch batch, java.util.function.IntConsumer action) {
        int length = batch.length();
        for (int e = 0; e < batch.streams(); e++) {
            for (int i = e * length, end = i + batch.streamLength(e); i < end; i++) {
                action.accept(i);
            }
        }
    }
}
