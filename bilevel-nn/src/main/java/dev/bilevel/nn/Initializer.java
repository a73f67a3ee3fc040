package dev.bilevel.nn;

import java.util.random.RandomGenerator;

/**
 * Weight initialisation schemes (gain 1, as torch's {@code nn.init} defaults). Biases are always set to zero
 * by {@link Mlp#initialize(Initializer, RandomGenerator)}. For a layer with {@code fanIn} inputs and
 * {@code fanOut} outputs, the weight matrix is {@code [fanOut][fanIn]} row-major.
 */
public enum Initializer {
    /** Gaussian entries with standard deviation {@code sqrt(2 / (fanIn + fanOut))}. */
    XAVIER_NORMAL {
        @Override
        void fill(double[] target, int offset, int fanOut, int fanIn, RandomGenerator rng) {
            double std = Math.sqrt(2.0 / (fanIn + fanOut));
            for (int i = 0, n = fanOut * fanIn; i < n; i++) {
                target[offset + i] = std * rng.nextGaussian();
            }
        }
    },
    /** Uniform entries on {@code [−a, a)} with {@code a = sqrt(6 / (fanIn + fanOut))}. */
    XAVIER_UNIFORM {
        @Override
        void fill(double[] target, int offset, int fanOut, int fanIn, RandomGenerator rng) {
            double a = Math.sqrt(6.0 / (fanIn + fanOut));
            for (int i = 0, n = fanOut * fanIn; i < n; i++) {
                target[offset + i] = rng.nextDouble(-a, a);
            }
        }
    },
    /**
     * A (semi-)orthogonal matrix, as torch's {@code orthogonal_} with gain 1: the Q factor (with positive
     * diagonal R) of a Gaussian matrix. When {@code fanOut ≥ fanIn} the columns are orthonormal
     * ({@code WᵀW = I}); otherwise the rows are ({@code WWᵀ = I}). Computed by modified Gram–Schmidt with one
     * re-orthogonalisation pass.
     */
    ORTHOGONAL {
        @Override
        void fill(double[] target, int offset, int fanOut, int fanIn, RandomGenerator rng) {
            int n = Math.max(fanOut, fanIn);
            int m = Math.min(fanOut, fanIn);
            // q is column-major [m][n]: column c occupies q[c*n .. c*n + n).
            double[] q = new double[n * m];
            for (int i = 0; i < q.length; i++) {
                q[i] = rng.nextGaussian();
            }
            for (int c = 0; c < m; c++) {
                int co = c * n;
                for (int pass = 0; pass < 2; pass++) {
                    for (int p = 0; p < c; p++) {
                        int po = p * n;
                        double dot = 0.0;
                        for (int i = 0; i < n; i++) {
                            dot += q[po + i] * q[co + i];
                        }
                        for (int i = 0; i < n; i++) {
                            q[co + i] -= dot * q[po + i];
                        }
                    }
                }
                double norm = 0.0;
                for (int i = 0; i < n; i++) {
                    norm += q[co + i] * q[co + i];
                }
                double inv = 1.0 / Math.sqrt(norm);
                for (int i = 0; i < n; i++) {
                    q[co + i] *= inv;
                }
            }
            for (int r = 0; r < fanOut; r++) {
                for (int c = 0; c < fanIn; c++) {
                    // fanOut >= fanIn: W = Q (n = fanOut rows, m = fanIn columns); else W = Qᵀ.
                    target[offset + r * fanIn + c] = fanOut >= fanIn ? q[c * n + r] : q[r * n + c];
                }
            }
        }
    };

    /** Writes a {@code [fanOut][fanIn]} row-major weight matrix at {@code target[offset ..]}. */
    abstract void fill(double[] target, int offset, int fanOut, int fanIn, RandomGenerator rng);
}
