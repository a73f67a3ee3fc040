package dev.bilevel.core.lqr;

import java.util.Objects;

/**
 * A linear-quadratic Markov game as its follower sees it: dynamics {@code x' = A x + B u + C a}, where
 * {@code u} is the follower's action and {@code a} the leader's, which the follower observes before acting;
 * follower cost {@code xᵀQx + uᵀRu} per step (its reward is the negative), discount {@code γ_F} and entropy
 * weight {@code β}. Matrices are flat row-major arrays, copied on construction and by every accessor.
 *
 * @param stateDimension {@code n}
 * @param followerActionDimension {@code m}
 * @param leaderActionDimension {@code l}
 * @param a {@code A}, {@code n×n}
 * @param b {@code B}, {@code n×m}
 * @param c {@code C}, {@code n×l}
 * @param q {@code Q}, {@code n×n}, symmetric
 * @param r {@code R}, {@code m×m}, symmetric positive definite
 * @param discount {@code γ_F ∈ [0, 1)}
 * @param temperature {@code β > 0}
 */
public record LeaderAwareLqrProblem(int stateDimension, int followerActionDimension, int leaderActionDimension,
        double[] a, double[] b, double[] c, double[] q, double[] r, double discount, double temperature) {

    /** Checks shapes, finiteness, symmetry and ranges; copies the arrays. */
    public LeaderAwareLqrProblem {
        int n = stateDimension;
        int m = followerActionDimension;
        int l = leaderActionDimension;
        if (n < 1 || m < 1 || l < 1) {
            throw new IllegalArgumentException("dimensions must be positive: n=" + n + ", m=" + m + ", l=" + l);
        }
        a = checked("A", a, n, n);
        b = checked("B", b, n, m);
        c = checked("C", c, n, l);
        q = checked("Q", q, n, n);
        r = checked("R", r, m, m);
        symmetric("Q", q, n);
        symmetric("R", r, m);
        if (!Cholesky.isPositiveDefinite(r, m)) {
            throw new IllegalArgumentException("R must be positive definite");
        }
        if (!(discount >= 0.0 && discount < 1.0)) {
            throw new IllegalArgumentException("follower discount must be in [0, 1), got " + discount);
        }
        if (!(temperature > 0.0 && temperature < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("follower temperature must be positive and finite, got " + temperature);
        }
    }

    @Override
    public double[] a() {
        return a.clone();
    }

    @Override
    public double[] b() {
        return b.clone();
    }

    @Override
    public double[] c() {
        return c.clone();
    }

    @Override
    public double[] q() {
        return q.clone();
    }

    @Override
    public double[] r() {
        return r.clone();
    }

    /** The same model with another discount and temperature. */
    public LeaderAwareLqrProblem with(double newDiscount, double newTemperature) {
        return new LeaderAwareLqrProblem(stateDimension, followerActionDimension, leaderActionDimension, a, b, c, q,
                r, newDiscount, newTemperature);
    }

    private static double[] checked(String name, double[] v, int rows, int cols) {
        Objects.requireNonNull(v, name);
        if (v.length != rows * cols) {
            throw new IllegalArgumentException(name + " must be " + rows + "×" + cols + " (" + rows * cols
                    + " entries), got " + v.length + " entries");
        }
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException(name + " has a non-finite entry");
            }
        }
        return v.clone();
    }

    private static void symmetric(String name, double[] v, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double x = v[i * n + j];
                double y = v[j * n + i];
                if (Math.abs(x - y) > 1e-12 * Math.max(1.0, Math.max(Math.abs(x), Math.abs(y)))) {
                    throw new IllegalArgumentException(name + " must be symmetric");
                }
            }
        }
    }
}
