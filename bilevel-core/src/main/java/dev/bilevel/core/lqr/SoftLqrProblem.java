package dev.bilevel.core.lqr;

import java.util.Objects;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.MatrixFeatures_DDRM;

/**
 * A discounted maximum-entropy linear-quadratic control problem: dynamics {@code x' = A x + B u + w} with
 * {@code w ~ N(0, W)}, per-step cost {@code xᵀQx + uᵀRu} (reward is its negative), discount {@code γ} and
 * entropy weight {@code β}. The matrices are copied on construction and on every accessor, so a problem is
 * immutable.
 *
 * @param a the state matrix {@code A}, {@code n×n}
 * @param b the input matrix {@code B}, {@code n×m}
 * @param q the state cost {@code Q}, {@code n×n}, symmetric positive semi-definite
 * @param r the input cost {@code R}, {@code m×m}, symmetric positive definite
 * @param noiseCovariance the process-noise covariance {@code W}, {@code n×n}, symmetric
 * @param discount {@code γ ∈ [0, 1)}
 * @param temperature the entropy weight {@code β > 0}
 */
public record SoftLqrProblem(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj q, DMatrixRMaj r,
        DMatrixRMaj noiseCovariance, double discount, double temperature) {

    /** Validates shapes, symmetry and the scalar ranges; copies the matrices. */
    public SoftLqrProblem {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(q, "q");
        Objects.requireNonNull(r, "r");
        Objects.requireNonNull(noiseCovariance, "noiseCovariance");
        int n = a.numRows;
        int m = b.numCols;
        requireShape("A", a, n, n);
        requireShape("B", b, n, m);
        requireShape("Q", q, n, n);
        requireShape("R", r, m, m);
        requireShape("W", noiseCovariance, n, n);
        if (n < 1 || m < 1) {
            throw new IllegalArgumentException("state and action dimensions must be positive: n=" + n + ", m=" + m);
        }
        requireFinite("A", a);
        requireFinite("B", b);
        requireFinite("Q", q);
        requireFinite("R", r);
        requireFinite("W", noiseCovariance);
        requireSymmetric("Q", q);
        requireSymmetric("R", r);
        requireSymmetric("W", noiseCovariance);
        if (!MatrixFeatures_DDRM.isPositiveDefinite(r)) {
            throw new IllegalArgumentException("R must be positive definite");
        }
        if (!(discount >= 0.0 && discount < 1.0)) {
            throw new IllegalArgumentException("discount must be in [0, 1): " + discount);
        }
        if (!(temperature > 0.0 && temperature < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("temperature must be positive and finite: " + temperature);
        }
        a = a.copy();
        b = b.copy();
        q = q.copy();
        r = r.copy();
        noiseCovariance = noiseCovariance.copy();
    }

    /**
     * Builds a problem from row-major arrays.
     *
     * @param a {@code A[n][n]}
     * @param b {@code B[n][m]}
     * @param q {@code Q[n][n]}
     * @param r {@code R[m][m]}
     * @param noiseCovariance {@code W[n][n]}
     * @param discount {@code γ}
     * @param temperature {@code β}
     * @return the problem
     */
    public static SoftLqrProblem of(double[][] a, double[][] b, double[][] q, double[][] r,
            double[][] noiseCovariance, double discount, double temperature) {
        return new SoftLqrProblem(new DMatrixRMaj(a), new DMatrixRMaj(b), new DMatrixRMaj(q), new DMatrixRMaj(r),
                new DMatrixRMaj(noiseCovariance), discount, temperature);
    }

    /** @return the state dimension {@code n} */
    public int stateDimension() {
        return a.numRows;
    }

    /** @return the action dimension {@code m} */
    public int actionDimension() {
        return b.numCols;
    }

    @Override
    public DMatrixRMaj a() {
        return a.copy();
    }

    @Override
    public DMatrixRMaj b() {
        return b.copy();
    }

    @Override
    public DMatrixRMaj q() {
        return q.copy();
    }

    @Override
    public DMatrixRMaj r() {
        return r.copy();
    }

    @Override
    public DMatrixRMaj noiseCovariance() {
        return noiseCovariance.copy();
    }

    /** Package-private view without copying, for the solver. */
    DMatrixRMaj aView() {
        return a;
    }

    DMatrixRMaj bView() {
        return b;
    }

    DMatrixRMaj qView() {
        return q;
    }

    DMatrixRMaj rView() {
        return r;
    }

    DMatrixRMaj noiseView() {
        return noiseCovariance;
    }

    private static void requireShape(String name, DMatrixRMaj matrix, int rows, int cols) {
        if (matrix.numRows != rows || matrix.numCols != cols) {
            throw new IllegalArgumentException(name + " must be " + rows + "×" + cols + ", got " + matrix.numRows
                    + "×" + matrix.numCols);
        }
    }

    private static void requireFinite(String name, DMatrixRMaj matrix) {
        for (int i = 0; i < matrix.getNumElements(); i++) {
            if (!Double.isFinite(matrix.get(i))) {
                throw new IllegalArgumentException(name + " has a non-finite entry at index " + i);
            }
        }
    }

    private static void requireSymmetric(String name, DMatrixRMaj matrix) {
        double scale = 1.0;
        for (int i = 0; i < matrix.getNumElements(); i++) {
            scale = Math.max(scale, Math.abs(matrix.get(i)));
        }
        if (!MatrixFeatures_DDRM.isSymmetric(matrix, 1e-12 * scale)) {
            throw new IllegalArgumentException(name + " must be symmetric");
        }
    }
}
