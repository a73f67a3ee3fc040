package dev.bilevel.nn;

import java.util.Arrays;

/**
 * Adam (Kingma &amp; Ba), computed exactly as {@code torch.optim.Adam} without weight decay or amsgrad: with
 * step count {@code t} (starting at 1),
 *
 * <pre>
 * m ← m + (1 − β₁)·(g − m)            (torch's lerp)
 * v ← β₂·v + (1 − β₂)·g²
 * θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 *
 * The moments are sized once for one parameter vector; use one instance per vector.
 */
public final class Adam implements Optimizer {

    private final double[] m;
    private final double[] v;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private double learningRate;
    private long steps;

    /**
     * Adam with torch's defaults {@code β₁ = 0.9, β₂ = 0.999, ε = 1e-8}.
     *
     * @param size the parameter count
     * @param learningRate the step size
     */
    public Adam(int size, double learningRate) {
        this(size, learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * @param size the parameter count
     * @param lr the step size, finite and non-negative
     * @param beta1 the first-moment decay, in {@code [0, 1)}
     * @param beta2 the second-moment decay, in {@code [0, 1)}
     * @param eps added to the denominator, non-negative
     */
    public Adam(int size, double lr, double beta1, double beta2, double eps) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be non-negative: " + size);
        }
        if (!(beta1 >= 0.0 && beta1 < 1.0) || !(beta2 >= 0.0 && beta2 < 1.0)) {
            throw new IllegalArgumentException("betas must be in [0, 1): " + beta1 + ", " + beta2);
        }
        if (!(eps >= 0.0 && eps < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("eps must be finite and non-negative: " + eps);
        }
        this.m = new double[size];
        this.v = new double[size];
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        setLearningRate(lr);
    }

    /** @return the current step size */
    public double learningRate() {
        return learningRate;
    }

    /**
     * Changes the step size (for schedules such as PPO's linear annealing); the moments are kept.
     *
     * @param learningRate the new step size, finite and non-negative
     */
    public void setLearningRate(double learningRate) {
        if (!(learningRate >= 0.0 && learningRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("learning rate must be finite and non-negative: " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** @return the number of steps taken since construction or the last {@link #reset()} */
    public long stepCount() {
        return steps;
    }

    /**
     * The first-moment estimates, live: a checkpoint copies them out, a restore copies them back in.
     *
     * @return the moments, one per parameter
     */
    public double[] firstMoments() {
        return m;
    }

    /**
     * The second-moment estimates, live, as {@link #firstMoments()}.
     *
     * @return the moments, one per parameter
     */
    public double[] secondMoments() {
        return v;
    }

    /**
     * Sets the step count, when restoring a checkpoint together with the moments.
     *
     * @param steps a value of {@link #stepCount()}
     * @throws IllegalArgumentException when negative
     */
    public void restoreStepCount(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("step count must be non-negative: " + steps);
        }
        this.steps = steps;
    }

    /** Forgets the moments and the step count. */
    public void reset() {
        Arrays.fill(m, 0.0);
        Arrays.fill(v, 0.0);
        steps = 0;
    }

    @Override
    public void step(double[] parameters, double[] gradients) {
        int n = m.length;
        if (parameters.length != n || gradients.length != n) {
            throw new IllegalArgumentException("expected " + n + " parameters and gradients, got "
                    + parameters.length + " and " + gradients.length);
        }
        steps++;
        double biasCorrection1 = 1.0 - Math.pow(beta1, steps);
        double biasCorrection2 = 1.0 - Math.pow(beta2, steps);
        double stepSize = learningRate / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        double oneMinusBeta1 = 1.0 - beta1;
        double oneMinusBeta2 = 1.0 - beta2;
        double b2 = beta2;
        double e = eps;
        double[] mm = m;
        double[] vv = v;
        for (int i = 0; i < n; i++) {
            double g = gradients[i];
            double mi = mm[i] + oneMinusBeta1 * (g - mm[i]);
            double vi = vv[i] * b2 + oneMinusBeta2 * (g * g);
            mm[i] = mi;
            vv[i] = vi;
            parameters[i] -= stepSize * (mi / (Math.sqrt(vi) / biasCorrection2Sqrt + e));
        }
    }
}
