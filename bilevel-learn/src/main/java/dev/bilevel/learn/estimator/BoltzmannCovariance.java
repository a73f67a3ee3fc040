package dev.bilevel.learn.estimator;

import dev.bilevel.learn.sampling.Episodes;
import dev.bilevel.learn.sampling.Futures;

/**
 * BC-HG's covariance kernel: the follower-response term
 *
 * <pre>
 * (1/λ)·E[(Q_L − V_L)(s,a)·∇Q_F(s,a)]  ≈  Σ_i α_i · Σ_{k ≥ i + first} γ_F^{k−i} D_k,
 *     α_i = w_i·(Q̂_L − E_{a'∼π_F} Q̂_L)(s_i,a_i) / (λ·N)     the benefit of sample i, weighted
 *     D_k = the derivative, at step k of the sample's own future, of what the leader controls
 * </pre>
 *
 * ({@code D_k} is {@code ∇_x r_F(s_k,a_k)} when the leader designs the follower's reward,
 * {@code ∇_w log p(s_{k+1}|s_k,a_k)·V_F(s_{k+1})} when it designs the dynamics, and
 * {@code ∇_θ log π_θ(b_k|s_k)·W_F(s_k,b_k)} when it plays a policy). Only the discounted tail, the part every family
 * shares, is computed here; the family supplies {@code α} (its benefit, in its own arithmetic) and the
 * contraction with {@code D} (a callback), so that the cost per sample never depends on the dimension of the
 * decision. Three equivalent traversals serve three data layouts:
 *
 * <ul>
 *   <li>{@link #forward} over on-policy episodes: {@code Σ_i α_i T_i = Σ_k c_k D_k} with {@code c_k = α_k +
 *       γ·c_{k−1}} inside an episode, one pass, one weight per row;</li>
 *   <li>{@link #backward} over on-policy episodes when {@code D} is a dense vector per row: the tails
 *       {@code T_r = Σ_{k≥r} γ^{k−r} D_k} themselves, for estimators that weight them per row;</li>
 *   <li>{@link #walk} from one replayed sample through its stored episode future.</li>
 * </ul>
 */
public final class BoltzmannCovariance {

    private BoltzmannCovariance() {
    }

    /** Receives the weight of the derivative at one row (or slot). */
    @FunctionalInterface
    public interface RowSink {
        /**
         * @param row the row whose derivative {@code D_row} is weighted
         * @param weight its coefficient: {@code c_row} ({@link #forward}) or {@code γ^{row−i}} ({@link #walk})
         */
        void add(int row, double weight);
    }

    /**
     * The adjoint form over contiguous episodes: calls {@code sink.add(k, c_k)} for every row, where
     * {@code Σ_k c_k D_k = Σ_i α_i Σ_{k ≥ i+first} γ^{k−i} D_k} within each episode.
     *
     * @param episodes the batch's trajectory structure
     * @param alpha the per-row coefficients {@code α}, indexed by row
     * @param gamma the discount {@code γ_F}
     * @param first 0 to include step {@code i} itself in sample {@code i}'s tail, 1 to start at {@code i + 1}
     * @param sink receives the row coefficients
     */
    public static void forward(Episodes episodes, double[] alpha, double gamma, int first, RowSink sink) {
        if (first != 0 && first != 1) {
            throw new IllegalArgumentException("first must be 0 or 1, got " + first);
        }
        for (int e = 0; e < episodes.streams(); e++) {
            double carry = 0.0;
            int start = episodes.streamStart(e);
            for (int i = start, end = episodes.streamEnd(e); i < end; i++) {
                boolean continued = i > start && episodes.continuesAfter(i - 1);
                if (first == 0) {
                    double c = alpha[i] + (continued ? gamma * carry : 0.0);
                    sink.add(i, c);
                    carry = c;
                } else {
                    double c = continued ? carry : 0.0;
                    sink.add(i, c);
                    carry = gamma * (c + alpha[i]);
                }
            }
        }
    }

    /**
     * The tails themselves over contiguous episodes: {@code out[r] = scale·Σ_{k≥r, same episode} γ^{k−r} D_k}
     * for row vectors of {@code width} entries.
     *
     * @param episodes the batch's trajectory structure
     * @param derivative {@code D}, row-major {@code [rows·width]}
     * @param width entries per row
     * @param gamma the discount
     * @param scale a factor applied to every tail (e.g. {@code γ_F} when {@code D_k} belongs to the transition out
     *     of row {@code k})
     * @param out receives the tails, row-major {@code [rows·width]}
     */
    public static void backward(Episodes episodes, double[] derivative, int width, double gamma, double scale,
            double[] out) {
        double[] tail = new double[width];
        for (int e = 0; e < episodes.streams(); e++) {
            java.util.Arrays.fill(tail, 0.0);
            int start = episodes.streamStart(e);
            for (int r = episodes.streamEnd(e) - 1; r >= start; r--) {
                if (!episodes.continuesAfter(r)) {
                    java.util.Arrays.fill(tail, 0.0);
                }
                for (int i = 0; i < width; i++) {
                    tail[i] = derivative[r * width + i] + gamma * tail[i];
                    out[r * width + i] = scale * tail[i];
                }
            }
        }
    }

    /**
     * One replayed sample's tail: calls {@code sink.add(slot, γ^{step})} for the steps {@code first …
     * length − 1} of the sample's stored episode future, in order.
     *
     * @param futures the buffer's trajectory structure
     * @param sample the sampled slot
     * @param first the first step (0: the sample itself)
     * @param length the sample's subsequence length ({@link Futures#subsequenceLength})
     * @param gamma the discount
     * @param sink receives each future slot and its discount weight
     */
    public static void walk(Futures futures, int sample, int first, int length, double gamma, RowSink sink) {
        double w = Math.pow(gamma, first);
        for (int step = first; step < length; step++, w *= gamma) {
            sink.add(futures.offset(sample, step), w);
        }
    }

    /**
     * The sum of the weights {@link #walk} hands out, {@code Σ_{k=first}^{length−1} γ^k} (0 for an empty range),
     * summed in increasing {@code k}: the normaliser of a weighted-average tail.
     */
    public static double weightSum(double gamma, int first, int length) {
        double sum = 0.0;
        double w = Math.pow(gamma, first);
        for (int step = first; step < length; step++, w *= gamma) {
            sum += w;
        }
        return sum;
    }
}
