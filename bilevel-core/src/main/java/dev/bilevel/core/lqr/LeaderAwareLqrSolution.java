package dev.bilevel.core.lqr;

import dev.bilevel.core.math.StackedForms;

/**
 * The soft-optimal follower of a {@link LeaderAwareLqrProblem} against the leader policy
 * {@code a ~ N(Kx, WWᵀ)} it assumes, from {@link LeaderAwareMaxEntLqr}. With the leader's deviation seen
 * through the dynamics, {@code w = C(a − Kx)}:
 *
 * <pre>
 * cost-to-go   xᵀP_xx x + 2xᵀP_xa w + wᵀP_aa w + v           soft value V_F(x, a) = −(…)
 * policy       u ~ N(−K_x x − K_a w, Σ)
 * </pre>
 *
 * The value and the policy mean are precomputed as functions of {@code z = [x; a]}, so evaluating them needs
 * no scratch: the object is immutable and thread-safe. Arrays are flat row-major; accessors return copies.
 */
public final class LeaderAwareLqrSolution {

    private final int n;
    private final int m;
    private final int l;
    private final double[] pxx;
    private final double[] pxa;
    private final double[] paa;
    private final double v;
    private final double[] kx;
    private final double[] ka;
    private final double[] sigma;
    private final double[] sigmaCholesky;
    private final double[] leaderGain;
    private final double noiseTrace;
    private final int iterations;
    private final double riccatiError;
    private final double valueError;
    private final boolean converged;
    /** {@code (n+l)×(n+l)}: {@code zᵀ M z + v} is the cost-to-go at {@code z = [x; a]}. */
    private final double[] valueQuadratic;
    /** {@code m×(n+l)}: the policy mean is {@code G z}. */
    private final double[] meanGain;

