package dev.bilevel.learn.state;

import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.nn.Adam;
import dev.bilevel.nn.Mlp;

/**
 * Checkpoint state of the neural-network parts, which know nothing of checkpoints themselves: an Adam optimiser's
 * moments, step count and step size, and the parameters of the networks it (or its owner) trains.
 */
public final class NetworkState {

    private NetworkState() {
    }

    /**
     * Writes an optimiser's moments, step count and step size, then each network's parameters.
     *
     * @param out where to write
     * @param optimizer the optimiser
     * @param nets the networks, in a fixed order
     */
    public static void write(StateWriter out, Adam optimizer, Mlp... nets) {
        out.writeDoubles(optimizer.firstMoments()).writeDoubles(optimizer.secondMoments())
                .writeLong(optimizer.stepCount()).writeDouble(optimizer.learningRate());
        for (Mlp net : nets) {
            out.writeDoubles(net.parameters());
        }
    }

    /**
     * Reads back what {@link #write} wrote, into the same optimiser and networks.
     *
     * @param in where to read
     * @param optimizer the optimiser
     * @param nets the networks, in the order written
     * @throws dev.bilevel.core.state.StateMismatchException when a saved part has another size
     */
    public static void read(StateReader in, Adam optimizer, Mlp... nets) {
        in.readDoubles(optimizer.firstMoments());
        in.readDoubles(optimizer.secondMoments());
        optimizer.restoreStepCount(in.readLong());
        optimizer.setLearningRate(in.readDouble());
        for (Mlp net : nets) {
            in.readDoubles(net.parameters());
        }
    }
}
