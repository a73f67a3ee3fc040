package dev.bilevel.nn;

/** Plain stochastic gradient descent: {@code θ ← θ − lr·g}. */
public final class Sgd implements Optimizer {

    private double learningRate;

    /**
     * @param learningRate the step size, finite and non-negative
     */
    public Sgd(double learningRate) {
        setLearningRate(learningRate);
    }

    /** @return the current step size */
    public double learningRate() {
        return learningRate;
    }

    /**
     * Changes the step size (for schedules).
     *
     * @param learningRate the new step size, finite and non-negative
     */
    public void setLearningRate(double learningRate) {
        if (!(learningRate >= 0.0 && learningRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("learning rate must be finite and non-negative: " + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public void step(double[] parameters, double[] gradients) {
        if (parameters.length != gradients.length) {
            throw new IllegalArgumentException("lengths differ: " + parameters.length + " vs " + gradients.length);
        }
        double lr = learningRate;
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] -= lr * gradients[i];
        }
    }
}
