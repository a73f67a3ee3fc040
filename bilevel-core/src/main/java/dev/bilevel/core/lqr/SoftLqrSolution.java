package dev.bilevel.core.lqr;

import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * The outcome of {@link SoftLqr}: the soft value {@code V(x) = −(xᵀPx + v)}, the Gaussian policy
 * {@code u ~ N(−Kx, Σ)} and how the Riccati iteration ended. Matrices are copied on construction and on
 * every accessor; the {@code …Array} accessors give row-major copies for hot loops.
 *
 * @param p the value matrix {@code P}, {@code n×n}, symmetric
 * @param v the value offset {@code v}
 * @param gain the feedback gain {@code K = γ S⁻¹BᵀPA}, {@code m×n}
 * @param covariance the action covariance {@code Σ = (β/2) S⁻¹}, {@code m×m}
 * @param s {@code S = R + γBᵀPB} at the final {@code P}, {@code m×m}
 * @param status how the iteration ended
 * @param iterations the number of Riccati updates performed
 * @param riccatiError the last relative change {@code ‖P'−P‖_F / (‖P‖_F + 1e-8)}
 * @param valueError the last change {@code |v' − v|}
 * @param controllabilityRank the rank of {@code [B, AB, …, A^{n−1}B]}
 */
public record SoftLqrSolution(DMatrixRMaj p, double v, DMatrixRMaj gain, DMatrixRMaj covariance, DMatrixRMaj s,
        Status status, int iterations, double riccatiError, double valueError, int controllabilityRank) {

    /** How a Riccati iteration ended. */
    public enum Status {
        /** Both the relative {@code P} change and the {@code v} change fell to the tolerance. */
        CONVERGED,
        /** The iteration budget ran out with finite but unconverged {@code P}; the policy is not optimal. */
        MAX_ITERATIONS,
        /**
         * {@code P} became non-finite or exceeded the divergence bound, or {@code S} lost positive
         * definiteness: the discounted system {@code (√γ A, B)} is not stabilisable (or nearly so).
         */
        DIVERGED
    }

    /** Copies the matrices. */
    public SoftLqrSolution {
        Objects.requireNonNull(status, "status");
        p = p.copy();
        gain = gain.copy();
        covariance = covariance.copy();
        s = s.copy();
    }

    /** @return whether the iteration converged to the tolerance */
    public boolean converged() {
        return status == Status.CONVERGED;
    }

    /**
     * @return this solution
     * @throws SoftLqrException when it did not converge, with a message naming the status, the iteration
     *     count, the last errors and the controllability rank
     */
    public SoftLqrSolution requireConverged() {
        if (!converged()) {
            throw new SoftLqrException(describe());
        }
        return this;
    }

    /** @return one line naming the status, iterations, errors and controllability rank */
    public String describe() {
        return "soft LQR " + switch (status) {
            case CONVERGED -> "converged";
            case MAX_ITERATIONS -> "did not converge";
            case DIVERGED -> "diverged (the discounted system is not stabilisable or nearly so)";
        } + " after " + iterations + " Riccati iterations (relative P change " + riccatiError + ", |Δv| "
                + valueError + ", controllability rank " + controllabilityRank + " of " + p.numRows + ")";
    }

    /** @return the state dimension {@code n} */
    public int stateDimension() {
        return p.numRows;
    }

    /** @return the action dimension {@code m} */
    public int actionDimension() {
        return gain.numRows;
    }

    @Override
    public DMatrixRMaj p() {
        return p.copy();
    }

    @Override
    public DMatrixRMaj gain() {
        return gain.copy();
    }

    @Override
    public DMatrixRMaj covariance() {
        return covariance.copy();
    }

    @Override
    public DMatrixRMaj s() {
        return s.copy();
    }

    /** @return {@code P} row-major {@code [n·n]} (a copy) */
    public double[] pArray() {
        return p.data.clone();
    }

    /** @return {@code K} row-major {@code [m·n]} (a copy) */
    public double[] gainArray() {
        return gain.data.clone();
    }

    /** @return {@code Σ} row-major {@code [m·m]} (a copy) */
    public double[] covarianceArray() {
        return covariance.data.clone();
    }

    /**
     * @return the lower Cholesky factor {@code L} of {@code Σ = LLᵀ}, row-major {@code [m·m]}, so that
     *     {@code u = −Kx + Lε} with {@code ε ~ N(0, I)} samples the policy
     */
    public double[] covarianceCholeskyArray() {
        return Cholesky.factorOrThrow(covariance.data, covariance.numRows,
                "policy covariance is not positive definite");
    }

    /**
     * @param x a state, length {@code n}
     * @return the soft value {@code V(x) = −(xᵀPx + v)}
     */
    public double softValue(double[] x) {
        int n = p.numRows;
        if (x.length != n) {
            throw new IllegalArgumentException("state has length " + x.length + ", need " + n);
        }
        double quad = 0.0;
        for (int i = 0; i < n; i++) {
            double row = 0.0;
            for (int j = 0; j < n; j++) {
                row += p.get(i, j) * x[j];
            }
            quad += x[i] * row;
        }
        return -(quad + v);
    }

    /**
     * @param x a state, length {@code n}
     * @return the policy mean {@code −Kx}
     */
    public double[] meanAction(double[] x) {
        int n = gain.numCols;
        int m = gain.numRows;
        if (x.length != n) {
            throw new IllegalArgumentException("state has length " + x.length + ", need " + n);
        }
        double[] u = new double[m];
        for (int i = 0; i < m; i++) {
            double sum = 0.0;
            for (int j = 0; j < n; j++) {
                sum -= gain.get(i, j) * x[j];
            }
            u[i] = sum;
        }
        return u;
    }

    /**
     * Writes a solution, or its absence, as checkpoint state.
     *
     * @param out where to write
     * @param solution the solution, or {@code null}
     */
    public static void write(StateWriter out, SoftLqrSolution solution) {
        out.writeBoolean(solution != null);
        if (solution == null) {
            return;
        }
        for (DMatrixRMaj matrix : new DMatrixRMaj[] {solution.p, solution.gain, solution.covariance, solution.s}) {
            out.writeInt(matrix.numRows).writeInt(matrix.numCols)
                    .writeDoubles(java.util.Arrays.copyOf(matrix.data, matrix.numRows * matrix.numCols));
        }
        out.writeDouble(solution.v).writeInt(solution.status.ordinal()).writeInt(solution.iterations)
                .writeDouble(solution.riccatiError).writeDouble(solution.valueError)
                .writeInt(solution.controllabilityRank);
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @param in where to read
     * @return the solution, or {@code null}
     */
    public static SoftLqrSolution read(StateReader in) {
        if (!in.readBoolean()) {
            return null;
        }
        DMatrixRMaj[] matrices = new DMatrixRMaj[4];
        for (int i = 0; i < matrices.length; i++) {
            int rows = in.readInt();
            int cols = in.readInt();
            matrices[i] = new DMatrixRMaj(rows, cols, true, in.readDoubles());
        }
        double v = in.readDouble();
        Status status = Status.values()[in.readInt()];
        return new SoftLqrSolution(matrices[0], v, matrices[1], matrices[2], matrices[3], status, in.readInt(),
                in.readDouble(), in.readDouble(), in.readInt());
    }
}
