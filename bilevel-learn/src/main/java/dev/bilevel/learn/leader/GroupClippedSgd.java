package dev.bilevel.learn.leader;


/**
 * The reference's leader optimiser for grouped decisions: each parameter group has its own
 * {@code clip_by_global_norm(c) → sgd(lr)} (optax), applied as gradient <em>ascent</em>:
 * {@code w_G ← w_G + lr · g_G · min(1, c/‖g_G‖)}.
 */
public final class GroupClippedSgd {

    private final int[] groups;
    private final double learningRate;
    private final double maxNorm;

    /**
     * @param groups the group sizes, in order
     * @param learningRate the SGD step, finite and non-negative
     * @param maxNorm the per-group clip, positive
     */
    public GroupClippedSgd(int[] groups, double learningRate, double maxNorm) {
        if (!(learningRate >= 0.0 && learningRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("learning rate must be finite and ≥ 0: " + learningRate);
        }
        if (!(maxNorm > 0.0)) {
            throw new IllegalArgumentException("max gradient norm must be > 0: " + maxNorm);
        }
        this.groups = groups.clone();
        this.learningRate = learningRate;
        this.maxNorm = maxNorm;
    }

    /**
     * One ascent step.
     *
     * @param weights updated in place
     * @param gradient the ascent direction (read only)
     * @return the norm of each group's gradient before clipping
     */
    public double[] ascend(double[] weights, double[] gradient) {
        double[] norms = new double[groups.length];
        int start = 0;
        for (int g = 0; g < groups.length; g++) {
            double sq = 0.0;
            for (int i = start; i < start + groups[g]; i++) {
                sq += gradient[i] * gradient[i];
            }
            double norm = Math.sqrt(sq);
            norms[g] = norm;
            double factor = norm > maxNorm ? maxNorm / norm : 1.0;
            for (int i = start; i < start + groups[g]; i++) {
                weights[i] += learningRate * factor * gradient[i];
            }
            start += groups[g];
        }
        return norms;
    }
}
