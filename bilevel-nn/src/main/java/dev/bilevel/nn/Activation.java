package dev.bilevel.nn;

/**
 * Element-wise activation functions. The derivative is expressed through the activation's <em>output</em>
 * {@code y = f(x)}, which is all a network keeps after its forward pass.
 */
public enum Activation {
    /**
     * {@code max(0, x)}; derivative 1 where the output is positive, else 0 (0 at the kink, as in torch). NaN
     * propagates.
     */
    RELU {
        @Override
        public double apply(double x) {
            return Math.max(x, 0.0);
        }

        @Override
        public double derivativeFromOutput(double y) {
            return y > 0.0 ? 1.0 : 0.0;
        }

        @Override
        void applyInPlace(double[] values, int length) {
            for (int i = 0; i < length; i++) {
                values[i] = Math.max(values[i], 0.0); // vectorised by C2; NaN stays NaN
            }
        }

        @Override
        void multiplyByDerivative(double[] outputs, double[] deltas, int length) {
            for (int i = 0; i < length; i++) {
                if (!(outputs[i] > 0.0)) {
                    deltas[i] = 0.0;
                }
            }
        }
    },
    /** Hyperbolic tangent; derivative {@code 1 − y²}. */
    TANH {
        @Override
        public double apply(double x) {
            return Math.tanh(x);
        }

        @Override
        public double derivativeFromOutput(double y) {
            return 1.0 - y * y;
        }

        @Override
        void applyInPlace(double[] values, int length) {
            for (int i = 0; i < length; i++) {
                values[i] = Math.tanh(values[i]);
            }
        }

        @Override
        void multiplyByDerivative(double[] outputs, double[] deltas, int length) {
            for (int i = 0; i < length; i++) {
                double y = outputs[i];
                deltas[i] *= 1.0 - y * y;
            }
        }
    },
    /** The identity (a linear layer); derivative 1. */
    IDENTITY {
        @Override
        public double apply(double x) {
            return x;
        }

        @Override
        public double derivativeFromOutput(double y) {
            return 1.0;
        }

        @Override
        void applyInPlace(double[] values, int length) {
            // nothing to do
        }

        @Override
        void multiplyByDerivative(double[] outputs, double[] deltas, int length) {
            // nothing to do
        }
    };

    /**
     * Applies the activation to one value.
     *
     * @param x the pre-activation
     * @return {@code f(x)}
     */
    public abstract double apply(double x);

    /**
     * The derivative {@code f'(x)} written as a function of the output {@code y = f(x)}.
     *
     * @param y the activation's output
     * @return {@code f'(x)}
     */
    public abstract double derivativeFromOutput(double y);

    /** Replaces {@code values[0 .. length)} by their activations. */
    abstract void applyInPlace(double[] values, int length);

    /** {@code deltas[i] *= f'(x_i)} for {@code i < length}, where {@code outputs[i] = f(x_i)}. */
    abstract void multiplyByDerivative(double[] outputs, double[] deltas, int length);
}
