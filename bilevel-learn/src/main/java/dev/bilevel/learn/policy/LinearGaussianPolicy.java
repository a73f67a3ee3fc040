package dev.bilevel.learn.policy;

import dev.bilevel.core.random.SplitMixRandom;
import java.util.Arrays;

/**
 * A linear-Gaussian leader policy {@code a ~ N(Kx, WWᵀ)} with a learnable gain {@code K} ({@code l×n}) and a
 * fixed noise factor {@code W} ({@code l×l}, invertible), the reference's {@code LinearGaussianPolicy} with
 * {@code fixed_W}. The score with respect to {@code K} is {@code ∇_K log π(a|x) = Σ⁻¹(a − Kx)xᵀ},
 * {@code Σ = WWᵀ}; with {@code W = 10⁻³} it is about {@code 10³·|x|} per on-policy sample, which is why the
 * leader's updates are normalised (Adam) and clipped.
 *
 * <p>Vectors are read at offsets of flat arrays; nothing allocates after construction except for
 * {@code l > 1} draws. Not thread-safe (the gain is live).
 */
public final class LinearGaussianPolicy {

    private final int n;
    private final int l;
    private final double[] gain;
    private final double[] noise;
    private final double[] precision;
    private final double logNormaliser;

    /**
     * @param stateDimension {@code n}
     * @param gain {@code K}, {@code l×n} row-major (copied)
     * @param noise {@code W}, {@code l×l} row-major (copied), invertible
     */
    public LinearGaussianPolicy(int stateDimension, double[] gain, double[] noise) {
        if (stateDimension < 1 || gain.length % stateDimension != 0 || gain.length == 0) {
            throw new IllegalArgumentException("K must have a positive multiple of " + stateDimension + " entries");
        }
        this.n = stateDimension;
        this.l = gain.length / stateDimension;
        if (noise.length != l * l) {
            throw new IllegalArgumentException("W must be " + l + "×" + l + ", got " + noise.length + " entries");
        }
        this.gain = gain.clone();
        this.noise = noise.clone();
        double[] cov = new double[l * l];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < l; j++) {
                double s = 0.0;
                for (int k = 0; k < l; k++) {
                    s += noise[i * l + k] * noise[j * l + k];
                }
                cov[i * l + j] = s;
            }
        }
        precision = invert(cov, l);
        double logDet = Math.log(Math.abs(determinant(noise, l))) * 2.0;
        logNormaliser = -0.5 * l * Math.log(2.0 * Math.PI) - 0.5 * logDet;
    }

    /** {@code n}. */
    public int stateDimension() {
        return n;
    }

    /** {@code l}. */
    public int actionDimension() {
        return l;
    }

    /** The live gain {@code K} ({@code l×n}): an optimiser writes it in place. */
    public double[] gain() {
        return gain;
    }

    /** {@code W} (a copy). */
    public double[] noise() {
        return noise.clone();
    }

    /** A copy with the same gain and noise. */
    public LinearGaussianPolicy copy() {
        return new LinearGaussianPolicy(n, gain, noise);
    }

    /** {@code K ← (1 − τ)K + τ·K_online}. */
    public void polyak(LinearGaussianPolicy online, double tau) {
        for (int i = 0; i < gain.length; i++) {
            gain[i] = (1.0 - tau) * gain[i] + tau * online.gain[i];
        }
    }

    /** Writes {@code Kx} into {@code out[outOffset…]}. */
    public void mean(double[] x, int xOffset, double[] out, int outOffset) {
        for (int r = 0; r < l; r++) {
            double sum = 0.0;
            for (int j = 0; j < n; j++) {
                sum += gain[r * n + j] * x[xOffset + j];
            }
            out[outOffset + r] = sum;
        }
    }

    /** Draws {@code a = Kx + Wε} into {@code out[outOffset…]}. */
    public void sample(double[] x, int xOffset, SplitMixRandom rng, double[] out, int outOffset) {
        mean(x, xOffset, out, outOffset);
        if (l == 1) {
            out[outOffset] += noise[0] * rng.nextGaussian();
            return;
        }
        double[] eps = new double[l];
        for (int i = 0; i < l; i++) {
            eps[i] = rng.nextGaussian();
        }
        for (int i = 0; i < l; i++) {
            double s = 0.0;
            for (int k = 0; k < l; k++) {
                s += noise[i * l + k] * eps[k];
            }
            out[outOffset + i] += s;
        }
    }

    /**
     * Draws {@code count} actions into {@code out}, row-major {@code [count][l]}, in the order of {@code count}
     * calls of {@link #sample(double[], int, SplitMixRandom, double[], int)}.
     */
    public void sampleMany(double[] x, int xOffset, SplitMixRandom rng, double[] out, int count) {
        if (l != 1) {
            for (int j = 0; j < count; j++) {
                sample(x, xOffset, rng, out, j * l);
            }
            return;
        }
        double mean = dot(0, x, xOffset);
        double w = noise[0];
        for (int j = 0; j < count; j++) {
            out[j] = mean + w * rng.nextGaussian();
        }
    }

    /** {@code log N(a; Kx, WWᵀ)}. */
    public double logProb(double[] x, int xOffset, double[] a, int aOffset) {
        double quad = 0.0;
        for (int i = 0; i < l; i++) {
            double di = a[aOffset + i] - dot(i, x, xOffset);
            for (int j = 0; j < l; j++) {
                quad += di * precision[i * l + j] * (a[aOffset + j] - dot(j, x, xOffset));
            }
        }
        return logNormaliser - 0.5 * quad;
    }

    /** {@code grad += weight·∇_K log π(a|x) = weight·Σ⁻¹(a − Kx)xᵀ} ({@code grad} is {@code l×n}). */
    public void accumulateScore(double[] x, int xOffset, double[] a, int aOffset, double weight, double[] grad) {
        accumulateScore(x, xOffset, a, aOffset, weight, grad, 0);
    }

    /** {@link #accumulateScore(double[], int, double[], int, double, double[])} into {@code grad[gradOffset…]}. */
    public void accumulateScore(double[] x, int xOffset, double[] a, int aOffset, double weight, double[] grad,
            int gradOffset) {
        if (l == 1) {
            double c = weight * precision[0] * (a[aOffset] - dot(0, x, xOffset));
            for (int j = 0; j < n; j++) {
                grad[gradOffset + j] += c * x[xOffset + j];
            }
            return;
        }
        for (int i = 0; i < l; i++) {
            double c = 0.0;
            for (int k = 0; k < l; k++) {
                c += precision[i * l + k] * (a[aOffset + k] - dot(k, x, xOffset));
            }
            c *= weight;
            for (int j = 0; j < n; j++) {
                grad[gradOffset + i * n + j] += c * x[xOffset + j];
            }
        }
    }

    /** The differential entropy {@code ½(l(1 + ln 2π) + ln det WWᵀ)}. */
    public double entropy() {
        return 0.5 * l - logNormaliser;
    }

    private double dot(int row, double[] x, int xOffset) {
        double sum = 0.0;
        for (int j = 0; j < n; j++) {
            sum += gain[row * n + j] * x[xOffset + j];
        }
        return sum;
    }

    /** Gauss–Jordan inverse of a small matrix. */
    private static double[] invert(double[] m, int k) {
        double[] a = m.clone();
        double[] inv = new double[k * k];
        for (int i = 0; i < k; i++) {
            inv[i * k + i] = 1.0;
        }
        for (int col = 0; col < k; col++) {
            int pivot = col;
            for (int r = col + 1; r < k; r++) {
                if (Math.abs(a[r * k + col]) > Math.abs(a[pivot * k + col])) {
                    pivot = r;
                }
            }
            double p = a[pivot * k + col];
            if (p == 0.0 || !Double.isFinite(p)) {
                throw new IllegalArgumentException("leader noise W must be invertible");
            }
            swapRows(a, k, col, pivot);
            swapRows(inv, k, col, pivot);
            for (int j = 0; j < k; j++) {
                a[col * k + j] /= p;
                inv[col * k + j] /= p;
            }
            for (int r = 0; r < k; r++) {
                if (r != col) {
                    double f = a[r * k + col];
                    for (int j = 0; j < k; j++) {
                        a[r * k + j] -= f * a[col * k + j];
                        inv[r * k + j] -= f * inv[col * k + j];
                    }
                }
            }
        }
        return inv;
    }

    private static void swapRows(double[] a, int k, int r1, int r2) {
        if (r1 == r2) {
            return;
        }
        for (int j = 0; j < k; j++) {
            double t = a[r1 * k + j];
            a[r1 * k + j] = a[r2 * k + j];
            a[r2 * k + j] = t;
        }
    }

    private static double determinant(double[] m, int k) {
        double[] a = m.clone();
        double det = 1.0;
        for (int col = 0; col < k; col++) {
            int pivot = col;
            for (int r = col + 1; r < k; r++) {
                if (Math.abs(a[r * k + col]) > Math.abs(a[pivot * k + col])) {
                    pivot = r;
                }
            }
            if (pivot != col) {
                swapRows(a, k, col, pivot);
                det = -det;
            }
            double p = a[col * k + col];
            det *= p;
            if (p == 0.0) {
                return 0.0;
            }
            for (int r = col + 1; r < k; r++) {
                double f = a[r * k + col] / p;
                for (int j = col; j < k; j++) {
                    a[r * k + j] -= f * a[col * k + j];
                }
            }
        }
        return det;
    }

    @Override
    public String toString() {
        return "LinearGaussianPolicy[K=" + Arrays.toString(gain) + ", W=" + Arrays.toString(noise) + "]";
    }
}
