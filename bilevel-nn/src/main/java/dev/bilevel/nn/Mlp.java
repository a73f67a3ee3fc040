package dev.bilevel.nn;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A fully connected network {@code inputs → hidden[0] → … → outputs}. All parameters live in one flat
 * {@code double[]}, layer by layer: the weights of layer {@code l} row-major {@code [out][in]}, then its bias
 * {@code [out]}. The gradients use the same layout; {@link #backward backward} accumulates into them.
 *
 * <p>Activations are kept in a {@link Workspace} (one per thread), sized once for a maximum batch, so
 * {@link #forward forward} and {@link #backward backward} allocate nothing. A workspace may be shared by
 * networks of the same architecture (an online and a target network, say), but {@code backward} must follow a
 * {@code forward} of the same network on the same workspace with the same batch.
 *
 * <pre>{@code
 * Mlp net = Mlp.of(6, new int[] {64, 64}, 2, Activation.RELU, Activation.IDENTITY);
 * net.initialize(Initializer.ORTHOGONAL, new RandomGenerator(1));
 * Mlp.Workspace ws = net.workspace(256);
 * double[] y = net.forward(ws, x, batch);       // [batch][2], owned by ws
 * // ... fill dLoss/dy into g [batch][2] ...
 * net.zeroGradients();
 * net.backward(ws, g, batch);
 * adam.step(net.parameters(), net.gradients());
 * }</pre>
 *
 * <p>Not thread-safe for concurrent {@code backward} calls (they share the gradient array); concurrent
 * {@code forward} calls on separate workspaces are fine while nobody writes the parameters.
 */
public final class Mlp {

    /** Layers with at least this many outputs use the i-k-j forward loop on transposed weights. */
    private static final int AXPY_MIN_OUTPUTS = 8;

    private final int[] sizes;
    private final Activation hiddenActivation;
    private final Activation outputActivation;
    private final int[] weightOffsets;
    private final int[] biasOffsets;
    private final double[] parameters;
    private final double[] gradients;

    private Mlp(int[] sizes, Activation hiddenActivation, Activation outputActivation) {
        this.sizes = sizes;
        this.hiddenActivation = hiddenActivation;
        this.outputActivation = outputActivation;
        int layers = sizes.length - 1;
        weightOffsets = new int[layers];
        biasOffsets = new int[layers];
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            weightOffsets[l] = (int) offset;
            offset += (long) sizes[l] * sizes[l + 1];
            biasOffsets[l] = (int) offset;
            offset += sizes[l + 1];
            if (offset > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("too many parameters: " + offset);
            }
        }
        parameters = new double[(int) offset];
        gradients = new double[(int) offset];
    }

    /**
     * Creates a network with all parameters zero; call {@link #initialize} before training.
     *
     * @param inputs the input width, at least 1
     * @param hidden the hidden layer widths (each at least 1), possibly empty for a single affine layer
     * @param outputs the output width, at least 1
     * @param hiddenActivation the activation after every hidden layer
     * @param outputActivation the activation after the output layer ({@link Activation#IDENTITY} for logits,
     *     means and values)
     * @return the network
     */
    public static Mlp of(int inputs, int[] hidden, int outputs, Activation hiddenActivation,
            Activation outputActivation) {
        Objects.requireNonNull(hidden, "hidden");
        Objects.requireNonNull(hiddenActivation, "hiddenActivation");
        Objects.requireNonNull(outputActivation, "outputActivation");
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = outputs;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 1) {
                throw new IllegalArgumentException("layer widths must be positive: " + Arrays.toString(sizes));
            }
        }
        return new Mlp(sizes, hiddenActivation, outputActivation);
    }

    /** @return the input width */
    public int inputs() {
        return sizes[0];
    }

    /** @return the output width */
    public int outputs() {
        return sizes[sizes.length - 1];
    }

    /** @return the number of parameters (weights and biases of all layers) */
    public int parameterCount() {
        return parameters.length;
    }

    /** @return the number of affine layers (hidden layers + 1) */
    public int layerCount() {
        return sizes.length - 1;
    }

    /** @return a copy of the layer widths {@code [inputs, hidden…, outputs]} */
    public int[] layerSizes() {
        return sizes.clone();
    }

    /** @return the activation after each hidden layer */
    public Activation hiddenActivation() {
        return hiddenActivation;
    }

    /** @return the activation after the output layer */
    public Activation outputActivation() {
        return outputActivation;
    }

    /**
     * @param layer the layer index, {@code 0 ≤ layer < layerCount()}
     * @return the offset of that layer's {@code [out][in]} weight matrix in {@link #parameters()}
     */
    public int weightOffset(int layer) {
        return weightOffsets[layer];
    }

    /**
     * @param layer the layer index, {@code 0 ≤ layer < layerCount()}
     * @return the offset of that layer's bias vector in {@link #parameters()}
     */
    public int biasOffset(int layer) {
        return biasOffsets[layer];
    }

    /** @return the live parameter array (writes change the network) */
    public double[] parameters() {
        return parameters;
    }

    /** @return the live gradient array, same layout as {@link #parameters()} */
    public double[] gradients() {
        return gradients;
    }

    /**
     * Draws all weights with the given scheme, layer by layer in order, and sets all biases to zero. The same
     * scheme and seed give the same parameters.
     *
     * @param init the weight scheme
     * @param rng the random source (advanced)
     */
    public void initialize(Initializer init, RandomGenerator rng) {
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(rng, "rng");
        for (int l = 0; l < layerCount(); l++) {
            init.fill(parameters, weightOffsets[l], sizes[l + 1], sizes[l], rng);
            Arrays.fill(parameters, biasOffsets[l], biasOffsets[l] + sizes[l + 1], 0.0);
        }
    }

    /** Sets every gradient to zero. */
    public void zeroGradients() {
        Arrays.fill(gradients, 0.0);
    }

    /** @return a network with the same architecture and a copy of the parameters; its gradients are zero */
    public Mlp copy() {
        Mlp copy = new Mlp(sizes.clone(), hiddenActivation, outputActivation);
        System.arraycopy(parameters, 0, copy.parameters, 0, parameters.length);
        return copy;
    }

    /**
     * Copies the parameters of a network with the same layer sizes (activations are not compared).
     *
     * @param other the source
     */
    public void copyParametersFrom(Mlp other) {
        requireSameShape(other);
        System.arraycopy(other.parameters, 0, parameters, 0, parameters.length);
    }

    /**
     * Soft target update {@code this ← (1 − τ)·this + τ·online}, parameter by parameter.
     *
     * @param online the network tracked, with the same layer sizes
     * @param tau the step, in {@code [0, 1]}
     */
    public void polyakUpdate(Mlp online, double tau) {
        requireSameShape(online);
        if (!(tau >= 0.0 && tau <= 1.0)) {
            throw new IllegalArgumentException("tau must be in [0, 1]: " + tau);
        }
        double keep = 1.0 - tau;
        double[] src = online.parameters;
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = keep * parameters[i] + tau * src[i];
        }
    }

    private void requireSameShape(Mlp other) {
        if (!Arrays.equals(sizes, other.sizes)) {
            throw new IllegalArgumentException("layer sizes differ: " + Arrays.toString(sizes) + " vs "
                    + Arrays.toString(other.sizes));
        }
    }

    /**
     * Allocates scratch for batches of up to {@code maxBatch} rows. Use one workspace per thread.
     *
     * @param maxBatch the largest batch, at least 1
     * @return the workspace
     */
    public Workspace workspace(int maxBatch) {
        return new Workspace(this, maxBatch);
    }

    /**
     * The forward pass.
     *
     * @param ws a workspace for this architecture
     * @param input row-major {@code [batch][inputs]} (copied, so it may change afterwards)
     * @param batch the number of rows, {@code 0 ≤ batch ≤ ws.maxBatch()}
     * @return the workspace-owned output array, row-major {@code [batch][outputs]} in its first
     *     {@code batch·outputs} entries; valid until the next forward on that workspace
     */
    public double[] forward(Workspace ws, double[] input, int batch) {
        checkWorkspace(ws, batch);
        int inputs = sizes[0];
        if (input.length < batch * inputs) {
            throw new IllegalArgumentException("input has " + input.length + " entries, need " + batch * inputs);
        }
        ws.forwardBy = null;
        double[][] x0 = ws.activations[0];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(input, b * inputs, x0[b], 0, inputs);
        }
        int layers = layerCount();
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[][] x = ws.activations[l];
            double[][] y = ws.activations[l + 1];
            if (usesAxpyForward(out)) {
                DenseKernels.transposeInto(parameters, weightOffsets[l], out, in, ws.transposed[l]);
                DenseKernels.forwardAxpy(x, ws.transposed[l], parameters, biasOffsets[l], y, batch, in, out);
            } else {
                DenseKernels.forwardDot(x, parameters, weightOffsets[l], biasOffsets[l], y, batch, in, out);
            }
            Activation act = activation(l);
            for (int b = 0; b < batch; b++) {
                act.applyInPlace(y[b], out);
            }
        }
        int outputs = sizes[layers];
        double[][] last = ws.activations[layers];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(last[b], 0, ws.output, b * outputs, outputs);
        }
        ws.forwardBy = this;
        ws.batch = batch;
        return ws.output;
    }

    /**
     * The backward pass after {@link #forward} on the same workspace and batch: accumulates
     * {@code dLoss/dParameters} into {@link #gradients()}.
     *
     * @param ws the workspace of the forward pass
     * @param gradOutput row-major {@code [batch][outputs]}, {@code dLoss/dOutput} (read only)
     * @param batch the batch of the forward pass
     */
    public void backward(Workspace ws, double[] gradOutput, int batch) {
        backward(ws, gradOutput, batch, null);
    }

    /**
     * The backward pass that also returns {@code dLoss/dInput}.
     *
     * @param ws the workspace of the forward pass
     * @param gradOutput row-major {@code [batch][outputs]}, {@code dLoss/dOutput} (read only)
     * @param batch the batch of the forward pass
     * @param gradInput receives (overwritten, not accumulated) {@code dLoss/dInput}, row-major
     *     {@code [batch][inputs]}; {@code null} to skip it
     */
    public void backward(Workspace ws, double[] gradOutput, int batch, double[] gradInput) {
        checkWorkspace(ws, batch);
        if (ws.forwardBy != this || ws.batch != batch) {
            throw new IllegalStateException("backward must follow forward of this network on this workspace"
                    + " with the same batch (forward batch " + ws.batch + ", backward batch " + batch + ")");
        }
        int layers = layerCount();
        int outputs = sizes[layers];
        int inputs = sizes[0];
        if (gradOutput.length < batch * outputs) {
            throw new IllegalArgumentException("gradOutput has " + gradOutput.length + " entries, need "
                    + batch * outputs);
        }
        if (gradInput != null && gradInput.length < batch * inputs) {
            throw new IllegalArgumentException("gradInput has " + gradInput.length + " entries, need "
                    + batch * inputs);
        }
        double[][] delta = ws.deltaA;
        double[][] next = ws.deltaB;
        double[][] y = ws.activations[layers];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(gradOutput, b * outputs, delta[b], 0, outputs);
            outputActivation.multiplyByDerivative(y[b], delta[b], outputs);
        }
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[][] x = ws.activations[l];
            DenseKernels.accumulateBias(delta, batch, out, gradients, biasOffsets[l], ws.biasSum);
            if (accumulatesByColumn(in, out)) {
                DenseKernels.accumulateWeightsByColumn(delta, x, batch, in, out, gradients, weightOffsets[l],
                        ws.gradientScratch[l]);
            } else {
                DenseKernels.accumulateWeightsByRow(delta, x, batch, in, out, gradients, weightOffsets[l],
                        ws.gradientScratch[l]);
            }
            if (l > 0 || gradInput != null) {
                DenseKernels.rowsInto(parameters, weightOffsets[l], out, in, ws.weightRows[l]);
                DenseKernels.backwardInput(delta, ws.weightRows[l], next, batch, in, out);
                if (l > 0) {
                    for (int b = 0; b < batch; b++) {
                        hiddenActivation.multiplyByDerivative(x[b], next[b], in);
                    }
                    double[][] t = delta;
                    delta = next;
                    next = t;
                } else {
                    for (int b = 0; b < batch; b++) {
                        System.arraycopy(next[b], 0, gradInput, b * inputs, inputs);
                    }
                }
            }
        }
    }

    /** Layers with at least this many outputs use the i-k-j forward loop on transposed weights. */
    private static boolean usesAxpyForward(int out) {
        return out >= AXPY_MIN_OUTPUTS;
    }

    /** Weight gradients are summed over the longer of the two dimensions, for long vectorised loops. */
    private static boolean accumulatesByColumn(int in, int out) {
        return in < out;
    }

    private Activation activation(int layer) {
        return layer == layerCount() - 1 ? outputActivation : hiddenActivation;
    }

    private void checkWorkspace(Workspace ws, int batch) {
        Objects.requireNonNull(ws, "ws");
        if (!Arrays.equals(ws.sizes, sizes)) {
            throw new IllegalArgumentException("workspace was made for layer sizes " + Arrays.toString(ws.sizes)
                    + ", network has " + Arrays.toString(sizes));
        }
        if (batch < 0 || batch > ws.maxBatch) {
            throw new IllegalArgumentException("batch " + batch + " outside [0, " + ws.maxBatch + "]");
        }
    }

    /**
     * Per-thread scratch for {@link Mlp#forward} and {@link Mlp#backward}, sized once: the activations of
     * every layer for up to {@link #maxBatch()} rows, two delta buffers, per-layer copies of the weights in
     * the orientations the loops want, and the output array. Usable with any network of the same layer
     * sizes.
     */
    public static final class Workspace {
        private final int[] sizes;
        private final int maxBatch;
        /** activations[0] holds the copied input rows; activations[l + 1] the output rows of layer l. */
        private final double[][][] activations;
        /** Per layer, {@code Wᵀ [in][out]} for the i-k-j forward loop (null for narrow layers). */
        private final double[][][] transposed;
        /** Per layer, {@code W [out][in]} as rows, for the input gradient. */
        private final double[][][] weightRows;
        /** Per layer, weight-gradient sums: {@code [in][out]} or {@code [out][in]}, see accumulatesByColumn. */
        private final double[][][] gradientScratch;
        private final double[][] deltaA;
        private final double[][] deltaB;
        private final double[] biasSum;
        private final double[] output;
        private Mlp forwardBy;
        private int batch = -1;

        private Workspace(Mlp net, int maxBatch) {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("maxBatch must be positive: " + maxBatch);
            }
            this.sizes = net.sizes.clone();
            this.maxBatch = maxBatch;
            int layers = sizes.length - 1;
            activations = new double[layers + 1][][];
            transposed = new double[layers][][];
            weightRows = new double[layers][][];
            gradientScratch = new double[layers][][];
            int widest = 1;
            for (int l = 0; l <= layers; l++) {
                activations[l] = new double[maxBatch][sizes[l]];
                widest = Math.max(widest, sizes[l]);
            }
            for (int l = 0; l < layers; l++) {
                int in = sizes[l];
                int out = sizes[l + 1];
                transposed[l] = usesAxpyForward(out) ? new double[in][out] : null;
                weightRows[l] = new double[out][in];
                gradientScratch[l] = accumulatesByColumn(in, out) ? new double[in][out] : new double[out][in];
            }
            deltaA = new double[maxBatch][widest];
            deltaB = new double[maxBatch][widest];
            biasSum = new double[widest];
            output = new double[Math.multiplyExact(maxBatch, sizes[layers])];
        }

        /** @return the largest batch this workspace holds */
        public int maxBatch() {
            return maxBatch;
        }
    }
}
