package dev.bilevel.learn.follower;

import dev.bilevel.core.random.SplitMixRandom;

/**
 * The arithmetic of a tanh-Gaussian policy (a soft actor-critic's): an action {@code a = c·tanh(u)},
 * {@code u = μ + σ·ε}, {@code ε ~ N(0, 1)}, with {@code log σ} clamped to {@code [−20, 2]}. Shared by the learner and
 * by what a leader observes of it, so that both compute the same numbers.
 */
public final class TanhGaussian {

    private static final double LOG_STD_MIN = -20.0;
    private static final double LOG_STD_MAX = 2.0;
    private static final double TANH_EPS = 1e-6;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2.0 * Math.PI);

    private TanhGaussian() {
    }

    /** The network's raw log standard deviation, clamped to {@code [−20, 2]}. */
    public static double clampLogStd(double raw) {
        return Math.max(LOG_STD_MIN, Math.min(LOG_STD_MAX, raw));
    }

    /** Whether the raw log standard deviation was clamped (its gradient is then zero). */
    public static boolean clamped(double raw) {
        return raw < LOG_STD_MIN || raw > LOG_STD_MAX;
    }

    /**
     * One coordinate's {@code log π(a)} up to the scale's constant: {@code log N(u; μ, σ) − log(1 − tanh²u + 10⁻⁶)}.
     *
     * @param eps the standard normal draw {@code ε}
     * @param logStd the clamped {@code log σ}
     * @param squashed {@code tanh(u)}
     */
    public static double logProb(double eps, double logStd, double squashed) {
        return -0.5 * eps * eps - logStd - HALF_LOG_2PI - Math.log(1.0 - squashed * squashed + TANH_EPS);
    }

    /**
     * Draws one row of a batch from an actor's raw output ({@code μ_j} then the raw {@code log σ_j}, for each of the
     * {@code m} coordinates, {@code 2m} values per row): {@code ε_j ~ N(0, 1)} in coordinate order, {@code tanh(u_j)}
     * written to {@code squashed[to + j]} and, unless {@code noise} is null, {@code ε_j} to {@code noise[to + j]}.
     *
     * @return {@code Σ_j log π} of the row (see {@link #logProb})
     */
    public static double drawRow(double[] raw, int row, int m, SplitMixRandom random, double[] squashed, int to,
            double[] noise) {
        double lp = 0.0;
        for (int j = 0; j < m; j++) {
            double logStd = clampLogStd(raw[row * 2 * m + m + j]);
            double eps = random.nextGaussian();
            double t = Math.tanh(raw[row * 2 * m + j] + Math.exp(logStd) * eps);
            if (noise != null) {
                noise[to + j] = eps;
            }
            squashed[to + j] = t;
            lp += logProb(eps, logStd, t);
        }
        return lp;
    }

    /** {@code ∂/∂u} of {@code −log(1 − tanh²u + 10⁻⁶)}, given {@code t = tanh u} and {@code 1 − t²}. */
    public static double squashCorrectionSlope(double squashed, double oneMinusSquared) {
        return 2.0 * squashed * oneMinusSquared / (oneMinusSquared + TANH_EPS);
    }
}
