package dev.bilevel.core.math;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Solves {@code (I − γ·M) x = b} and its transpose for a dense square matrix {@code M} given
 * row-major, the linear systems behind exact policy evaluation, occupancy and implicit
 * differentiation of the soft Bellman fixed point. Not thread-safe: the transposed factorisation is
 * computed on first use.
 */
public final class DenseLinearSystem {

    private final int n;
    private final DMatrixRMaj matrix;
    private final LinearSolverDense<DMatrixRMaj> solver;
    private LinearSolverDense<DMatrixRMaj> transposedSolver;

    /**
     * Factors {@code I − discount·m} once so that several right-hand sides can be solved.
     *
     * @param m row-major {@code n×n} matrix; not modified
     */
    public DenseLinearSystem(double[] m, int n, double discount) {
        if (m.length != n * n) {
            throw new IllegalArgumentException("matrix has " + m.length + " entries, expected " + n * n);
        }
        this.n = n;
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        double[] data = a.data;
        for (int i = 0; i < n * n; i++) {
            data[i] = -discount * m[i];
        }
        for (int i = 0; i < n; i++) {
            data[i * n + i] += 1.0;
        }
        matrix = a;
        solver = factor(a.copy());
    }

    private LinearSolverDense<DMatrixRMaj> factor(DMatrixRMaj a) {
        LinearSolverDense<DMatrixRMaj> s = LinearSolverFactory_DDRM.lu(n);
        if (!s.setA(a)) {
            throw new ArithmeticException("singular system I − γM");
        }
        return s;
    }

    /** Returns {@code x} with {@code (I − γM) x = b}. */
    public double[] solve(double[] b) {
        return run(solver, b);
    }

    /** Returns {@code x} with {@code (I − γM)ᵀ x = b}. */
    public double[] solveTransposed(double[] b) {
        if (transposedSolver == null) {
            DMatrixRMaj at = new DMatrixRMaj(n, n);
            CommonOps_DDRM.transpose(matrix, at);
            transposedSolver = factor(at);
        }
        return run(transposedSolver, b);
    }

    private double[] run(LinearSolverDense<DMatrixRMaj> s, double[] b) {
        if (b.length != n) {
            throw new IllegalArgumentException("right-hand side has " + b.length + " entries, expected " + n);
        }
        DMatrixRMaj rhs = DMatrixRMaj.wrap(n, 1, b.clone());
        DMatrixRMaj x = new DMatrixRMaj(n, 1);
        s.solve(rhs, x);
        for (double v : x.data) {
            if (!Double.isFinite(v)) {
                throw new ArithmeticException("linear solve produced a non-finite value");
            }
        }
        return x.data;
    }
}
