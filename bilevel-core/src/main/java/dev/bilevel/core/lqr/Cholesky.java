package dev.bilevel.core.lqr;

/**
 * The lower Cholesky factorisation {@code A = LLᵀ} of a small symmetric matrix, and the triangular products and
 * solves built on it, for the hand-rolled linear algebra of this package.
 *
 * <p>Matrices are flat row-major {@code double[]} of side {@code n}. Only the lower triangle of {@code A} (entries
 * {@code (i, j)} with {@code j ≤ i}) is read, and only the lower triangle of {@code L} is written; its strict upper
 * triangle is left as it was (zero in a freshly allocated array), so a caller may reuse one scratch array across
 * factorisations. The factorisation is the Cholesky–Banachiewicz (row by row) order:
 *
 * <pre>
 * for i, then j ≤ i:   s = A_ij − Σ_{k&lt;j} L_ik L_jk
 *                      L_ii = √s  (s must be &gt; 0)      L_ij = s / L_jj  (j &lt; i)
 * </pre>
 *
 * {@code A} is positive definite exactly when every pivot {@code s} on the diagonal is {@code > 0} (a NaN pivot
 * counts as failure). None of the methods here allocates, except {@link #factorOrThrow} and
 * {@link #isPositiveDefinite}, which return or need a fresh array.
 *
 * <p>Why not EJML's Cholesky (EJML is a dependency): the Riccati iterations factor {@code S} and take its
 * log-determinant every sweep, at sides 1–4, and the responses solve with {@code L} on slices of flat arrays. Here
 * that is one pass over a flat array; EJML factors a {@code DMatrixRMaj} in place, so the same step is a copy, the
 * decomposition and a pass for the log-determinant. Measured ({@code CholeskyBenchmark} in bilevel-bench, the
 * decomposition reused, two runs on the 2-core development machine): 9–10 against 51–56 ns at side 1, 23–26 against
 * 77–86 ns at side 2, 65–74 against 121–126 ns at side 4. Switching would also move the last bits of every LQR and
 * thermal number.
 */
final class Cholesky {

    private Cholesky() {
    }

    /**
     * Factors {@code A} into {@code lower}.
     *
     * @param a {@code A}, {@code n×n} row-major (only its lower triangle is read)
     * @param n the side
     * @param lower receives {@code L}, {@code n×n} row-major (only its lower triangle is written); on failure it
     *     holds a partial factor
     * @return whether {@code A} is positive definite (every pivot {@code > 0})
     */
    static boolean factor(double[] a, int n, double[] lower) {
        return !Double.isNaN(factor(a, n, lower, false));
    }

    /**
     * Factors {@code A} into {@code lower} and returns {@code ln det A}, summed as {@code Σ_i ln s_i} over the
     * diagonal pivots {@code s_i = L_ii²} (the pivots themselves, not the squares of their roots).
     *
     * @param a {@code A}, {@code n×n} row-major (only its lower triangle is read)
     * @param n the side
     * @param lower receives {@code L}, as in {@link #factor(double[], int, double[])}
     * @return {@code ln det A}, or {@code NaN} when {@code A} is not positive definite
     */
    static double factorLogDeterminant(double[] a, int n, double[] lower) {
        return factor(a, n, lower, true);
    }

    /**
     * Factors {@code A} into a new array.
     *
     * @param a {@code A}, {@code n×n} row-major (only its lower triangle is read)
     * @param n the side
     * @param notPositiveDefinite the message of the exception thrown when {@code A} is not positive definite
     * @return {@code L}, {@code n×n} row-major, zero above the diagonal
     * @throws SoftLqrException with {@code notPositiveDefinite} when a pivot is not {@code > 0}
     */
    static double[] factorOrThrow(double[] a, int n, String notPositiveDefinite) {
        double[] lower = new double[n * n];
        if (!factor(a, n, lower)) {
            throw new SoftLqrException(notPositiveDefinite);
        }
        return lower;
    }

    /**
     * @param a a symmetric matrix, {@code n×n} row-major (only its lower triangle is read)
     * @param n the side
     * @return whether the factorisation succeeds, i.e. {@code A} is positive definite
     */
    static boolean isPositiveDefinite(double[] a, int n) {
        return factor(a, n, new double[n * n]);
    }

    /**
     * Forward substitution: solves {@code L y = b}. {@code y} may be {@code b} itself (in place).
     *
     * @param lower {@code L}, {@code n×n} row-major lower triangular with a non-zero diagonal
     * @param n the side
     * @param b the right-hand side, length at least {@code n}
     * @param y receives the solution, length at least {@code n}
     */
    static void solveLower(double[] lower, int n, double[] b, double[] y) {
        for (int i = 0; i < n; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= lower[i * n + k] * y[k];
            }
            y[i] = sum / lower[i * n + i];
        }
    }

    /**
     * Adds {@code L z} to {@code out[outOffset…outOffset+n)}: row {@code i} adds {@code Σ_{k≤i} L_ik z_k},
     * accumulated from zero in increasing {@code k}.
     *
     * @param lower {@code L}, {@code n×n} row-major lower triangular
     * @param n the side
     * @param z the vector, length at least {@code n}
     * @param out receives the sum
     * @param outOffset where the {@code n} entries start in {@code out}
     */
    static void multiplyLowerAdd(double[] lower, int n, double[] z, double[] out, int outOffset) {
        for (int i = 0; i < n; i++) {
            double sum = 0.0;
            for (int k = 0; k <= i; k++) {
                sum += lower[i * n + k] * z[k];
            }
            out[outOffset + i] += sum;
        }
    }

    /** The factorisation; returns {@code Σ ln s_i} (or 0 when not asked for) and {@code NaN} on failure. */
    private static double factor(double[] a, int n, double[] lower, boolean withLogDeterminant) {
        double logDet = 0.0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    sum -= lower[i * n + k] * lower[j * n + k];
                }
                if (i == j) {
                    if (!(sum > 0.0)) {
                        return Double.NaN;
                    }
                    lower[i * n + i] = Math.sqrt(sum);
                    if (withLogDeterminant) {
                        logDet += Math.log(sum);
                    }
                } else {
                    lower[i * n + j] = sum / lower[j * n + j];
                }
            }
        }
        return logDet;
    }
}
