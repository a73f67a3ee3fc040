package dev.bilevel.core.lqr;

import java.util.Objects;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.MatrixFeatures_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The discounted maximum-entropy (soft) LQR: the follower maximises
 * {@code E Σ_t γ^t [−(x_tᵀQx_t + u_tᵀRu_t) + β·H(π(·|x_t))]} under {@code x' = Ax + Bu + w},
 * {@code w ~ N(0, W)}, where {@code H} is the differential entropy. Its soft value is
 * {@code V(x) = −(xᵀPx + v)} and its optimal policy is {@code N(−Kx, Σ)}.
 *
 * <p>Riccati value iteration, by default fresh from {@code P = Q, v = 0}:
 *
 * <pre>
 * S  = R + γBᵀPB
 * P' = Q + γAᵀPA − γ²AᵀPB S⁻¹ BᵀPA                 (symmetrised)
 * S' = R + γBᵀP'B
 * v' = [ −β(m/2)·log(πβ) + (β/2)·log det S' + γ·tr(P'W) ] / (1 − γ)
 * stop when ‖P'−P‖_F / (‖P‖_F + 1e-8) ≤ tol and |v' − v| ≤ tol       (checked after each update)
 * K = γ S⁻¹BᵀPA,  Σ = (β/2) S⁻¹                      (S at the final P)
 * </pre>
 *
 * The {@code v} formula is the Gaussian log-partition integral of the soft Bellman backup
 * {@code V(x) = β·log ∫ exp((r(x,u) + γ E V(x'))/β) du}. The solver knows nothing of state clipping or noise
 * truncation in a simulator.
 *
 * <p>Failure is reported, not hidden: a non-finite {@code P}, one whose Frobenius norm passes the divergence
 * bound, or an {@code S} that is not positive definite ends the iteration with
 * {@link SoftLqrSolution.Status#DIVERGED}; running out of iterations gives
 * {@link SoftLqrSolution.Status#MAX_ITERATIONS}. {@link SoftLqrSolution#requireConverged()} turns both into a
 * {@link SoftLqrException}. Instances are immutable and thread-safe; each solve allocates its own scratch.
 */
public final class SoftLqr {

    /** Relative {@code P} and absolute {@code v} tolerance of the reference solver. */
    public static final double DEFAULT_TOLERANCE = 1e-6;
    /** Iteration budget of the reference solver. */
    public static final int DEFAULT_MAX_ITERATIONS = 50_000;
    /** {@code ‖P‖_F} beyond this multiple of {@code (1 + ‖Q‖_F)} counts as divergence. */
    public static final double DEFAULT_DIVERGENCE_FACTOR = 1e12;

    private final double tolerance;
    private final int maxIterations;
    private final double divergenceFactor;

    /** The reference settings: tolerance {@code 1e-6}, at most 50,000 iterations. */
    public SoftLqr() {
        this(DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS);
    }

    /**
     * @param tolerance the stopping tolerance for both the relative {@code P} change and {@code |Δv|}
     * @param maxIterations the iteration budget, at least 1
     */
    public SoftLqr(double tolerance, int maxIterations) {
        this(tolerance, maxIterations, DEFAULT_DIVERGENCE_FACTOR);
    }

    /**
     * @param tolerance the stopping tolerance for both the relative {@code P} change and {@code |Δv|}
     * @param maxIterations the iteration budget, at least 1
     * @param divergenceFactor {@code ‖P‖_F > divergenceFactor·(1 + ‖Q‖_F)} stops with
     *     {@link SoftLqrSolution.Status#DIVERGED}
     */
    public SoftLqr(double tolerance, int maxIterations, double divergenceFactor) {
        if (!(tolerance > 0.0)) {
            throw new IllegalArgumentException("tolerance must be > 0: " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be ≥ 1: " + maxIterations);
        }
        if (!(divergenceFactor > 1.0)) {
            throw new IllegalArgumentException("divergenceFactor must be > 1: " + divergenceFactor);
        }
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.divergenceFactor = divergenceFactor;
    }

    /** @return the stopping tolerance */
    public double tolerance() {
        return tolerance;
    }

    /** @return the iteration budget */
    public int maxIterations() {
        return maxIterations;
    }

    /**
     * Solves from {@code P = Q, v = 0}, as the reference does at every outer iteration.
     *
     * @param problem the problem
     * @return the solution; check {@link SoftLqrSolution#status()}
     */
    public SoftLqrSolution solve(SoftLqrProblem problem) {
        return solve(problem, null);
    }

    /**
     * Solves, starting the iteration from a previous solution's {@code P} and {@code v} (a warm start for a
     * nearby problem; the fixed point is the same, only the iteration count changes).
     *
     * @param problem the problem
     * @param warmStart a previous solution of the same dimensions, or {@code null} for {@code P = Q, v = 0}
     * @return the solution; check {@link SoftLqrSolution#status()}
     */
    public SoftLqrSolution solve(SoftLqrProblem problem, SoftLqrSolution warmStart) {
        Objects.requireNonNull(problem, "problem");
        int n = problem.stateDimension();
        int m = problem.actionDimension();
        DMatrixRMaj a = problem.aView();
        DMatrixRMaj b = problem.bView();
        DMatrixRMaj q = problem.qView();
        DMatrixRMaj r = problem.rView();
        DMatrixRMaj w = problem.noiseView();
        double gamma = problem.discount();
        double beta = problem.temperature();

        DMatrixRMaj p;
        double v;
        if (warmStart != null) {
            if (warmStart.stateDimension() != n || warmStart.actionDimension() != m) {
                throw new IllegalArgumentException("warm start has dimensions n=" + warmStart.stateDimension()
                        + ", m=" + warmStart.actionDimension() + ", problem has n=" + n + ", m=" + m);
            }
            p = warmStart.p();
            v = warmStart.v();
            if (MatrixFeatures_DDRM.hasUncountable(p) || !Double.isFinite(v)) {
                p = q.copy();
                v = 0.0;
            }
        } else {
            p = q.copy();
            v = 0.0;
        }
        Workspace ws = new Workspace(n, m);
        double divergenceBound = divergenceFactor * (1.0 + NormOps_DDRM.normF(q));
        double entropyConstant = -beta * (m / 2.0) * Math.log(Math.PI * beta);

        SoftLqrSolution.Status status = SoftLqrSolution.Status.MAX_ITERATIONS;
        double riccatiError = Double.POSITIVE_INFINITY;
        double valueError = Double.POSITIVE_INFINITY;
        int iterations = 0;
        DMatrixRMaj pNext = new DMatrixRMaj(n, n);
        // ws.s holds S(P) for the current P at the top of every iteration: computed here for the start, then for
        // each P' before it becomes P (the log-determinant factors a copy).
        sMatrix(b, r, gamma, p, ws.s, ws);
        while (iterations < maxIterations) {
            if (!riccatiStep(a, b, q, r, gamma, p, pNext, ws)) {
                status = SoftLqrSolution.Status.DIVERGED;
                break;
            }
            double normNext = NormOps_DDRM.normF(pNext);
            if (!Double.isFinite(normNext) || normNext > divergenceBound) {
                status = SoftLqrSolution.Status.DIVERGED;
                iterations++;
                break;
            }
            // S' = R + γBᵀP'B and its log-determinant by Cholesky.
            sMatrix(b, r, gamma, pNext, ws.s, ws);
            double logDet = logDetPositiveDefinite(ws.s, ws);
            if (Double.isNaN(logDet)) {
                status = SoftLqrSolution.Status.DIVERGED;
                iterations++;
                break;
            }
            double vNext = (entropyConstant + 0.5 * beta * logDet + gamma * LqrMath.traceProduct(pNext, w)) / (1.0 - gamma);
            CommonOps_DDRM.subtract(pNext, p, ws.diff);
            riccatiError = NormOps_DDRM.normF(ws.diff) / (NormOps_DDRM.normF(p) + 1e-8);
            valueError = Math.abs(vNext - v);
            DMatrixRMaj t = p;
            p = pNext;
            pNext = t;
            v = vNext;
            iterations++;
            if (riccatiError <= tolerance && valueError <= tolerance) {
                status = SoftLqrSolution.Status.CONVERGED;
                break;
            }
        }
        int rank = controllabilityRank(a, b);
        if (status == SoftLqrSolution.Status.DIVERGED) {
            // No usable policy: report the state reached, with zero gain and the R-based covariance.
            DMatrixRMaj s = r.copy();
            DMatrixRMaj sigma = new DMatrixRMaj(m, m);
            CommonOps_DDRM.invert(r, sigma);
            CommonOps_DDRM.scale(beta / 2.0, sigma);
            return new SoftLqrSolution(p, v, new DMatrixRMaj(m, n), sigma, s, status, iterations, riccatiError,
                    valueError, rank);
        }
        // Final S (left in ws.s by the last iteration), K = γS⁻¹BᵀPA, Σ = (β/2)S⁻¹ at the final P.
        DMatrixRMaj s = ws.s.copy();
        DMatrixRMaj sInv = new DMatrixRMaj(m, m);
        if (!CommonOps_DDRM.invert(s, sInv)) {
            throw new SoftLqrException("S = R + γBᵀPB is singular after " + iterations + " Riccati iterations");
        }
        CommonOps_DDRM.mult(p, a, ws.pa);
        CommonOps_DDRM.multTransA(b, ws.pa, ws.btpa);
        DMatrixRMaj gain = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(gamma, sInv, ws.btpa, gain);
        DMatrixRMaj sigma = sInv.copy();
        CommonOps_DDRM.scale(beta / 2.0, sigma);
        LqrMath.symmetrise(sigma);
        return new SoftLqrSolution(p, v, gain, sigma, s, status, iterations, riccatiError, valueError, rank);
    }

    /**
     * The rank of the controllability matrix {@code [B, AB, …, A^{n−1}B]}, with numpy's default
     * {@code matrix_rank} threshold {@code σ_max · max(rows, cols) · ε}.
     *
     * @param a {@code A}, {@code n×n}
     * @param b {@code B}, {@code n×m}
     * @return the rank, in {@code [0, n]}
     */
    public static int controllabilityRank(DMatrixRMaj a, DMatrixRMaj b) {
        int n = a.numRows;
        int m = b.numCols;
        DMatrixRMaj c = new DMatrixRMaj(n, n * m);
        DMatrixRMaj block = b.copy();
        DMatrixRMaj next = new DMatrixRMaj(n, m);
        for (int k = 0; k < n; k++) {
            CommonOps_DDRM.insert(block, c, 0, k * m);
            CommonOps_DDRM.mult(a, block, next);
            DMatrixRMaj t = block;
            block = next;
            next = t;
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(c.numRows, c.numCols, false, false, true);
        if (!svd.decompose(c)) {
            throw new SoftLqrException("SVD of the controllability matrix failed");
        }
        double[] sv = svd.getSingularValues();
        double max = 0.0;
        for (int i = 0; i < svd.numberOfSingularValues(); i++) {
            max = Math.max(max, sv[i]);
        }
        double threshold = max * Math.max(c.numRows, c.numCols) * Math.ulp(1.0);
        return SingularOps_DDRM.rank(svd, threshold);
    }

    /**
     * One Riccati update {@code p → pNext} with {@code ws.s = S(p)} on entry (overwritten: the solver factors it
     * in place); false when {@code S} is not invertible.
     */
    private static boolean riccatiStep(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj q, DMatrixRMaj r, double gamma,
            DMatrixRMaj p, DMatrixRMaj pNext, Workspace ws) {
        CommonOps_DDRM.mult(p, a, ws.pa);                     // PA
        CommonOps_DDRM.multTransA(b, ws.pa, ws.btpa);         // BᵀPA
        if (!ws.solver.setA(ws.s)) {                          // S = R + γBᵀPB
            return false;
        }
        ws.solver.solve(ws.btpa, ws.x);                       // X = S⁻¹BᵀPA
        CommonOps_DDRM.multTransA(a, ws.pa, pNext);           // AᵀPA
        CommonOps_DDRM.scale(gamma, pNext);
        CommonOps_DDRM.multAddTransA(-gamma * gamma, ws.btpa, ws.x, pNext);   // − γ²(BᵀPA)ᵀS⁻¹BᵀPA
        CommonOps_DDRM.addEquals(pNext, q);
        LqrMath.symmetrise(pNext);
        return true;
    }

    /** {@code out = R + γBᵀPB}. */
    private static void sMatrix(DMatrixRMaj b, DMatrixRMaj r, double gamma, DMatrixRMaj p, DMatrixRMaj out,
            Workspace ws) {
        CommonOps_DDRM.mult(p, b, ws.pb);
        CommonOps_DDRM.multTransA(b, ws.pb, out);
        CommonOps_DDRM.scale(gamma, out);
        CommonOps_DDRM.addEquals(out, r);
        LqrMath.symmetrise(out);
    }

    /** log det of a symmetric matrix by Cholesky; NaN when it is not positive definite. */
    private static double logDetPositiveDefinite(DMatrixRMaj s, Workspace ws) {
        ws.sCopy.setTo(s);
        if (!ws.cholesky.decompose(ws.sCopy)) {
            return Double.NaN;
        }
        DMatrixRMaj l = ws.cholesky.getT(null);
        double logDet = 0.0;
        for (int i = 0; i < l.numRows; i++) {
            double d = l.get(i, i);
            if (!(d > 0.0)) {
                return Double.NaN;
            }
            logDet += 2.0 * Math.log(d);
        }
        return logDet;
    }

    /** Scratch for one solve. */
    private static final class Workspace {
        final DMatrixRMaj pa;
        final DMatrixRMaj pb;
        final DMatrixRMaj btpa;
        final DMatrixRMaj s;
        final DMatrixRMaj sCopy;
        final DMatrixRMaj x;
        final DMatrixRMaj diff;
        final org.ejml.interfaces.linsol.LinearSolverDense<DMatrixRMaj> solver;
        final org.ejml.interfaces.decomposition.CholeskyDecomposition_F64<DMatrixRMaj> cholesky;

        Workspace(int n, int m) {
            pa = new DMatrixRMaj(n, n);
            pb = new DMatrixRMaj(n, m);
            btpa = new DMatrixRMaj(m, n);
            s = new DMatrixRMaj(m, m);
            sCopy = new DMatrixRMaj(m, m);
            x = new DMatrixRMaj(m, n);
            diff = new DMatrixRMaj(n, n);
            solver = org.ejml.dense.row.factory.LinearSolverFactory_DDRM.chol(m);
            cholesky = DecompositionFactory_DDRM.chol(m, true);
        }
    }
}
