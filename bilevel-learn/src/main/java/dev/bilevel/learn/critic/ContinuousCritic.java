package dev.bilevel.learn.critic;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.state.NetworkState;
import dev.bilevel.nn.Activation;
import dev.bilevel.nn.Adam;
import dev.bilevel.nn.Initializer;
import dev.bilevel.nn.Mlp;

/**
 * The continuous leader critic {@code Q_φ([x, a_F], a_L)}: an MLP over the row {@code [x, a_F, a_L]}
 * (the reference's {@code ContinuousMLPQFunction}: ReLU hidden layers, one linear output, Xavier-normal
 * weights, zero biases), with an Adam optimiser and a Polyak-averaged target copy.
 *
 * <p>BC-HG averages the critic over many draws of one input coordinate at a fixed rest of the row (256
 * follower actions for the benefit's baseline, 32 leader actions for the direct term's), the bulk of its
 * cost. {@link #sliceMean} does this exactly without a forward pass per draw when the varied coordinate is
 * a scalar and there are at least two hidden layers: along one input coordinate {@code t} the first
 * hidden layer is piecewise affine, with at most {@code h₁} breakpoints {@code −c_j/s_j}, so the second
 * layer's pre-activation is {@code T_k + S_k·t} on each piece {@code k}; the pieces' coefficients follow
 * from one another by rank-one updates as units switch, and only the pieces the draws fall in are built.
 * Each draw then costs a binary search and {@code O(h₂)} instead of {@code O(h₁·h₂)}: the same values up to
 * rounding.
 */
public final class ContinuousCritic implements LeaderQFunction, Stateful {

    private final int inputs;
    private final int[] sizes;
    private final Mlp online;
    private final Mlp target;
    private final Adam optimizer;
    private final Mlp.Workspace workspace;
    private final Mlp.Workspace targetWorkspace;
    private final double[] gradient;
    // Slice scratch.
    private final double[] firstOffset;
    private final double[] firstSlope;
    private final double[] breakpoints;
    private final int[] breakpointUnits;
    private final double[] pieceIntercepts;
    private final double[] pieceSlopes;
    private final double[] secondTransposed;
    private final double[][] layerScratch;
    private final int maxSlice;
    private final int[] drawPieces;
    private final int[] pieceStarts;
    private final int[] pieceFill;
    private final double[] groupedDraws;
    private final double[] drawOutputs;
    private double[] fallbackRows;
    private Mlp.Workspace fallbackWorkspace;
    private long version;
    private double lastMeanValue = Double.NaN;
    private long transposedVersion = -1;

    /**
     * @param inputs the row width {@code n + m + l}
     * @param hidden hidden layer widths (ReLU)
     * @param learningRate Adam step
     * @param maxBatch the largest batch of {@link #values} / {@link #targetValues} / {@link #trainStep}
     * @param maxSlice the largest number of draws in one {@link #sliceMean} call
     */
    public ContinuousCritic(int inputs, int[] hidden, double learningRate, int maxBatch, int maxSlice,
            SplitMixRandom rng) {
        this.inputs = inputs;
        online = Mlp.of(inputs, hidden, 1, Activation.RELU, Activation.IDENTITY);
        online.initialize(Initializer.XAVIER_NORMAL, rng);
        target = online.copy();
        sizes = online.layerSizes();
        optimizer = new Adam(online.parameterCount(), learningRate);
        workspace = online.workspace(maxBatch);
        targetWorkspace = target.workspace(maxBatch);
        gradient = new double[maxBatch];
        int h1 = hidden.length > 0 ? hidden[0] : 1;
        int h2 = hidden.length > 1 ? hidden[1] : 1;
        firstOffset = new double[h1];
        firstSlope = new double[h1];
        breakpoints = new double[h1];
        breakpointUnits = new int[h1];
        pieceIntercepts = new double[(h1 + 1) * h2];
        pieceSlopes = new double[(h1 + 1) * h2];
        secondTransposed = new double[h1 * h2];
        layerScratch = new double[2][];
        int widest = 1;
        for (int s : sizes) {
            widest = Math.max(widest, s);
        }
        layerScratch[0] = new double[widest];
        layerScratch[1] = new double[widest];
        this.maxSlice = maxSlice;
        drawPieces = new int[maxSlice];
        pieceStarts = new int[h1 + 2];
        pieceFill = new int[h1 + 2];
        groupedDraws = new double[maxSlice];
        drawOutputs = new double[maxSlice];
    }

