package dev.bilevel.core.testing;

import java.util.function.ToDoubleFunction;

/** Central finite differences for gradient checks. */
public final class FiniteDifferences {

    private FiniteDifferences() {
    }

    /** {@code (f(x + h e_j) − f(x − h e_j)) / 2h} for every coordinate: error {@code O(h²)}. */
    public static double[] central(ToDoubleFunction<double[]> f, double[] x, double h) {
        double[] g = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[j] += h;
            minus[j] -= h;
            g[j] = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2.0 * h);
        }
        return g;
    }

    /**
     * Five-point central stencil {@code (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h}: error
     * {@code O(h⁴)}, for sharp objectives (low temperature) where the 3-point stencil's truncation error
     * is too large.
     */
    public static double[] central5(ToDoubleFunction<double[]> f, double[] x, double h) {
        double[] g = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            double[] p1 = x.clone();
            double[] p2 = x.clone();
            double[] m1 = x.clone();
            double[] m2 = x.clone();
            p1[j] += h;
            p2[j] += 2 * h;
            m1[j] -= h;
            m2[j] -= 2 * h;
            g[j] = (-f.applyAsDouble(p2) + 8 * f.applyAsDouble(p1) - 8 * f.applyAsDouble(m1) + f.applyAsDouble(m2))
                    / (12.0 * h);
        }
        return g;
    }

    /** {@code ‖a − b‖_∞ / ‖b‖_∞}; callers assert {@code ‖b‖_∞} is not tiny separately. */
    public static double relativeError(double[] actual, double[] reference) {
        return DenseMath.maxAbsDiff(actual, reference) / DenseMath.maxAbs(reference);
    }
}
