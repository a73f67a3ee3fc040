package dev.bilevel.core.lqr;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The discounted maximum-entropy LQR of a follower that observes a linear-Gaussian leader's action
 * (reference-markov-game.md §2.3). The follower assumes {@code a = Kx + n}, {@code n ~ N(0, WWᵀ)}, so with
 * {@code w = C(a − Kx)} the game is an LQR with {@code Ā = A + CK} and observed noise {@code w ~ N(0, Σ_w)},
 * {@code Σ_w = (CW)(CW)ᵀ}. Riccati iteration from {@code P_xx = Q, v = 0}, re-solved from scratch on every
 * call as the reference does:
 *
 * <pre>
 * S     = R + γBᵀP B
 * P'    = Q + γĀᵀPĀ − γ²ĀᵀPB S⁻¹ BᵀPĀ
 * S'    = R + γBᵀP'B,   P_aa' = γP' − γ²P'B S'⁻¹ BᵀP'
 * v'    = [−β(m/2)·ln(πβ) + (β/2)·ln det S' + γ·tr(P_aa' Σ_w)] / (1 − γ)
 * stop when ‖P' − P‖_F &lt; tol (divided by ‖P‖_F if relative) and |v' − v| &lt; tol
 * then  P_xa = ĀᵀP_aa,  K_x = γS⁻¹BᵀPĀ,  K_a = γS⁻¹BᵀP,  Σ = (β/2)S⁻¹
 * </pre>
 *
 * <p>Failures are reported, not returned (reference-markov-game.md §7.17, where the reference iterates on
 * regardless): a pair {@code (√γĀ, √γB)} that is not stabilisable (the discounted cost is infinite for
 * every policy: checked beforehand by the Popov–Belevitch–Hautus test on the modes with {@code |λ| ≥ 1}),
 * a non-finite {@code P}, or one past the divergence bound raises a {@link SoftLqrException} naming
 * {@code K}. Running out of iterations is the reference's behaviour and is not an error: the solution
 * says {@link LeaderAwareLqrSolution#converged() converged() == false}.
 */
public final class LeaderAwareMaxEntLqr {

    /** The reference's tolerance. */
    public static final double REFERENCE_TOLERANCE = 1e-10;
    /** The reference's iteration budget. */
    public static final int REFERENCE_MAX_ITERATIONS = 1000;
    /** {@code ‖P‖_F} beyond this multiple of {@code 1 + ‖Q‖_F} counts as divergence. */
    public static final double DIVERGENCE_FACTOR = 1e12;
    /** Singular values below this fraction of the largest count as zero in the stabilisability test. */
    private static final double RANK_TOLERANCE = 1e-10;

    private final double tolerance;
    private final int maxIterations;
    private final boolean relativeTolerance;

    /** The reference settings: absolute tolerance {@code 1e-10}, at most 1,000 iterations. */
    public LeaderAwareMaxEntLqr() {
        this(REFERENCE_TOLERANCE, REFERENCE_MAX_ITERATIONS, false);
    }

    /**
     * @param tolerance stopping tolerance for the {@code P_xx} change and for {@code |Δv|}
     * @param maxIterations the iteration budget, at least 1
     * @param relativeTolerance compare {@code ‖ΔP_xx‖_F / ‖P_xx‖_F} with the tolerance instead of the
     *     reference's absolute {@code ‖ΔP_xx‖_F}
     */
    public LeaderAwareMaxEntLqr(double tolerance, int maxIterations, boolean relativeTolerance) {
        if (!(tolerance > 0.0)) {
            throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("iteration budget must be ≥ 1, got " + maxIterations);
        }
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.relativeTolerance = relativeTolerance;
    }

    /**
     * Solves the follower's problem against the leader policy {@code N(Kx, WWᵀ)}.
     *
     * @param problem the game as the follower sees it
     * @param leaderGain {@code K}, {@code l×n} row-major
     * @param leaderNoise {@code W}, {@code l×l} row-major
     * @return the solution
     * @throws SoftLqrException when the problem is not stabilisable or the iteration diverges
     */
    public LeaderAwareLqrSolution solve(LeaderAwareLqrProblem problem, double[] leaderGain, double[] leaderNoise) {
        Objects.requireNonNull(problem, "problem");
        int n = problem.stateDimension();
        int m = problem.followerActionDimension();
        int l = problem.leaderActionDimension();
        if (leaderGain.length != l * n) {
            throw new IllegalArgumentException("K must have " + l * n + " entries, got " + leaderGain.length);
        }
        if (leaderNoise.length != l * l) {
            throw new IllegalArgumentException("W must have " + l * l + " entries, got " + leaderNoise.length);
        }
        for (double k : leaderGain) {
            if (!Double.isFinite(k)) {
                throw new SoftLqrException("the leader gain K = " + Arrays.toString(leaderGain) + " is not finite");
            }
        }
        double gamma = problem.discount();
        double beta = problem.temperature();
        DMatrixRMaj c = DMatrixRMaj.wrap(n, l, problem.c());
        DMatrixRMaj k = DMatrixRMaj.wrap(l, n, leaderGain.clone());
        DMatrixRMaj abar = DMatrixRMaj.wrap(n, n, problem.a());
        CommonOps_DDRM.multAdd(c, k, abar);
        DMatrixRMaj b = DMatrixRMaj.wrap(n, m, problem.b());
        DMatrixRMaj q = DMatrixRMaj.wrap(n, n, problem.q());
        DMatrixRMaj r = DMatrixRMaj.wrap(m, m, problem.r());
        DMatrixRMaj cw = new DMatrixRMaj(n, l);
        CommonOps_DDRM.mult(c, DMatrixRMaj.wrap(l, l, leaderNoise.clone()), cw);
        DMatrixRMaj noise = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransB(cw, cw, noise);

        String unstabilisable = unstabilisableMode(abar, b, gamma);
        if (unstabilisable != null) {
            throw new SoftLqrException("the follower's LQR is not stabilisable for K = " + format(leaderGain)
                    + ": " + unstabilisable + "; its discounted cost is infinite");
        }

        Workspace ws = new Workspace(n, m);
        double divergenceBound = DIVERGENCE_FACTOR * (1.0 + NormOps_DDRM.normF(q));
        double entropyConstant = -beta * (m / 2.0) * Math.log(Math.PI * beta);
        DMatrixRMaj p = q.copy();
        DMatrixRMaj pNext = new DMatrixRMaj(n, n);
        double v = 0.0;
        double riccatiError = Double.NaN;
        double valueError = Double.NaN;
        boolean converged = false;
        int iterations = 0;
        // The workspace holds S, S⁻¹, BᵀP, S⁻¹BᵀP for the current P at the top of every iteration: computed here
        // for the start, then for each P' before it becomes P.
        gainTerms(b, r, gamma, p, ws);
        while (iterations < maxIterations) {
            riccatiStep(abar, b, q, r, gamma, p, pNext, ws);
            iterations++;
            double norm = NormOps_DDRM.normF(pNext);
            if (!Double.isFinite(norm) || norm > divergenceBound) {
                throw new SoftLqrException(String.format(Locale.ROOT,
                        "the follower's Riccati iteration diverged for K = %s (‖P_xx‖_F = %.3g after %d iterations)",
                        format(leaderGain), norm, iterations));
            }
            gainTerms(b, r, gamma, pNext, ws);
            double logDet = Cholesky.factorLogDeterminant(ws.s.data, m, ws.lower);
            if (Double.isNaN(logDet)) {
                throw new SoftLqrException("S = R + γBᵀPB lost positive definiteness for K = " + format(leaderGain));
            }
            aaBlock(gamma, pNext, ws, ws.paa);
            double vNext = (entropyConstant + 0.5 * beta * logDet + gamma * LqrMath.traceProduct(ws.paa, noise))
                    / (1.0 - gamma);
            CommonOps_DDRM.subtract(pNext, p, ws.diff);
            riccatiError = NormOps_DDRM.normF(ws.diff);
            if (relativeTolerance) {
                riccatiError /= NormOps_DDRM.normF(p) + 1e-300;
            }
            valueError = Math.abs(vNext - v);
            DMatrixRMaj t = p;
            p = pNext;
            pNext = t;
            v = vNext;
            if (riccatiError < tolerance && valueError < tolerance) {
                converged = true;
                break;
            }
        }
        // Final blocks and gains at the final P_xx (the last iteration left its gain terms and P_aa in ws).
        DMatrixRMaj paa = ws.paa.copy();
        DMatrixRMaj pxa = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransA(abar, paa, pxa);                 // P_xa = Āᵀ(γP − γ²PBS⁻¹BᵀP)
        DMatrixRMaj ka = new DMatrixRMaj(m, n);
        CommonOps_DDRM.scale(gamma, ws.sInvBtP, ka);               // K_a = γS⁻¹BᵀP
        DMatrixRMaj kx = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(ka, abar, kx);                         // K_x = γS⁻¹BᵀPĀ
        DMatrixRMaj sigma = ws.sInv.copy();
        CommonOps_DDRM.scale(beta / 2.0, sigma);
        LqrMath.symmetrise(sigma);
        return new LeaderAwareLqrSolution(n, m, l, p.data.clone(), pxa.data.clone(), paa.data.clone(), v,
                kx.data.clone(), ka.data.clone(), sigma.data.clone(), c.data.clone(), leaderGain.clone(),
                noise.data.clone(), iterations, riccatiError, valueError, converged);
    }

    /**
     * The Popov–Belevitch–Hautus test for stabilisability of the discounted problem: a mode {@code λ} of
     * {@code √γĀ} with {@code |λ| ≥ 1} and {@code rank [λI − √γĀ, √γB] < n} makes every policy's discounted
     * cost infinite (with {@code Q ≻ 0}).
     *
     * @return a description of the first such mode, or {@code null} when stabilisable
     */
    static String unstabilisableMode(DMatrixRMaj abar, DMatrixRMaj b, double gamma) {
        int n = abar.numRows;
        int m = b.numCols;
        double root = Math.sqrt(gamma);
        DMatrixRMaj scaled = abar.copy();
        CommonOps_DDRM.scale(root, scaled);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false);
        if (!eig.decompose(scaled.copy())) {
            return null; // no eigenvalues: let the iteration decide
        }
        for (int e = 0; e < eig.getNumberOfEigenvalues(); e++) {
            Complex_F64 lambda = eig.getEigenvalue(e);
            if (lambda.getMagnitude() < 1.0) {
                continue;
            }
            // Real embedding of the complex n×(n+m) matrix M = [λI − √γĀ, √γB]: [[Re, −Im], [Im, Re]] has
            // rank 2·rank(M).
            int cols = n + m;
            DMatrixRMaj real = new DMatrixRMaj(2 * n, 2 * cols);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < cols; j++) {
                    double re;
                    double im = 0.0;
                    if (j < n) {
                        re = (i == j ? lambda.real : 0.0) - scaled.get(i, j);
                        im = i == j ? lambda.imaginary : 0.0;
                    } else {
                        re = root * b.get(i, j - n);
                    }
                    real.set(i, j, re);
                    real.set(i, cols + j, -im);
                    real.set(n + i, j, im);
                    real.set(n + i, cols + j, re);
                }
            }
            SingularValueDecomposition_F64<DMatrixRMaj> svd =
                    DecompositionFactory_DDRM.svd(real.numRows, real.numCols, false, false, true);
            if (!svd.decompose(real)) {
                continue;
            }
            double[] sv = svd.getSingularValues();
            double max = 0.0;
            for (int i = 0; i < svd.numberOfSingularValues(); i++) {
                max = Math.max(max, sv[i]);
            }
            int rank = SingularOps_DDRM.rank(svd, Math.max(max, 1.0) * RANK_TOLERANCE);
            if (rank < 2 * n) {
                return String.format(Locale.ROOT, "the mode λ = %s of √γ_F·(A + CK) has |λ| = %.4g ≥ 1 and is "
                        + "uncontrollable from B", lambda.imaginary == 0.0
                        ? String.format(Locale.ROOT, "%.4g", lambda.real)
                        : String.format(Locale.ROOT, "%.4g%+.4gi", lambda.real, lambda.imaginary),
                        lambda.getMagnitude());
            }
        }
        return null;
    }

    /** {@code pNext = Q + γĀᵀPĀ − γ²ĀᵀPB S⁻¹ BᵀPĀ} (symmetrised), with the gain terms of {@code p} in {@code ws}. */
    private static void riccatiStep(DMatrixRMaj abar, DMatrixRMaj b, DMatrixRMaj q, DMatrixRMaj r, double gamma,
            DMatrixRMaj p, DMatrixRMaj pNext, Workspace ws) {
        CommonOps_DDRM.mult(p, abar, ws.pa);                    // PĀ
        CommonOps_DDRM.multTransA(abar, ws.pa, pNext);          // ĀᵀPĀ
        CommonOps_DDRM.scale(gamma, pNext);
        CommonOps_DDRM.multTransA(b, ws.pa, ws.btpa);           // BᵀPĀ
        CommonOps_DDRM.mult(ws.sInv, ws.btpa, ws.x);            // S⁻¹BᵀPĀ
        CommonOps_DDRM.multAddTransA(-gamma * gamma, ws.btpa, ws.x, pNext);
        CommonOps_DDRM.addEquals(pNext, q);
        LqrMath.symmetrise(pNext);
    }

    /** {@code S = R + γBᵀPB}, {@code S⁻¹}, {@code S⁻¹BᵀP} into the workspace. */
    private static void gainTerms(DMatrixRMaj b, DMatrixRMaj r, double gamma, DMatrixRMaj p, Workspace ws) {
        CommonOps_DDRM.multTransA(b, p, ws.btp);                // BᵀP (m×n)
        CommonOps_DDRM.mult(ws.btp, b, ws.s);                   // BᵀPB
        CommonOps_DDRM.scale(gamma, ws.s);
        CommonOps_DDRM.addEquals(ws.s, r);
        LqrMath.symmetrise(ws.s);
        if (!CommonOps_DDRM.invert(ws.s, ws.sInv)) {
            throw new SoftLqrException("S = R + γBᵀPB is singular");
        }
        CommonOps_DDRM.mult(ws.sInv, ws.btp, ws.sInvBtP);
    }

    /** {@code out = γP − γ²PB S⁻¹BᵀP} from the workspace's current gain terms. */
    private static void aaBlock(double gamma, DMatrixRMaj p, Workspace ws, DMatrixRMaj out) {
        out.setTo(p);
        CommonOps_DDRM.scale(gamma, out);
        CommonOps_DDRM.multAddTransA(-gamma * gamma, ws.btp, ws.sInvBtP, out);
        LqrMath.symmetrise(out);
    }

    private static String format(double[] k) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < k.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", k[i]));
        }
        return sb.append(']').toString();
    }

    /** Scratch for one solve. */
    private static final class Workspace {
        final DMatrixRMaj pa;
        final DMatrixRMaj btp;
        final DMatrixRMaj btpa;
        final DMatrixRMaj s;
        final DMatrixRMaj sInv;
        final DMatrixRMaj sInvBtP;
        final DMatrixRMaj x;
        final DMatrixRMaj diff;
        final DMatrixRMaj paa;
        /** The Cholesky factor of {@code S}, {@code m×m}, for its log-determinant. */
        final double[] lower;

        Workspace(int n, int m) {
            pa = new DMatrixRMaj(n, n);
            btp = new DMatrixRMaj(m, n);
            btpa = new DMatrixRMaj(m, n);
            s = new DMatrixRMaj(m, m);
            sInv = new DMatrixRMaj(m, m);
            sInvBtP = new DMatrixRMaj(m, n);
            x = new DMatrixRMaj(m, n);
            diff = new DMatrixRMaj(n, n);
            paa = new DMatrixRMaj(n, n);
            lower = new double[m * m];
        }
    }
}
