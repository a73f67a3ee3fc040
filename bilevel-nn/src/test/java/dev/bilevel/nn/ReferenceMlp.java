package dev.bilevel.nn;

/**
 * A deliberately naive forward pass written from the documented parameter layout (per layer: weights
 * row-major {@code [out][in]}, then bias), one row at a time, keeping every pre-activation.
 */
final class ReferenceMlp {

    private ReferenceMlp() {
    }

    /** @return {@code pre[l][b][j]}, the pre-activations of layer {@code l} */
    static double[][][] preActivations(Mlp net, double[] input, int batch) {
        int[] sizes = net.layerSizes();
        int layers = sizes.length - 1;
        double[] p = net.parameters();
        double[][][] pre = new double[layers][batch][];
        for (int b = 0; b < batch; b++) {
            double[] x = new double[sizes[0]];
            System.arraycopy(input, b * sizes[0], x, 0, sizes[0]);
            int offset = 0;
            for (int l = 0; l < layers; l++) {
                int in = sizes[l];
                int out = sizes[l + 1];
                double[] z = new double[out];
                for (int j = 0; j < out; j++) {
                    double s = p[offset + in * out + j];
                    for (int k = 0; k < in; k++) {
                        s += p[offset + j * in + k] * x[k];
                    }
                    z[j] = s;
                }
                offset += in * out + out;
                pre[l][b] = z;
                Activation act = l == layers - 1 ? net.outputActivation() : net.hiddenActivation();
                x = new double[out];
                for (int j = 0; j < out; j++) {
                    x[j] = act.apply(z[j]);
                }
            }
        }
        return pre;
    }

    /** @return the outputs, row-major {@code [batch][outputs]} */
    static double[] forward(Mlp net, double[] input, int batch) {
        double[][][] pre = preActivations(net, input, batch);
        double[][] last = pre[pre.length - 1];
        int outputs = net.outputs();
        double[] y = new double[batch * outputs];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < outputs; j++) {
                y[b * outputs + j] = net.outputActivation().apply(last[b][j]);
            }
        }
        return y;
    }

    /** @return {@code min |z|} over all hidden and output pre-activations */
    static double smallestAbsPreActivation(Mlp net, double[] input, int batch) {
        double min = Double.POSITIVE_INFINITY;
        for (double[][] layer : preActivations(net, input, batch)) {
            for (double[] row : layer) {
                for (double z : row) {
                    min = Math.min(min, Math.abs(z));
                }
            }
        }
        return min;
    }
}
