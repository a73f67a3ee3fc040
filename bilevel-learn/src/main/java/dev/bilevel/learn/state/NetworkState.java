package dev.bilevel.learn.state;

import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.nn.Adam;
import dev.bilevel.nn.Mlp;

/**
 * Checkpoint state of the neural-network parts, which know nothing of checkpoints themselves: a network's
 * parameters, and an Adam optimiser's moments, step count and step size.
 */
public final class NetworkState {

    private NetworkState() {
    }

    /** Writes a network's parameters. */
    public static void write(StateWriter out, Mlp net) {
        out.writeDoubles(net.parameters());
    }

    /**
     * Reads a network's parameters back.
     *
     * @throws dev.bilevel.core.state.StateMismatchException when the saved network has another size
     */
    public static void read(StateReader in, Mlp net) {
        in.readDoubles(net.parameters());
    }

    /** Writes an optimiser's moments, step count and step size. */
    public static void write(StateWriter out, Adam adam) {
        out.writeDoubles(adam.firstMoments()).writeDoubles(adam.secondMoments()).writeLong(adam.stepCount())
                .writeDouble(adam.learningRate());
    }

    /**
     * Reads an optimiser's state back.
     *
     * @throws dev.bilevel.core.state.StateMismatchException when the saved optimiser has another size
     */
    public static void read(StateReader in, Adam adam) {
        in.readDoubles(adam.firstMoments());
        in.readDoubles(adam.secondMoments());
        adam.restoreStepCount(in.readLong());
        adam.setLearningRate(in.readDouble());
    }
}