    /** The online critic on {@code count} rows (row-major {@code [count][inputs]}); valid until the next call. */
    @Override
    public double[] values(double[] rows, int count) {
        return online.forward(workspace, rows, count);
    }

    /** The target critic on {@code count} rows; valid until the next call. */
    public double[] targetValues(double[] rows, int count) {
        return target.forward(targetWorkspace, rows, count);
    }

    /**
     * One Adam step on the mean squared error {@code mean (Q(row_i) − y_i)²}.
     *
     * @return the loss before the step
     */
    public double trainStep(double[] rows, double[] targets, int count) {
        double[] q = online.forward(workspace, rows, count);
        double loss = 0.0;
        double mean = 0.0;
        for (int i = 0; i < count; i++) {
            mean += q[i] / count;
            double e = q[i] - targets[i];
            loss += e * e / count;
            gradient[i] = 2.0 * e / count;
        }
        online.zeroGradients();
        online.backward(workspace, gradient, count);
        optimizer.step(online.parameters(), online.gradients());
        version++;
        lastMeanValue = mean;
        return loss;
    }

    /** Its online and target networks, its optimiser and its last training value. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("ContinuousCritic");
        NetworkState.write(out, optimizer, online, target);
        out.writeLong(version).writeDouble(lastMeanValue);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("ContinuousCritic");
        NetworkState.read(in, optimizer, online, target);
        version = in.readLong();
        lastMeanValue = in.readDouble();
        transposedVersion = -1;
    }

    /** The mean of {@code Q} over the rows of the last {@link #trainStep}, before its step. */
    public double lastMeanValue() {
        return lastMeanValue;
    }

    /** {@code φ_target ← (1 − τ)φ_target + τφ}. */
    public void polyak(double tau) {
        target.polyakUpdate(online, tau);
    }

