package dev.bilevel.nn;

/**
 * A first-order optimiser over a flat parameter vector. Steps are descent steps: the parameters move
 * against the gradient ({@code parameters −= update(gradients)}). Implementations keep whatever state they
 * need (moments, step count) sized once at construction, and allocate nothing per step.
 */
public interface Optimizer {

    /**
     * Applies one update in place.
     *
     * @param parameters the parameters, updated in place
     * @param gradients the loss gradient, same length (read only)
     */
    void step(double[] parameters, double[] gradients);
}
