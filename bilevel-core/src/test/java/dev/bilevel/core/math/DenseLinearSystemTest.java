package dev.bilevel.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.testing.DenseMath;
import dev.bilevel.core.testing.RandomInstances;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DenseLinearSystemTest {

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void solvesSystemAndTransposeWithoutTouchingInputs(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 1 + rng.nextInt(25);
        double discount = RandomInstances.uniform(rng, 0.0, 0.99);
        double[] m = RandomInstances.uniformVector(rng, n * n, 0.0, 1.0 / n);
        double[] mCopy = m.clone();
        double[] b = RandomInstances.uniformVector(rng, n, -2.0, 2.0);
        double[] bCopy = b.clone();
        DenseLinearSystem system = new DenseLinearSystem(m, n, discount);

        double[] x = system.solve(b);
        double[] y = system.solveTransposed(b);
        double[] x2 = system.solve(b);
        assertThat(m).containsExactly(mCopy);
        assertThat(b).containsExactly(bCopy);
        assertThat(x2).containsExactly(x);

        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = (i == j ? 1.0 : 0.0) - discount * m[i * n + j];
            }
        }
        assertThat(DenseMath.maxAbsDiff(x, DenseMath.solve(a, b))).isLessThan(1e-12);
        assertThat(DenseMath.maxAbsDiff(y, DenseMath.solve(DenseMath.transpose(a), b))).isLessThan(1e-12);
        if (n > 1) {
            // Not symmetric in general, so the transposed solve must differ.
            assertThat(DenseMath.maxAbsDiff(x, y)).isGreaterThan(1e-8);
        }
    }

    @Test
    void rejectsWrongShapes() {
        assertThatThrownBy(() -> new DenseLinearSystem(new double[3], 2, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 4");
        DenseLinearSystem system = new DenseLinearSystem(new double[4], 2, 0.5);
        assertThatThrownBy(() -> system.solve(new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 2");
    }
}