    /**
     * {@code (1/count)·Σ_j Q(row with row[column] = values[j])} on the online critic.
     *
     * @param row the fixed row at {@code row[rowOffset…]} (its {@code column} entry is ignored)
     * @param column the varied coordinate
     * @param values the draws, {@code values[valuesOffset … valuesOffset + count)}
     */
    public double sliceMean(double[] row, int rowOffset, int column, double[] values, int valuesOffset, int count) {
        if (count < 1 || count > maxSlice) {
            throw new IllegalArgumentException("need 1 to " + maxSlice + " draws, got " + count);
        }
        if (sizes.length < 4) {
            return sliceMeanByForward(row, rowOffset, column, 1, values, valuesOffset, count);
        }
        double[] p = online.parameters();
        int d = inputs;
        int h1 = sizes[1];
        int h2 = sizes[2];
        int w1 = online.weightOffset(0);
        int b1 = online.biasOffset(0);
        int w2 = online.weightOffset(1);
        int b2 = online.biasOffset(1);
        if (transposedVersion != version) {
            for (int r = 0; r < h2; r++) {
                for (int j = 0; j < h1; j++) {
                    secondTransposed[j * h2 + r] = p[w2 + r * h1 + j];
                }
            }
            transposedVersion = version;
        }
        // The draws' range: only breakpoints inside it are crossed.
        double tMin = Double.POSITIVE_INFINITY;
        double tMax = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < count; v++) {
            double t = values[valuesOffset + v];
            tMin = Math.min(tMin, t);
            tMax = Math.max(tMax, t);
        }
        // First layer along the slice: z1_j(t) = c_j + s_j·t; breakpoints −c_j/s_j in [tMin, tMax), sorted.
        int nb = 0;
        for (int j = 0; j < h1; j++) {
            double c = p[b1 + j];
            int base = w1 + j * d;
            for (int k = 0; k < d; k++) {
                if (k != column) {
                    c += p[base + k] * row[rowOffset + k];
                }
            }
            double s = p[base + column];
            firstOffset[j] = c;
            firstSlope[j] = s;
            if (s != 0.0) {
                double bp = -c / s;
                if (bp >= tMin && bp < tMax) {
                    int at = nb;
                    while (at > 0 && breakpoints[at - 1] > bp) {
                        breakpoints[at] = breakpoints[at - 1];
                        breakpointUnits[at] = breakpointUnits[at - 1];
                        at--;
                    }
                    breakpoints[at] = bp;
                    breakpointUnits[at] = j;
                    nb++;
                }
            }
        }
        // Piece 0: the units active just below tMin (z > 0 there, or z = 0 and decreasing).
        for (int r = 0; r < h2; r++) {
            pieceIntercepts[r] = p[b2 + r];
            pieceSlopes[r] = 0.0;
        }
        for (int j = 0; j < h1; j++) {
            double c = firstOffset[j];
            double s = firstSlope[j];
            double z = c + s * tMin;
            if (z > 0.0 || (z == 0.0 && s < 0.0)) {
                int col = j * h2;
                for (int r = 0; r < h2; r++) {
                    double w = secondTransposed[col + r];
                    pieceIntercepts[r] += w * c;
                    pieceSlopes[r] += w * s;
                }
            }
        }
        // Crossing breakpoint k switches its unit on (s > 0) or off (s < 0).
        for (int k = 0; k < nb; k++) {
            int j = breakpointUnits[k];
            double s = firstSlope[j];
            double sign = s > 0.0 ? 1.0 : -1.0;
            double c = sign * firstOffset[j];
            double sl = sign * s;
            int from = k * h2;
            int to = from + h2;
            int col = j * h2;
            for (int r = 0; r < h2; r++) {
                double w = secondTransposed[col + r];
                pieceIntercepts[to + r] = pieceIntercepts[from + r] + w * c;
                pieceSlopes[to + r] = pieceSlopes[from + r] + w * sl;
            }
        }
        // Group the draws by piece (counting sort on the piece index found by binary search).
        int pieces = nb + 1;
        java.util.Arrays.fill(pieceStarts, 0, pieces + 1, 0);
        for (int v = 0; v < count; v++) {
            double t = values[valuesOffset + v];
            int lo = 0;
            int hi = nb;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (breakpoints[mid] < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            drawPieces[v] = lo;
            pieceStarts[lo + 1]++;
        }
        for (int k = 0; k < pieces; k++) {
            pieceStarts[k + 1] += pieceStarts[k];
        }
        for (int k = 0; k <= pieces; k++) {
            pieceFill[k] = pieceStarts[k];
        }
        for (int v = 0; v < count; v++) {
            groupedDraws[pieceFill[drawPieces[v]]++] = values[valuesOffset + v];
        }
        if (sizes.length - 1 > 3) {
            double sum = 0.0;
            for (int k = 0; k < pieces; k++) {
                for (int v = pieceStarts[k]; v < pieceStarts[k + 1]; v++) {
                    sum += outputFromSecond(p, k * h2, groupedDraws[v]);
                }
            }
            return sum / count;
        }
        // Two hidden layers: out(t) = b3 + Σ_r w3_r·max(T_r + S_r·t, 0), the draws of a piece in the inner loop.
        int w3 = online.weightOffset(2);
        java.util.Arrays.fill(drawOutputs, 0, count, 0.0);
        for (int k = 0; k < pieces; k++) {
            int from = pieceStarts[k];
            int to = pieceStarts[k + 1];
            if (from == to) {
                continue;
            }
            int off = k * h2;
            for (int r = 0; r < h2; r++) {
                // relu(z) = (z + |z|)/2 exactly, branch-free and vectorisable; the ½ goes into the weight.
                double halfWeight = 0.5 * p[w3 + r];
                double intercept = pieceIntercepts[off + r];
                double slope = pieceSlopes[off + r];
                for (int v = from; v < to; v++) {
                    double z = intercept + slope * groupedDraws[v];
                    drawOutputs[v] += halfWeight * (z + Math.abs(z));
                }
            }
        }
        double sum = 0.0;
        for (int v = 0; v < count; v++) {
            sum += drawOutputs[v];
        }
        return sum / count + p[online.biasOffset(2)];
    }