    LeaderAwareLqrSolution(int n, int m, int l, double[] pxx, double[] pxa, double[] paa, double v, double[] kx,
            double[] ka, double[] sigma, double[] c, double[] leaderGain, double[] noiseCovariance, int iterations,
            double riccatiError, double valueError, boolean converged) {
        this.n = n;
        this.m = m;
        this.l = l;
        this.pxx = pxx;
        this.pxa = pxa;
        this.paa = paa;
        this.v = v;
        this.kx = kx;
        this.ka = ka;
        this.sigma = sigma;
        this.sigmaCholesky =
                Cholesky.factorOrThrow(sigma, m, "the follower's covariance Σ is not positive definite");
        this.leaderGain = leaderGain;
        double trace = 0.0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                trace += paa[i * n + k] * noiseCovariance[k * n + i];
            }
        }
        this.noiseTrace = trace;
        this.iterations = iterations;
        this.riccatiError = riccatiError;
        this.valueError = valueError;
        this.converged = converged;
        // T maps z = [x; a] to [x; w]: T = [[I, 0], [−CK, C]].
        int d = n + l;
        double[] t = new double[2 * n * d];
        for (int i = 0; i < n; i++) {
            t[i * d + i] = 1.0;
            for (int j = 0; j < n; j++) {
                double ck = 0.0;
                for (int k = 0; k < l; k++) {
                    ck += c[i * l + k] * leaderGain[k * n + j];
                }
                t[(n + i) * d + j] = -ck;
            }
            for (int k = 0; k < l; k++) {
                t[(n + i) * d + n + k] = c[i * l + k];
            }
        }
        double[] full = new double[4 * n * n];
        int w2 = 2 * n;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                full[i * w2 + j] = pxx[i * n + j];
                full[i * w2 + n + j] = pxa[i * n + j];
                full[(n + j) * w2 + i] = pxa[i * n + j];
                full[(n + i) * w2 + n + j] = paa[i * n + j];
            }
        }
        valueQuadratic = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double sum = 0.0;
                for (int p = 0; p < w2; p++) {
                    double tp = t[p * d + i];
                    if (tp == 0.0) {
                        continue;
                    }
                    for (int q = 0; q < w2; q++) {
                        sum += tp * full[p * w2 + q] * t[q * d + j];
                    }
                }
                valueQuadratic[i * d + j] = sum;
            }
        }
        // mean = −K_x x − K_a w = −K_x x − K_a (T_w z), with T_w the lower n rows of T.
        meanGain = new double[m * d];
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < d; j++) {
                double sum = j < n ? -kx[r * n + j] : 0.0;
                for (int i = 0; i < n; i++) {
                    sum -= ka[r * n + i] * t[(n + i) * d + j];
                }
                meanGain[r * d + j] = sum;
            }
        }
    }

    /** The follower's soft value {@code V_F(x, a) = −(xᵀP_xx x + 2xᵀP_xa w + wᵀP_aa w + v)}, {@code w = C(a − Kx)}. */
    public double softValue(double[] x, int xOffset, double[] a, int aOffset) {
        return -(StackedForms.quadratic(valueQuadratic, n, l, x, xOffset, a, aOffset) + v);
    }

    /** {@link #softValue(double[], int, double[], int)} at offset 0. */
    public double softValue(double[] x, double[] a) {
        return softValue(x, 0, a, 0);
    }

    /**
     * The follower's value before the leader acts, under the leader policy it assumes:
     * {@code E_{a ~ N(Kx, WWᵀ)} V_F(x, a) = −(xᵀP_xx x + tr(P_aa Σ_w) + v)}.
     */
    public double expectedSoftValue(double[] x, int xOffset) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double row = 0.0;
            for (int j = 0; j < n; j++) {
                row += pxx[i * n + j] * x[xOffset + j];
            }
            sum += x[xOffset + i] * row;
        }
        return -(sum + noiseTrace + v);
    }

    /** Writes the policy mean {@code −K_x x − K_a C(a − Kx)} into {@code out[outOffset…]}. */
    public void followerMean(double[] x, int xOffset, double[] a, int aOffset, double[] out, int outOffset) {
        StackedForms.affine(meanGain, m, n, l, x, xOffset, a, aOffset, out, outOffset);
    }

    /**
     * The policy mean's gain {@code G}, {@code m×(n+l)} row-major: the mean is {@code G·[x; a]} (a copy; the same
     * numbers as the mean's Jacobian).
     */
    public double[] meanGain() {
        return meanGain.clone();
    }

    /**
     * The cost-to-go's quadratic form {@code M}, {@code (n+l)×(n+l)} row-major: {@code V_F(x, a) = −(zᵀMz + v)} at
     * {@code z = [x; a]} (a copy).
     */
    public double[] valueQuadratic() {
        return valueQuadratic.clone();
    }

    /**
     * Draws {@code u ~ N(mean, Σ)} into {@code out[outOffset…]}: the mean plus the lower Cholesky factor of
     * {@code Σ} times {@code m} standard normal draws.
     */
    public void sampleFollower(double[] x, int xOffset, double[] a, int aOffset, dev.bilevel.core.random.SplitMixRandom rng,
            double[] out, int outOffset) {
        followerMean(x, xOffset, a, aOffset, out, outOffset);
        if (m == 1) {
            out[outOffset] += sigmaCholesky[0] * rng.nextGaussian();
            return;
        }
        double[] z = new double[m];
        for (int i = 0; i < m; i++) {
            z[i] = rng.nextGaussian();
        }
        Cholesky.multiplyLowerAdd(sigmaCholesky, m, z, out, outOffset);
    }

    /** {@code log N(u; mean(x, a), Σ)}. */
    public double logDensity(double[] x, int xOffset, double[] a, int aOffset, double[] u, int uOffset) {
        double[] y = new double[m];
        followerMean(x, xOffset, a, aOffset, y, 0);
        // Solve L y = u − mean (in place); log N = −½|y|² − Σ log L_ii − (m/2) log 2π.
        for (int i = 0; i < m; i++) {
            y[i] = u[uOffset + i] - y[i];
        }
        Cholesky.solveLower(sigmaCholesky, m, y, y);
        double quad = 0.0;
        double logDet = 0.0;
        for (int i = 0; i < m; i++) {
            quad += y[i] * y[i];
            logDet += Math.log(sigmaCholesky[i * m + i]);
        }
        return -0.5 * quad - logDet - 0.5 * m * Math.log(2.0 * Math.PI);
    }

    /** The differential entropy of the policy, {@code ½(m(1 + ln 2π) + ln det Σ)}. */
    public double policyEntropy() {
        double logDet = 0.0;
        for (int i = 0; i < m; i++) {
            logDet += 2.0 * Math.log(sigmaCholesky[i * m + i]);
        }
        return 0.5 * (m * (1.0 + Math.log(2.0 * Math.PI)) + logDet);
    }

    /** {@code n}. */
    public int stateDimension() {
        return n;
    }

    /** {@code m}. */
    public int followerActionDimension() {
        return m;
    }

    /** {@code l}. */
    public int leaderActionDimension() {
        return l;
    }

    /** {@code P_xx}, {@code n×n}. */
    public double[] pxx() {
        return pxx.clone();
    }

    /** {@code P_xa}, {@code n×n} (multiplies {@code w = C(a − Kx)}). */
    public double[] pxa() {
        return pxa.clone();
    }

    /** {@code P_aa}, {@code n×n}. */
    public double[] paa() {
        return paa.clone();
    }

    /** The constant {@code v} of the cost-to-go. */
    public double v() {
        return v;
    }

    /** {@code K_x}, {@code m×n}. */
    public double[] kx() {
        return kx.clone();
    }

    /** {@code K_a}, {@code m×n}. */
    public double[] ka() {
        return ka.clone();
    }

    /** {@code Σ = (β/2)S⁻¹}, {@code m×m}. */
    public double[] sigma() {
        return sigma.clone();
    }

    /** The lower Cholesky factor of {@code Σ}, {@code m×m}. */
    public double[] sigmaCholesky() {
        return sigmaCholesky.clone();
    }

    /** One entry of the lower Cholesky factor of {@code Σ}, without copying. */
    public double sigmaCholesky(int row, int column) {
        return sigmaCholesky[row * m + column];
    }

    /** The leader gain {@code K} the follower assumed, {@code l×n}. */
    public double[] leaderGain() {
        return leaderGain.clone();
    }

    /** Riccati iterations run. */
    public int iterations() {
        return iterations;
    }

    /** {@code ‖ΔP_xx‖_F} of the last iteration (divided by {@code ‖P_xx‖_F} with a relative tolerance). */
    public double riccatiError() {
        return riccatiError;
    }

    /** {@code |Δv|} of the last iteration. */
    public double valueError() {
        return valueError;
    }

    /** Whether both errors fell below the tolerance within the iteration budget. */
    public boolean converged() {
        return converged;
    }
}
