package dev.bilevel.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/** Central finite differences and the comparison used by the gradient tests. */
final class FiniteDifferences {

    private FiniteDifferences() {
    }

    /** {@code ∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h}, perturbing {@code x} in place and restoring it. */
    static double[] gradient(DoubleSupplier f, double[] x, int length, double h) {
        double[] g = new double[length];
        for (int i = 0; i < length; i++) {
            double saved = x[i];
            x[i] = saved + h;
            double plus = f.getAsDouble();
            x[i] = saved - h;
            double minus = f.getAsDouble();
            x[i] = saved;
            g[i] = (plus - minus) / (2.0 * h);
        }
        return g;
    }

    /**
     * Asserts {@code |a_i − n_i| ≤ rel·max(|a_i|, |n_i|, floor)} for every entry: a relative error bound
     * that becomes absolute ({@code rel·floor}) for entries near zero.
     */
    static void assertClose(double[] analytic, double[] numeric, double rel, double floor) {
        assertThat(analytic.length).isGreaterThanOrEqualTo(numeric.length);
        for (int i = 0; i < numeric.length; i++) {
            double scale = Math.max(floor, Math.max(Math.abs(analytic[i]), Math.abs(numeric[i])));
            assertThat(Math.abs(analytic[i] - numeric[i]))
                    .as("entry %d: analytic %s, numeric %s", i, analytic[i], numeric[i])
                    .isLessThanOrEqualTo(rel * scale);
        }
    }

    static double[] uniform(SplittableRandom rng, int n, double lo, double hi) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextDouble(lo, hi);
        }
        return x;
    }
}
