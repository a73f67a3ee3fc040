package dev.bilevel.core.game;

/**
 * A leader's exact value {@code V_L(y) = E[Σ_{t<H} γ^t r_L(x_t) | x₀ ~ N(y, S₀)]} in a game whose closed loop is
 * linear-Gaussian and whose leader reward is a Gaussian bump {@code λ·exp(−½(x − x*)ᵀD⁻¹(x − x*))}: with
 * {@code x_t ~ N(M^t y, S_t)}, each term is a Gaussian integral, so
 * {@code V_L(y) = Σ_t w_t·exp(−½ (M^t y − x*)ᵀ P_t (M^t y − x*))} with {@code P_t = (D + S_t)⁻¹} and
 * {@code w_t = γ^t λ det(I + S_t D⁻¹)^{-½}}, precomputed per step. {@link #at(double[], int, int)} sums the first
 * {@code h ≤ H} terms, the value with {@code h} steps to go. Immutable, allocation-free and thread-safe.
 */
public final class LeaderValue {

    private final int n;
    private final int horizon;
    private final double[] powers;
    private final double[] precisions;
    private final double[] weights;
    private final double[] target;

    /**
     * @param n {@code dim x}
     * @param horizon {@code H}
     * @param powers {@code M^t}, {@code H} row-major {@code n×n} blocks (not copied)
     * @param precisions {@code P_t}, likewise (not copied)
     * @param weights {@code w_t}, {@code H} values (not copied)
     * @param target {@code x*} (not copied)
     */
    public LeaderValue(int n, int horizon, double[] powers, double[] precisions, double[] weights, double[] target) {
        if (powers.length != horizon * n * n || precisions.length != horizon * n * n || weights.length != horizon
                || target.length != n) {
            throw new IllegalArgumentException("leader value: arrays do not match n = " + n + ", H = " + horizon);
        }
        this.n = n;
        this.horizon = horizon;
        this.powers = powers;
        this.precisions = precisions;
        this.weights = weights;
        this.target = target;
    }

    /** {@code H}, the most steps it sums. */
    public int horizon() {
        return horizon;
    }

    /** {@code V_L(y)} over the whole horizon, {@code y = values[offset … offset + n)}. */
    public double at(double[] y, int offset) {
        return at(y, offset, horizon);
    }

    /** {@code V_L(y)} with {@code steps ≤ H} steps to go (0 gives 0). */
    public double at(double[] y, int offset, int steps) {
        return sum(y, offset, steps, null);
    }

    /**
     * Writes {@code ∇_y V_L(y)} with {@code steps} steps to go into {@code out[0…n)} and returns {@code V_L(y)}.
     */
    public double gradient(double[] y, int offset, int steps, double[] out) {
        java.util.Arrays.fill(out, 0, n, 0.0);
        return sum(y, offset, steps, out);
    }

    private double sum(double[] y, int offset, int steps, double[] gradient) {
        if (steps < 0 || steps > horizon) {
            throw new IllegalArgumentException("steps must be in [0, " + horizon + "], got " + steps);
        }
        double total = 0.0;
        int nn = n * n;
        for (int t = 0; t < steps; t++) {
            int base = t * nn;
            double quad = 0.0;
            for (int i = 0; i < n; i++) {
                double row = 0.0;
                for (int j = 0; j < n; j++) {
                    row += precisions[base + i * n + j] * deviation(base, j, y, offset);
                }
                quad += deviation(base, i, y, offset) * row;
            }
            double term = weights[t] * Math.exp(-0.5 * quad);
            total += term;
            if (gradient != null) {
                // ∇_y = −term·(M^t)ᵀ P_t (M^t y − x*).
                for (int i = 0; i < n; i++) {
                    double row = 0.0;
                    for (int j = 0; j < n; j++) {
                        row += precisions[base + i * n + j] * deviation(base, j, y, offset);
                    }
                    for (int k = 0; k < n; k++) {
                        gradient[k] -= term * powers[base + i * n + k] * row;
                    }
                }
            }
        }
        return total;
    }

    /** {@code (M^t y − x*)_i}. */
    private double deviation(int base, int i, double[] y, int offset) {
        double z = -target[i];
        for (int k = 0; k < n; k++) {
            z += powers[base + i * n + k] * y[offset + k];
        }
        return z;
    }
}
