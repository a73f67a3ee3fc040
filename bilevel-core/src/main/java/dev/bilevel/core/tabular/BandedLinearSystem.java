package dev.bilevel.core.tabular;


/**
 * Solves {@code (I − γ·M) x = b} and {@code (I − γ·M)ᵀ x = b} where {@code M(s,s') = Σ_a w(s,a)·P(s'|s,a)}
 * is the chain a policy (or any non-negative weighting with row sums ≤ 1) induces on
 * {@link TabularDynamics}: the linear systems behind exact policy evaluation, discounted occupancy,
 * Newton steps of soft solvers and implicit differentiation.
 *
 * <p>The matrix is stored as a band of {@code lower + upper + 1} diagonals and factored by LU without
 * pivoting, which is stable here because {@code I − γM} is a strictly diagonally dominant M-matrix
 * for {@code γ < 1}. Gridworlds in row-major order have a narrow band (FourRooms: about a dozen
 * diagonals for 104 states), so a factorisation costs {@code O(S·lower·upper)} instead of
 * {@code O(S³)}; for a general kernel the band is the full matrix and the cost is that of dense LU.
 * An instance is reusable: {@link #factor} overwrites the previous factorisation without allocating.
 */
public final class BandedLinearSystem {

    private final int n;
    private final int lower;
    private final int upper;
    private final int width;
    private final double[] band;

    /** Allocates a system sized for the given dynamics' bandwidth. */
    public BandedLinearSystem(TabularDynamics dynamics) {
        this(dynamics.states(), dynamics.lowerBandwidth(), dynamics.upperBandwidth());
    }

    /**
     * @param n matrix size
     * @param lower number of sub-diagonals that may be non-zero
     * @param upper number of super-diagonals that may be non-zero
     */
    public BandedLinearSystem(int n, int lower, int upper) {
        this.n = n;
        this.lower = lower;
        this.upper = upper;
        this.width = lower + upper + 1;
        this.band = new double[n * width];
    }

    /** Factors {@code I − γ·M_w} for the dynamics and weights ({@code [s·A + a]}) given. */
    public static BandedLinearSystem of(TabularDynamics dynamics, double[] weights, double discount) {
        BandedLinearSystem system = new BandedLinearSystem(dynamics);
        system.factor(dynamics, weights, discount);
        return system;
    }

    /** Assembles and factors {@code I − γ·M_w}; terminal states get identity rows (no continuation). */
    public BandedLinearSystem factor(TabularDynamics dynamics, double[] weights, double discount) {
        java.util.Arrays.fill(band, 0.0);
        int actions = dynamics.actions();
        for (int s = 0; s < n; s++) {
            band[s * width + lower] = 1.0;
            if (dynamics.isTerminal(s)) {
                continue;
            }
            int rowBase = s * width + lower - s;
            for (int a = 0; a < actions; a++) {
                int row = s * actions + a;
                double w = weights[row];
                if (w == 0.0) {
                    continue;
                }
                double scale = discount * w;
                for (int k = dynamics.rowStart(row), end = dynamics.rowStart(row + 1); k < end; k++) {
                    band[rowBase + dynamics.successor(k)] -= scale * dynamics.probability(k);
                }
            }
        }
        decompose();
        return this;
    }

    /** In-place LU without pivoting inside the band. */
    private void decompose() {
        for (int k = 0; k < n; k++) {
            double pivot = band[k * width + lower];
            if (!(Math.abs(pivot) > 1e-300) || !Double.isFinite(pivot)) {
                throw new ArithmeticException("singular system I − γM at row " + k);
            }
            double inv = 1.0 / pivot;
            int iEnd = Math.min(n - 1, k + lower);
            int jEnd = Math.min(n - 1, k + upper);
            int pivotRow = k * width + lower - k;
            for (int i = k + 1; i <= iEnd; i++) {
                int rowOff = i * width + lower - i;
                double factor = band[rowOff + k];
                if (factor == 0.0) {
                    continue;
                }
                factor *= inv;
                band[rowOff + k] = factor;
                for (int j = k + 1; j <= jEnd; j++) {
                    band[rowOff + j] -= factor * band[pivotRow + j];
                }
            }
        }
    }

    /** Solves {@code (I − γM) x = b} in place: {@code b} is overwritten with {@code x}. */
    public void solveInPlace(double[] b) {
        checkLength(b);
        for (int i = 0; i < n; i++) {
            int rowOff = i * width + lower - i;
            double sum = b[i];
            for (int j = Math.max(0, i - lower); j < i; j++) {
                sum -= band[rowOff + j] * b[j];
            }
            b[i] = sum;
        }
        for (int i = n - 1; i >= 0; i--) {
            int rowOff = i * width + lower - i;
            double sum = b[i];
            for (int j = i + 1, end = Math.min(n - 1, i + upper); j <= end; j++) {
                sum -= band[rowOff + j] * b[j];
            }
            b[i] = sum / band[rowOff + i];
        }
        checkFinite(b);
    }

    /** Solves {@code (I − γM)ᵀ x = b} in place. */
    public void solveTransposedInPlace(double[] b) {
        checkLength(b);
        // Aᵀ = Uᵀ Lᵀ: forward with Uᵀ (lower triangular), then backward with Lᵀ (unit upper).
        for (int i = 0; i < n; i++) {
            int rowOff = i * width + lower - i;
            b[i] /= band[rowOff + i];
            double bi = b[i];
            if (bi != 0.0) {
                for (int j = i + 1, end = Math.min(n - 1, i + upper); j <= end; j++) {
                    b[j] -= band[rowOff + j] * bi;
                }
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            int rowOff = i * width + lower - i;
            double bi = b[i];
            if (bi != 0.0) {
                for (int j = Math.max(0, i - lower); j < i; j++) {
                    b[j] -= band[rowOff + j] * bi;
                }
            }
        }
        checkFinite(b);
    }

    /** Returns {@code x} with {@code (I − γM) x = b}; {@code b} is not modified. */
    public double[] solve(double[] b) {
        double[] x = b.clone();
        solveInPlace(x);
        return x;
    }

    /** Returns {@code x} with {@code (I − γM)ᵀ x = b}; {@code b} is not modified. */
    public double[] solveTransposed(double[] b) {
        double[] x = b.clone();
        solveTransposedInPlace(x);
        return x;
    }

    private void checkLength(double[] b) {
        if (b.length != n) {
            throw new IllegalArgumentException("right-hand side has " + b.length + " entries, expected " + n);
        }
    }

    private static void checkFinite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new ArithmeticException("linear solve produced a non-finite value");
            }
        }
    }
}
