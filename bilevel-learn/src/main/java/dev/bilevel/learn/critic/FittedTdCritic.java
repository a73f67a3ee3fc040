package dev.bilevel.learn.critic;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.learn.state.NetworkState;
import dev.bilevel.nn.Activation;
import dev.bilevel.nn.Adam;
import dev.bilevel.nn.GradientClipping;
import dev.bilevel.nn.Initializer;
import dev.bilevel.nn.Mlp;
import java.util.Arrays;
import java.util.Objects;

/**
 * A value network fitted by semi-gradient TD on a batch of episodes (the reference's {@code ValueNetwork} and
 * {@code estimate_value_function}): an MLP {@code in → 64 → 64 → out} with ReLU, orthogonal hidden kernels with
 * gain √2, an orthogonal output kernel with gain 0.01 and zero biases, trained by Adam (1e-4) after clipping
 * the gradient to global norm 1 on the loss
 *
 * <pre>
 * mean over rows with a successor and over outputs of ( net(z_r) − [ r_r/c + γ·stopgrad net(z_{succ(r)}) ] )²
 * </pre>
 *
 * Rows without a stored successor (the last step of each episode) are left out, not treated as terminal.
 * With reward normalisation the per-output scale {@code c = max_r |r_r|} divides the rewards before the fit
 * and multiplies the predictions after it.
 *
 * <p>The same critic serves both protocols: {@link #reset()} before every fit restores the initial weights
 * drawn at construction (the reference's refit from identical weights, full batch, 5,000 steps); without it the
 * network and Adam's moments carry over and a few hundred minibatch steps track the slowly moving target.
 */
public final class FittedTdCritic implements TdCritic {

    /** How rewards are scaled before fitting. */
    public enum Normalisation {
        /** No scaling ({@code c = 1}). */
        NONE,
        /** {@code c} = the batch's max {@code |r|} per output, recomputed at every fit (the reference). */
        PER_BATCH,
        /**
         * {@code c} from the first batch after construction or {@link #reset()}, then fixed, so that a
         * warm-started network keeps its units.
         */
        FIRST_BATCH
    }

    /**
     * @param inputs input width
     * @param outputs output width
     * @param hidden hidden widths
     * @param learningRate Adam step
     * @param maxGradNorm global-norm clip of the loss gradient
     * @param discount TD discount {@code γ}
     * @param normalisation reward scaling
     */
    public record Settings(int inputs, int outputs, int[] hidden, double learningRate, double maxGradNorm,
            double discount, Normalisation normalisation) {

        /** Validates. */
        public Settings {
            Objects.requireNonNull(hidden, "hidden");
            Objects.requireNonNull(normalisation, "normalisation");
            hidden = hidden.clone();
            if (inputs < 1 || outputs < 1) {
                throw new IllegalArgumentException("inputs and outputs must be ≥ 1");
            }
            if (!(learningRate > 0.0) || !(maxGradNorm > 0.0)) {
                throw new IllegalArgumentException("learning rate and max gradient norm must be > 0");
            }
            if (!(discount >= 0.0 && discount < 1.0)) {
                throw new IllegalArgumentException("discount must be in [0, 1): " + discount);
            }
        }

        /** The reference network: hidden {64, 64}, Adam 1e-4, clip 1. */
        public static Settings reference(int inputs, int outputs, double discount, Normalisation normalisation) {
            return new Settings(inputs, outputs, new int[] {64, 64}, 1e-4, 1.0, discount, normalisation);
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }
    }

    private static final int CHUNK = 2048;

    private final Settings settings;
    private final Mlp net;
    private final double[] initialParameters;
    private final Adam adam;
    private final double[] scale;
    private boolean scaleFixed;
    private Mlp.Workspace trainWorkspace;
    private Mlp.Workspace targetWorkspace;
    private final Mlp.Workspace predictWorkspace;
    private double[] batchInputs = new double[0];
    private double[] batchTargets = new double[0];
    private double[] nextInputs = new double[0];
    private double[] gradOut = new double[0];

