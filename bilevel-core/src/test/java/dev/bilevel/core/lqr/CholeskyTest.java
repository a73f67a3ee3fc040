package dev.bilevel.core.lqr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** {@link Cholesky}: factor, log-determinant, triangular solve and product on a known SPD matrix; non-SPD input. */
class CholeskyTest {

    /** {@code A = LLᵀ} with the exact factor {@code L = [[2,0,0],[1,3,0],[-1,2,4]]}. */
    private static final double[] A = {4, 2, -2, 2, 10, 5, -2, 5, 21};
    private static final double[] L = {2, 0, 0, 1, 3, 0, -1, 2, 4};

    /** Symmetric, indefinite (eigenvalues 4 and −2). */
    private static final double[] INDEFINITE = {1, 3, 3, 1};

    @Test
    void factorsAKnownSpdMatrix() {
        double[] lower = new double[9];
        assertThat(Cholesky.factor(A, 3, lower)).isTrue();
        assertThat(lower).containsExactly(L);
        assertThat(Cholesky.factorOrThrow(A, 3, "unused")).containsExactly(L);
        assertThat(Cholesky.isPositiveDefinite(A, 3)).isTrue();
    }

    @Test
    void logDeterminantIsTheSumOfTheLogPivots() {
        double[] lower = new double[9];
        double logDet = Cholesky.factorLogDeterminant(A, 3, lower);
        assertThat(logDet).isEqualTo(Math.log(4) + Math.log(9) + Math.log(16));
        assertThat(logDet).isCloseTo(Math.log(576), within(1e-12));
        assertThat(lower).containsExactly(L);
    }

    @Test
    void readsOnlyTheLowerTriangleAndWritesOnlyTheLowerFactor() {
        double[] a = A.clone();
        a[1] = Double.NaN;
        a[2] = 99;
        a[5] = -7;
        double[] lower = {0, 42, 43, 0, 0, 44, 0, 0, 0};
        assertThat(Cholesky.factor(a, 3, lower)).isTrue();
        assertThat(lower).containsExactly(2, 42, 43, 1, 3, 44, -1, 2, 4);
    }

    @Test
    void solvesAgainstTheFactor() {
        // A x = b with x = (1, −2, 3): forward L y = b, then check Lᵀx = y by the product.
        double[] x = {1, -2, 3};
        double[] b = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                b[i] += A[i * 3 + j] * x[j];
            }
        }
        double[] y = new double[3];
        Cholesky.solveLower(L, 3, b, y);
        for (int i = 0; i < 3; i++) {
            double ltx = 0.0;
            for (int k = i; k < 3; k++) {
                ltx += L[k * 3 + i] * x[k];
            }
            assertThat(y[i]).isCloseTo(ltx, within(1e-12));
        }
        // In place gives the same bits.
        double[] inPlace = b.clone();
        Cholesky.solveLower(L, 3, inPlace, inPlace);
        assertThat(inPlace).containsExactly(y);
        // And L y recovers b, added onto what is already there.
        double[] out = {0, 100, 1, 2, 3};
        Cholesky.multiplyLowerAdd(L, 3, y, out, 2);
        assertThat(out[0]).isZero();
        assertThat(out[1]).isEqualTo(100);
        for (int i = 0; i < 3; i++) {
            assertThat(out[2 + i]).isCloseTo(i + 1 + b[i], within(1e-12));
        }
    }

    @Test
    void rejectsMatricesThatAreNotPositiveDefinite() {
        assertThat(Cholesky.factor(INDEFINITE, 2, new double[4])).isFalse();
        assertThat(Cholesky.isPositiveDefinite(INDEFINITE, 2)).isFalse();
        assertThat(Cholesky.factorLogDeterminant(INDEFINITE, 2, new double[4])).isNaN();
        assertThat(Cholesky.isPositiveDefinite(new double[] {0}, 1)).isFalse();
        assertThat(Cholesky.isPositiveDefinite(new double[] {Double.NaN}, 1)).isFalse();
        assertThatThrownBy(() -> Cholesky.factorOrThrow(INDEFINITE, 2, "Σ is not positive definite"))
                .isInstanceOf(SoftLqrException.class)
                .hasMessage("Σ is not positive definite");
    }

    @Test
    void callersKeepTheirMessages() {
        // LeaderAwareLqrProblem validates R through the helper.
        assertThatThrownBy(() -> new LeaderAwareLqrProblem(1, 2, 1, new double[] {1}, new double[] {1, 0},
                new double[] {1}, new double[] {1}, INDEFINITE, 0.9, 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("R must be positive definite");
    }
}
