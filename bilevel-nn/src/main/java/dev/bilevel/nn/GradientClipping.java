package dev.bilevel.nn;

/** Global-norm gradient clipping with the semantics of torch's {@code clip_grad_norm_} (L2 norm). */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * @param gradients a gradient vector
     * @return its Euclidean norm
     */
    public static double globalNorm(double[] gradients) {
        double sum = 0.0;
        for (double g : gradients) {
            sum += g * g;
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales the gradients in place by {@code maxNorm / (norm + 1e-6)} when that factor is below 1 (that
     * is, when the norm exceeds {@code maxNorm}, up to the {@code 1e-6}), exactly as torch does. An infinite
     * norm scales by 0; a NaN norm leaves the gradients as they are (torch would make them all NaN).
     *
     * @param gradients the gradient vector, scaled in place
     * @param maxNorm the largest allowed norm, non-negative
     * @return the norm before clipping
     */
    public static double clipGlobalNorm(double[] gradients, double maxNorm) {
        checkMaxNorm(maxNorm);
        double norm = globalNorm(gradients);
        scale(gradients, norm, maxNorm);
        return norm;
    }

    /**
     * Clips several gradient vectors (say an actor's and a critic's trained by one loss) by their joint
     * norm, as torch does for a list of parameters.
     *
     * @param maxNorm the largest allowed joint norm, non-negative
     * @param gradients the gradient vectors, scaled in place
     * @return the joint norm before clipping
     */
    public static double clipGlobalNorm(double maxNorm, double[]... gradients) {
        checkMaxNorm(maxNorm);
        double sum = 0.0;
        for (double[] g : gradients) {
            for (double x : g) {
                sum += x * x;
            }
        }
        double norm = Math.sqrt(sum);
        for (double[] g : gradients) {
            scale(g, norm, maxNorm);
        }
        return norm;
    }

    private static void scale(double[] gradients, double norm, double maxNorm) {
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1.0) {
            for (int i = 0; i < gradients.length; i++) {
                gradients[i] *= coefficient;
            }
        }
    }

    private static void checkMaxNorm(double maxNorm) {
        if (!(maxNorm >= 0.0)) {
            throw new IllegalArgumentException("maxNorm must be non-negative: " + maxNorm);
        }
    }
}