    /**
     * @param settings the network and optimiser
     * @param rng draws the initial weights (advanced)
     */
    public FittedTdCritic(Settings settings, SplitMixRandom rng) {
        this.settings = Objects.requireNonNull(settings, "settings");
        net = Mlp.of(settings.inputs(), settings.hidden, settings.outputs(), Activation.RELU, Activation.IDENTITY);
        net.initialize(Initializer.ORTHOGONAL, rng);
        // Initializer.ORTHOGONAL has gain 1: scale to √2 (hidden) and 0.01 (output), as flax's orthogonal(g).
        for (int l = 0; l < net.layerCount(); l++) {
            double gain = l == net.layerCount() - 1 ? 0.01 : Math.sqrt(2.0);
            int[] sizes = net.layerSizes();
            int from = net.weightOffset(l);
            int to = from + sizes[l] * sizes[l + 1];
            double[] p = net.parameters();
            for (int i = from; i < to; i++) {
                p[i] *= gain;
            }
        }
        initialParameters = net.parameters().clone();
        adam = new Adam(net.parameterCount(), settings.learningRate());
        scale = new double[settings.outputs()];
        Arrays.fill(scale, 1.0);
        predictWorkspace = net.workspace(CHUNK);
    }

    /** @return the settings */
    public Settings settings() {
        return settings;
    }

    /** @return the network (live; for tests and diagnostics) */
    public Mlp network() {
        return net;
    }

    /** @return a copy of the current per-output reward scale {@code c} */
    public double[] scale() {
        return scale.clone();
    }

    /** Its network, optimiser and reward scale. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("FittedTdCritic");
        NetworkState.write(out, adam, net);
        out.writeDoubles(scale).writeBoolean(scaleFixed);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("FittedTdCritic");
        NetworkState.read(in, adam, net);
        in.readDoubles(scale);
        scaleFixed = in.readBoolean();
    }

    /** Restores the initial weights, forgets Adam's moments and the reward scale. */
    @Override
    public void reset() {
        System.arraycopy(initialParameters, 0, net.parameters(), 0, initialParameters.length);
        adam.reset();
        Arrays.fill(scale, 1.0);
        scaleFixed = false;
    }

    /**
     * Fits by semi-gradient TD.
     *
     * @param inputs row-major {@code [rows][inputs]}
     * @param successors per row, the row holding its successor input, or {@code −1} (left out of the loss)
     * @param rewards row-major {@code [rows][outputs]}
     * @param rows the number of rows
     * @param steps Adam steps
     * @param batchSize rows per step, drawn uniformly with replacement among rows with a successor; {@code ≤ 0}
     *     or at least their number for full-batch steps
     * @param rng draws the minibatches
     * @return the steps taken and the last loss (in normalised units)
     */
    @Override
    public FitResult fit(double[] inputs, int[] successors, double[] rewards, int rows, int steps, int batchSize,
            SplitMixRandom rng) {
        int in = settings.inputs();
        int out = settings.outputs();
        updateScale(rewards, rows);
        int[] valid = new int[rows];
        int count = 0;
        for (int r = 0; r < rows; r++) {
            if (successors[r] >= 0) {
                valid[count++] = r;
            }
        }
        if (count == 0 || steps <= 0) {
            return new FitResult(0, Double.NaN);
        }
        boolean fullBatch = batchSize <= 0 || batchSize >= count;
        int b = fullBatch ? count : batchSize;
        ensureCapacity(b);
        double gamma = settings.discount();
        double loss = Double.NaN;
        int[] chosen = fullBatch ? valid : new int[b];
        if (fullBatch) {
            gatherInputs(inputs, chosen, b, in, batchInputs, false, successors);
            gatherInputs(inputs, chosen, b, in, nextInputs, true, successors);
        }
        double norm = 1.0 / ((double) b * out);
        for (int step = 0; step < steps; step++) {
            if (!fullBatch) {
                for (int i = 0; i < b; i++) {
                    chosen[i] = valid[rng.nextInt(count)];
                }
                gatherInputs(inputs, chosen, b, in, batchInputs, false, successors);
                gatherInputs(inputs, chosen, b, in, nextInputs, true, successors);
            }
            double[] next = net.forward(targetWorkspace, nextInputs, b);
            for (int i = 0; i < b; i++) {
                int r = chosen[i];
                for (int o = 0; o < out; o++) {
                    batchTargets[i * out + o] = rewards[r * out + o] / scale[o] + gamma * next[i * out + o];
                }
            }
            double[] pred = net.forward(trainWorkspace, batchInputs, b);
            double sum = 0.0;
            for (int k = 0; k < b * out; k++) {
                double diff = pred[k] - batchTargets[k];
                sum += diff * diff;
                gradOut[k] = 2.0 * diff * norm;
            }
            loss = sum * norm;
            if (!Double.isFinite(loss)) {
                throw new ArithmeticException("TD critic loss is not finite (" + loss + ") at fit step " + step);
            }
            net.zeroGradients();
            net.backward(trainWorkspace, gradOut, b);
            GradientClipping.clipGlobalNorm(net.gradients(), settings.maxGradNorm());
            adam.step(net.parameters(), net.gradients());
        }
        return new FitResult(steps, loss);
    }

