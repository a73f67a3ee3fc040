package dev.bilevel.learn.leader;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.state.NetworkState;
import dev.bilevel.nn.Activation;
import dev.bilevel.nn.Adam;
import dev.bilevel.nn.GradientClipping;
import dev.bilevel.nn.Initializer;
import dev.bilevel.nn.Mlp;

/**
 * An MLP whose inputs are one-hot codes of a few discrete variables (a state, or a state and a
 * follower action), with an Adam optimiser and a Polyak-averaged target copy.
 *
 * <p>Because the input takes only {@code rows} distinct values, a whole table of outputs is one
 * forward pass over those rows, and any loss over a batch of samples is backpropagated by first summing
 * the per-sample output gradients into that table: exactly the batched gradient, at a cost independent
 * of the batch size and of the length of the subsequences BC-HG sums over.
 */
final class OneHotNetwork implements Stateful {

    private final int rows;
    private final Mlp online;
    private final Mlp target;
    private final Adam optimizer;
    private final Mlp.Workspace workspace;
    private final Mlp.Workspace targetWorkspace;
    private final double[] inputs;
    private final double[] table;
    private final double[] targetTable;

    /**
     * @param codes the one-hot code sizes; input rows enumerate their product in row-major order
     * @param outputs outputs per row
     * @param hidden hidden layer widths (ReLU)
     * @param init weight initialisation (biases zero)
     * @param learningRate Adam step
     */
    OneHotNetwork(int[] codes, int outputs, int[] hidden, Initializer init, double learningRate,
            SplitMixRandom rng) {
        int width = 0;
        int count = 1;
        for (int c : codes) {
            width += c;
            count *= c;
        }
        rows = count;
        online = Mlp.of(width, hidden, outputs, Activation.RELU, Activation.IDENTITY);
        online.initialize(init, rng);
        target = online.copy();
        optimizer = new Adam(online.parameterCount(), learningRate);
        workspace = online.workspace(rows);
        targetWorkspace = target.workspace(rows);
        inputs = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            int rest = r;
            int offset = width;
            for (int v = codes.length - 1; v >= 0; v--) {
                offset -= codes[v];
                inputs[r * width + offset + rest % codes[v]] = 1.0;
                rest /= codes[v];
            }
        }
        table = new double[rows * outputs];
        targetTable = new double[rows * outputs];
    }

    /** Its online and target networks and its optimiser. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("OneHotNetwork");
        NetworkState.write(out, optimizer, online, target);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("OneHotNetwork");
        NetworkState.read(in, optimizer, online, target);
    }

    /** The online network's outputs for every input row, {@code [rows][outputs]} (a fresh forward pass). */
    double[] table() {
        System.arraycopy(online.forward(workspace, inputs, rows), 0, table, 0, table.length);
        return table;
    }

    /** The target network's outputs for every input row. */
    double[] targetTable() {
        System.arraycopy(target.forward(targetWorkspace, inputs, rows), 0, targetTable, 0, targetTable.length);
        return targetTable;
    }

    /**
     * One descent step on a loss whose gradient with respect to the output table is {@code gradTable}
     * (the table must come from the latest {@link #table()}).
     *
     * @param maxNorm clip the parameter gradient to this global norm ({@code +∞}: no clipping)
     * @return the parameter gradient's norm before clipping
     */
    double step(double[] gradTable, double maxNorm) {
        double norm = gradientNorm(gradTable);
        if (norm > maxNorm) {
            GradientClipping.clipGlobalNorm(online.gradients(), maxNorm);
        }
        optimizer.step(online.parameters(), online.gradients());
        return norm;
    }

    /** Backpropagates {@code gradTable} into the parameter gradient (replacing it) and returns its norm. */
    double gradientNorm(double[] gradTable) {
        online.zeroGradients();
        online.backward(workspace, gradTable, rows);
        return GradientClipping.globalNorm(online.gradients());
    }

    /** {@code target ← (1 − τ)·target + τ·online}. */
    void polyak(double tau) {
        target.polyakUpdate(online, tau);
    }

    /** Number of input rows. */
    int rows() {
        return rows;
    }

    /** The online network (parameters, for snapshots and tests). */
    Mlp online() {
        return online;
    }
}
