package dev.bilevel.core.lqr;

import org.ejml.data.DMatrixRMaj;

/** Small dense helpers shared by the soft-LQR solvers. */
final class LqrMath {

    private LqrMath() {
    }

    /** {@code tr(A B)} for square matrices of equal size, summed row by row. */
    static double traceProduct(DMatrixRMaj a, DMatrixRMaj b) {
        int n = a.numRows;
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                sum += a.get(i, k) * b.get(k, i);
            }
        }
        return sum;
    }

    /** Replaces a square matrix by {@code (M + Mᵀ)/2}, in place. */
    static void symmetrise(DMatrixRMaj m) {
        int n = m.numRows;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double avg = 0.5 * (m.get(i, j) + m.get(j, i));
                m.set(i, j, avg);
                m.set(j, i, avg);
            }
        }
    }
}