    /**
     * Predicts {@code c ⊙ net(z)} row by row.
     *
     * @param inputs row-major {@code [rows][inputs]}
     * @param rows the number of rows
     * @param out receives {@code [rows][outputs]}
     */
    @Override
    public void predict(double[] inputs, int rows, double[] out) {
        int in = settings.inputs();
        int o = settings.outputs();
        double[] chunk = new double[Math.min(rows, CHUNK) * in];
        for (int start = 0; start < rows; start += CHUNK) {
            int len = Math.min(CHUNK, rows - start);
            System.arraycopy(inputs, start * in, chunk, 0, len * in);
            double[] y = net.forward(predictWorkspace, chunk, len);
            for (int i = 0; i < len; i++) {
                for (int k = 0; k < o; k++) {
                    out[(start + i) * o + k] = scale[k] * y[i * o + k];
                }
            }
        }
    }

    private void updateScale(double[] rewards, int rows) {
        Normalisation mode = settings.normalisation();
        if (mode == Normalisation.NONE || (mode == Normalisation.FIRST_BATCH && scaleFixed)) {
            return;
        }
        int out = settings.outputs();
        for (int o = 0; o < out; o++) {
            double max = 0.0;
            for (int r = 0; r < rows; r++) {
                double v = Math.abs(rewards[r * out + o]);
                if (v > max) {
                    max = v;
                }
            }
            scale[o] = max > 0.0 && Double.isFinite(max) ? max : 1.0;
        }
        scaleFixed = true;
    }

    private static void gatherInputs(double[] inputs, int[] rows, int count, int width, double[] into,
            boolean successor, int[] successors) {
        for (int i = 0; i < count; i++) {
            int r = successor ? successors[rows[i]] : rows[i];
            System.arraycopy(inputs, r * width, into, i * width, width);
        }
    }

    private void ensureCapacity(int b) {
        int in = settings.inputs();
        int out = settings.outputs();
        if (trainWorkspace == null || trainWorkspace.maxBatch() < b) {
            trainWorkspace = net.workspace(b);
            targetWorkspace = net.workspace(b);
        }
        if (batchInputs.length < b * in) {
            batchInputs = new double[b * in];
            nextInputs = new double[b * in];
        }
        if (batchTargets.length < b * out) {
            batchTargets = new double[b * out];
            gradOut = new double[b * out];
        }
    }
}