    /** The network's output from the second hidden layer's piece coefficients at {@code t}. */
    private double outputFromSecond(double[] p, int pieceOffset, double t) {
        int h2 = sizes[2];
        int layers = sizes.length - 1;
        if (layers == 3) {
            int w3 = online.weightOffset(2);
            double out = p[online.biasOffset(2)];
            for (int r = 0; r < h2; r++) {
                double z = pieceIntercepts[pieceOffset + r] + pieceSlopes[pieceOffset + r] * t;
                if (z > 0.0) {
                    out += p[w3 + r] * z;
                }
            }
            return out;
        }
        double[] x = layerScratch[0];
        double[] y = layerScratch[1];
        for (int r = 0; r < h2; r++) {
            double z = pieceIntercepts[pieceOffset + r] + pieceSlopes[pieceOffset + r] * t;
            x[r] = z > 0.0 ? z : 0.0;
        }
        for (int layer = 2; layer < layers; layer++) {
            int in = sizes[layer];
            int out = sizes[layer + 1];
            int w = online.weightOffset(layer);
            int b = online.biasOffset(layer);
            boolean hidden = layer < layers - 1;
            for (int o = 0; o < out; o++) {
                double z = p[b + o];
                for (int i = 0; i < in; i++) {
                    z += p[w + o * in + i] * x[i];
                }
                y[o] = hidden && z < 0.0 ? 0.0 : z;
            }
            double[] tmp = x;
            x = y;
            y = tmp;
        }
        return x[0];
    }

    private double sliceMeanByForward(double[] row, int rowOffset, int first, int width, double[] draws,
            int drawsOffset, int count) {
        if (count > maxSlice) {
            throw new IllegalArgumentException("at most " + maxSlice + " draws per call, got " + count);
        }
        if (fallbackWorkspace == null) {
            fallbackRows = new double[maxSlice * inputs];
            fallbackWorkspace = online.workspace(maxSlice);
        }
        for (int v = 0; v < count; v++) {
            System.arraycopy(row, rowOffset, fallbackRows, v * inputs, inputs);
            System.arraycopy(draws, drawsOffset + v * width, fallbackRows, v * inputs + first, width);
        }
        double[] q = online.forward(fallbackWorkspace, fallbackRows, count);
        double sum = 0.0;
        for (int v = 0; v < count; v++) {
            sum += q[v];
        }
        return sum / count;
    }

    /**
     * {@code (1/count)·Σ_j Q(row with columns [first, first + width) = draws_j)}, {@code draws} row-major
     * {@code [count][width]}: {@link #sliceMean} when {@code width = 1}, batched forward passes otherwise.
     */
    @Override
    public double blockMean(double[] row, int rowOffset, int first, int width, double[] draws, int count) {
        if (width == 1) {
            return sliceMean(row, rowOffset, first, draws, 0, count);
        }
        return sliceMeanByForward(row, rowOffset, first, width, draws, 0, count);
    }

    /** {@link #sliceMean} by one batched forward pass per call (the reference computation, for tests). */
    public double sliceMeanByForward(double[] row, int rowOffset, int column, double[] values, int valuesOffset,
            int count) {
        return sliceMeanByForward(row, rowOffset, column, 1, values, valuesOffset, count);
    }
}
