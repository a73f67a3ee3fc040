package dev.bilevel.core.random;

/** Draws from a categorical distribution stored as a slice of a flat probability table. */
public final class Categorical {

    private Categorical() {
    }

    /**
     * Draws an index of the slice {@code p[offset .. offset + n)} by inverse CDF, one uniform draw. Entries of zero
     * probability are never drawn: when rounding leaves the uniform above the slice's total, the last index of
     * positive probability is returned (index 0 for an all-zero slice).
     *
     * @param p a probability table
     * @param offset where the slice starts
     * @param n the slice's length
     * @param rng the randomness
     * @return an index in {@code [0, n)}
     */
    public static int draw(double[] p, int offset, int n, SplitMixRandom rng) {
        double u = rng.nextDouble();
        int last = 0;
        for (int i = 0; i < n; i++) {
            double pi = p[offset + i];
            if (pi > 0.0) {
                last = i;
                u -= pi;
                if (u < 0.0) {
                    return i;
                }
            }
        }
        return last;
    }
}
