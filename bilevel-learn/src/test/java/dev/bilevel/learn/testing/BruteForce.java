package dev.bilevel.learn.testing;

import dev.bilevel.learn.sampling.TabularBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Explicit, deliberately naive computations on a batch, written independently of the main code's
 * scans: episodes as row lists, tail sums as d-vectors formed step by step, every-visit means by
 * direct loops. The estimators' weight-table tricks must agree with these.
 */
public final class BruteForce {

    private BruteForce() {
    }

    /** The used rows of the batch, split into episodes (a segment ends after a done row or at the stream's end). */
    public static List<int[]> episodes(TabularBatch batch) {
        List<int[]> out = new ArrayList<>();
        for (int e = 0; e < batch.streams(); e++) {
            List<Integer> current = new ArrayList<>();
            for (int k = 0; k < batch.streamLength(e); k++) {
                int i = e * batch.length() + k;
                current.add(i);
                if (batch.terminated()[i] || batch.truncated()[i]) {
                    out.add(current.stream().mapToInt(Integer::intValue).toArray());
                    current = new ArrayList<>();
                }
            }
            if (!current.isEmpty()) {
                out.add(current.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return out;
    }

    /** All used rows, in stream order. */
    public static int[] usedRows(TabularBatch batch) {
        return episodes(batch).stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    /** The per-(s,a) vector {@code table[(s·A + a)·d + j]} read at row {@code i}. */
    public static double[] at(TabularBatch batch, int i, double[] table, int actions, int d) {
        double[] v = new double[d];
        int row = batch.states()[i] * actions + batch.actions()[i];
        System.arraycopy(table, row * d, v, 0, d);
        return v;
    }

    /**
     * Tail sums {@code G_t = Σ_{k ≥ t in t's episode} γ^{k−t} g(s_k,a_k)}, each formed explicitly as a
     * d-vector; indexed by row ({@code null} for unused rows).
     */
    public static double[][] tails(TabularBatch batch, double[] gradientTable, int actions, int d, double gamma) {
        double[][] out = new double[batch.size()][];
        for (int[] episode : episodes(batch)) {
            for (int t = 0; t < episode.length; t++) {
                double[] g = new double[d];
                for (int k = t; k < episode.length; k++) {
                    double w = Math.pow(gamma, k - t);
                    double[] gk = at(batch, episode[k], gradientTable, actions, d);
                    for (int j = 0; j < d; j++) {
                        g[j] += w * gk[j];
                    }
                }
                out[episode[t]] = g;
            }
        }
        return out;
    }

    /** Scalar discounted returns to the episode's end, by explicit sums. */
    public static double[] returns(TabularBatch batch, double[] rowRewards, double gamma) {
        double[] out = new double[batch.size()];
        for (int[] episode : episodes(batch)) {
            for (int t = 0; t < episode.length; t++) {
                double sum = 0.0;
                for (int k = t; k < episode.length; k++) {
                    sum += Math.pow(gamma, k - t) * rowRewards[episode[k]];
                }
                out[episode[t]] = sum;
            }
        }
        return out;
    }

    /** Every-visit mean by (s,a) of per-row d-vectors, read back at each row. */
    public static double[][] meanByPair(TabularBatch batch, double[][] perRow, int actions) {
        int[] used = usedRows(batch);
        double[][] out = new double[batch.size()][];
        for (int i : used) {
            int d = perRow[i].length;
            double[] sum = new double[d];
            int count = 0;
            for (int u : used) {
                if (batch.states()[u] == batch.states()[i] && batch.actions()[u] == batch.actions()[i]) {
                    for (int j = 0; j < d; j++) {
                        sum[j] += perRow[u][j];
                    }
                    count++;
                }
            }
            for (int j = 0; j < d; j++) {
                sum[j] /= count;
            }
            out[i] = sum;
        }
        return out;
    }

    /** Every-visit mean by state of per-row d-vectors, read back at each row. */
    public static double[][] meanByState(TabularBatch batch, double[][] perRow) {
        int[] used = usedRows(batch);
        double[][] out = new double[batch.size()][];
        for (int i : used) {
            int d = perRow[i].length;
            double[] sum = new double[d];
            int count = 0;
            for (int u : used) {
                if (batch.states()[u] == batch.states()[i]) {
                    for (int j = 0; j < d; j++) {
                        sum[j] += perRow[u][j];
                    }
                    count++;
                }
            }
            for (int j = 0; j < d; j++) {
                sum[j] /= count;
            }
            out[i] = sum;
        }
        return out;
    }

    /** Wraps a scalar per-row array as 1-vectors (for the mean helpers). */
    public static double[][] column(TabularBatch batch, double[] values) {
        double[][] out = new double[batch.size()][];
        for (int i : usedRows(batch)) {
            out[i] = new double[] {values[i]};
        }
        return out;
    }

    /** {@code Σ_rows c_i·v_i} over used rows. */
    public static double[] weightedSum(TabularBatch batch, double[] c, double[][] v, int d) {
        double[] out = new double[d];
        for (int i : usedRows(batch)) {
            for (int j = 0; j < d; j++) {
                out[j] += c[i] * v[i][j];
            }
        }
        return out;
    }
}
