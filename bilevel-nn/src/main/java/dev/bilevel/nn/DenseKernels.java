package dev.bilevel.nn;

import java.util.Arrays;

/**
 * The dense-layer loops behind {@link Mlp}. A layer maps rows {@code x_b [in]} to rows {@code y_b [out]}
 * with weights {@code W [out][in]} (row-major at {@code w[wOff ..]} in the flat parameter vector) and bias
 * {@code b [out]}.
 *
 * <p>Batched operands are held as arrays of rows ({@code double[batch][width]}, each row a flat
 * {@code double[]}) rather than one flat array: HotSpot's C2 (JDK 17) only vectorises an inner loop when
 * every array in it is indexed by the same expression, and rows at different offsets of one flat array
 * defeat that (it cannot rule out the overlap). Every inner loop here therefore has the shape
 * {@code dst[j] += a0·s0[j] + a1·s1[j] + a2·s2[j] + a3·s3[j]} over whole rows starting at index 0; the
 * results are folded into the flat gradient vector once per layer. Every output row of a forward pass is
 * computed by the same operations whatever the batch size, so a batch's forward pass equals its rows'
 * forward passes bit for bit.
 */
final class DenseKernels {

    private DenseKernels() {
    }

    /** {@code wt[k][j] = W[j][k]}, {@code wt} of shape {@code [in][≥ out]}. */
    static void transposeInto(double[] w, int wOff, int out, int in, double[][] wt) {
        for (int j = 0; j < out; j++) {
            int row = wOff + j * in;
            for (int k = 0; k < in; k++) {
                wt[k][j] = w[row + k];
            }
        }
    }

    /** {@code wr[j][k] = W[j][k]}, {@code wr} of shape {@code [out][≥ in]}. */
    static void rowsInto(double[] w, int wOff, int out, int in, double[][] wr) {
        for (int j = 0; j < out; j++) {
            System.arraycopy(w, wOff + j * in, wr[j], 0, in);
        }
    }

    /**
     * {@code y_b = bias + Σ_k x_b[k]·Wᵀ[k]} (the i-k-j order, vectorised over the {@code out} columns),
     * given the transposed weights {@code wt [in][out]}. Suited to wide outputs.
     */
    static void forwardAxpy(double[][] x, double[][] wt, double[] params, int bOff, double[][] y, int batch,
            int in, int out) {
        for (int b = 0; b < batch; b++) {
            double[] xr = x[b];
            double[] yr = y[b];
            System.arraycopy(params, bOff, yr, 0, out);
            int k = 0;
            for (; k + 3 < in; k += 4) {
                double x0 = xr[k];
                double x1 = xr[k + 1];
                double x2 = xr[k + 2];
                double x3 = xr[k + 3];
                double[] t0 = wt[k];
                double[] t1 = wt[k + 1];
                double[] t2 = wt[k + 2];
                double[] t3 = wt[k + 3];
                for (int j = 0; j < out; j++) {
                    yr[j] += x0 * t0[j] + x1 * t1[j] + x2 * t2[j] + x3 * t3[j];
                }
            }
            for (; k < in; k++) {
                double x0 = xr[k];
                double[] t0 = wt[k];
                for (int j = 0; j < out; j++) {
                    yr[j] += x0 * t0[j];
                }
            }
        }
    }

    /**
     * {@code y_b[j] = bias[j] + ⟨x_b, W[j]⟩} as dot products, four batch rows at a time (sixteen independent
     * accumulations in registers would not fit a narrow layer; four rows share each weight load). Suited to
     * narrow outputs (a value head, a few logits).
     */
    static void forwardDot(double[][] x, double[] w, int wOff, int bOff, double[][] y, int batch, int in,
            int out) {
        int b = 0;
        for (; b + 3 < batch; b += 4) {
            double[] x0 = x[b];
            double[] x1 = x[b + 1];
            double[] x2 = x[b + 2];
            double[] x3 = x[b + 3];
            for (int j = 0; j < out; j++) {
                int wo = wOff + j * in;
                double s0 = 0.0;
                double s1 = 0.0;
                double s2 = 0.0;
                double s3 = 0.0;
                for (int k = 0; k < in; k++) {
                    double wk = w[wo + k];
                    s0 += x0[k] * wk;
                    s1 += x1[k] * wk;
                    s2 += x2[k] * wk;
                    s3 += x3[k] * wk;
                }
                double bj = w[bOff + j];
                y[b][j] = bj + s0;
                y[b + 1][j] = bj + s1;
                y[b + 2][j] = bj + s2;
                y[b + 3][j] = bj + s3;
            }
        }
        for (; b < batch; b++) {
            double[] x0 = x[b];
            for (int j = 0; j < out; j++) {
                int wo = wOff + j * in;
                double s0 = 0.0;
                for (int k = 0; k < in; k++) {
                    s0 += x0[k] * w[wo + k];
                }
                y[b][j] = w[bOff + j] + s0;
            }
        }
    }

    /** {@code g[bOff + j] += Σ_b d_b[j]}, through the scratch row {@code sum [≥ out]}. */
    static void accumulateBias(double[][] d, int batch, int out, double[] g, int bOff, double[] sum) {
        Arrays.fill(sum, 0, out, 0.0);
        int b = 0;
        for (; b + 3 < batch; b += 4) {
            double[] d0 = d[b];
            double[] d1 = d[b + 1];
            double[] d2 = d[b + 2];
            double[] d3 = d[b + 3];
            for (int j = 0; j < out; j++) {
                sum[j] += d0[j] + d1[j] + d2[j] + d3[j];
            }
        }
        for (; b < batch; b++) {
            double[] d0 = d[b];
            for (int j = 0; j < out; j++) {
                sum[j] += d0[j];
            }
        }
        for (int j = 0; j < out; j++) {
            g[bOff + j] += sum[j];
        }
    }

