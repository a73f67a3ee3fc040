package dev.bilevel.learn.leader;

/**
 * The leader's optimiser for decision vectors, as in the reference: each parameter group (one group for an
 * ungrouped decision) has its own {@code clip_by_global_norm(c) → sgd(lr)} (optax), applied as gradient
 * <em>ascent</em>: {@code x_G ← x_G + lr·min(1, c/‖g_G‖)·g_G}.
 */
public final class ClippedSgd {

    private final int[] groups;
    private final double learningRate;
    private final double maxNorm;

    /**
     * @param groups the group sizes, in order
     * @param learningRate the SGD step, finite and non-negative
     * @param maxNorm the per-group clip, positive ({@code +∞}: never clip)
     */
    public ClippedSgd(int[] groups, double learningRate, double maxNorm) {
        if (!(learningRate >= 0.0 && learningRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("learning rate must be finite and ≥ 0: " + learningRate);
        }
        if (!(maxNorm > 0.0)) {
            throw new IllegalArgumentException("max gradient norm must be > 0: " + maxNorm);
        }
        for (int size : groups) {
            if (size < 1) {
                throw new IllegalArgumentException("parameter groups must be non-empty");
            }
        }
        this.groups = groups.clone();
        this.learningRate = learningRate;
        this.maxNorm = maxNorm;
    }

    /** One group of {@code dimension} parameters. */
    public static ClippedSgd ungrouped(int dimension, double learningRate, double maxNorm) {
        return new ClippedSgd(new int[] {dimension}, learningRate, maxNorm);
    }

    /** The number of parameters. */
    public int dimension() {
        int sum = 0;
        for (int g : groups) {
            sum += g;
        }
        return sum;
    }

    /**
     * The norm of each group of {@code gradient}, as {@link #ascend} clips them.
     *
     * @param gradient the ascent direction
     * @return one norm per group
     */
    public double[] norms(double[] gradient) {
        double[] norms = new double[groups.length];
        int start = 0;
        for (int g = 0; g < groups.length; g++) {
            double sq = 0.0;
            for (int i = start; i < start + groups[g]; i++) {
                sq += gradient[i] * gradient[i];
            }
            norms[g] = Math.sqrt(sq);
            start += groups[g];
        }
        return norms;
    }

    /**
     * One ascent step.
     *
     * @param weights updated in place
     * @param gradient the ascent direction (read only)
     * @return the norm of each group's gradient before clipping
     */
    public double[] ascend(double[] weights, double[] gradient) {
        return ascend(weights, gradient, norms(gradient));
    }

    /**
     * One ascent step with the group norms already computed.
     *
     * @param weights updated in place
     * @param gradient the ascent direction (read only)
     * @param norms {@link #norms(double[])} of {@code gradient}
     * @return {@code norms}
     */
    public double[] ascend(double[] weights, double[] gradient, double[] norms) {
        int start = 0;
        for (int g = 0; g < groups.length; g++) {
            double factor = norms[g] > maxNorm ? maxNorm / norms[g] : 1.0;
            for (int i = start; i < start + groups[g]; i++) {
                weights[i] += learningRate * factor * gradient[i];
            }
            start += groups[g];
        }
        return norms;
    }
}