    /**
     * {@code gW[j] += Σ_b d_b[j]·x_b}, summed in the scratch rows {@code gs [out][≥ in]} (vectorised over the
     * {@code in} columns, four batch rows at a time) and then added to the flat gradient. Suited to
     * {@code in ≥ out}.
     */
    static void accumulateWeightsByRow(double[][] d, double[][] x, int batch, int in, int out, double[] g,
            int wOff, double[][] gs) {
        for (int j = 0; j < out; j++) {
            Arrays.fill(gs[j], 0, in, 0.0);
        }
        int b = 0;
        for (; b + 3 < batch; b += 4) {
            double[] x0 = x[b];
            double[] x1 = x[b + 1];
            double[] x2 = x[b + 2];
            double[] x3 = x[b + 3];
            double[] e0 = d[b];
            double[] e1 = d[b + 1];
            double[] e2 = d[b + 2];
            double[] e3 = d[b + 3];
            for (int j = 0; j < out; j++) {
                double d0 = e0[j];
                double d1 = e1[j];
                double d2 = e2[j];
                double d3 = e3[j];
                if (d0 == 0.0 && d1 == 0.0 && d2 == 0.0 && d3 == 0.0) {
                    continue;
                }
                double[] gr = gs[j];
                for (int k = 0; k < in; k++) {
                    gr[k] += d0 * x0[k] + d1 * x1[k] + d2 * x2[k] + d3 * x3[k];
                }
            }
        }
        for (; b < batch; b++) {
            double[] x0 = x[b];
            double[] e0 = d[b];
            for (int j = 0; j < out; j++) {
                double d0 = e0[j];
                if (d0 == 0.0) {
                    continue;
                }
                double[] gr = gs[j];
                for (int k = 0; k < in; k++) {
                    gr[k] += d0 * x0[k];
                }
            }
        }
        for (int j = 0; j < out; j++) {
            double[] gr = gs[j];
            int go = wOff + j * in;
            for (int k = 0; k < in; k++) {
                g[go + k] += gr[k];
            }
        }
    }

    /**
     * {@code gWᵀ[k] += Σ_b x_b[k]·d_b}, summed in the scratch rows {@code gs [in][≥ out]} (vectorised over the
     * {@code out} columns) and then added, transposed, to the flat gradient. Suited to {@code in < out}.
     */
    static void accumulateWeightsByColumn(double[][] d, double[][] x, int batch, int in, int out, double[] g,
            int wOff, double[][] gs) {
        for (int k = 0; k < in; k++) {
            Arrays.fill(gs[k], 0, out, 0.0);
        }
        int b = 0;
        for (; b + 3 < batch; b += 4) {
            double[] x0 = x[b];
            double[] x1 = x[b + 1];
            double[] x2 = x[b + 2];
            double[] x3 = x[b + 3];
            double[] e0 = d[b];
            double[] e1 = d[b + 1];
            double[] e2 = d[b + 2];
            double[] e3 = d[b + 3];
            for (int k = 0; k < in; k++) {
                double a0 = x0[k];
                double a1 = x1[k];
                double a2 = x2[k];
                double a3 = x3[k];
                if (a0 == 0.0 && a1 == 0.0 && a2 == 0.0 && a3 == 0.0) {
                    continue;
                }
                double[] gr = gs[k];
                for (int j = 0; j < out; j++) {
                    gr[j] += a0 * e0[j] + a1 * e1[j] + a2 * e2[j] + a3 * e3[j];
                }
            }
        }
        for (; b < batch; b++) {
            double[] x0 = x[b];
            double[] e0 = d[b];
            for (int k = 0; k < in; k++) {
                double a0 = x0[k];
                if (a0 == 0.0) {
                    continue;
                }
                double[] gr = gs[k];
                for (int j = 0; j < out; j++) {
                    gr[j] += a0 * e0[j];
                }
            }
        }
        for (int j = 0; j < out; j++) {
            int go = wOff + j * in;
            for (int k = 0; k < in; k++) {
                g[go + k] += gs[k][j];
            }
        }
    }

    /**
     * {@code dx_b = Σ_j d_b[j]·W[j]} (overwrites {@code dx_b[0 .. in)}), with the weight rows
     * {@code wr [out][≥ in]}, vectorised over the {@code in} columns.
     */
    static void backwardInput(double[][] d, double[][] wr, double[][] dx, int batch, int in, int out) {
        for (int b = 0; b < batch; b++) {
            double[] e = d[b];
            double[] xr = dx[b];
            Arrays.fill(xr, 0, in, 0.0);
            int j = 0;
            for (; j + 3 < out; j += 4) {
                double d0 = e[j];
                double d1 = e[j + 1];
                double d2 = e[j + 2];
                double d3 = e[j + 3];
                if (d0 == 0.0 && d1 == 0.0 && d2 == 0.0 && d3 == 0.0) {
                    continue;
                }
                double[] w0 = wr[j];
                double[] w1 = wr[j + 1];
                double[] w2 = wr[j + 2];
                double[] w3 = wr[j + 3];
                for (int k = 0; k < in; k++) {
                    xr[k] += d0 * w0[k] + d1 * w1[k] + d2 * w2[k] + d3 * w3[k];
                }
            }
            for (; j < out; j++) {
                double d0 = e[j];
                if (d0 == 0.0) {
                    continue;
                }
                double[] w0 = wr[j];
                for (int k = 0; k < in; k++) {
                    xr[k] += d0 * w0[k];
                }
            }
        }
    }
}
