package dev.bilevel.core.state;

import dev.bilevel.core.random.SplitMixRandom;

/**
 * A part of a run whose state changes as it runs (a leader, a critic, an optimiser, a follower's warm start, a
 * replay buffer). It writes that state, and reads it back into an object built the same way, so that the object
 * then behaves exactly as the one that wrote it: the same numbers, bit for bit.
 *
 * <p>What an object was built with (models, sizes, settings) is not state: a checkpoint is restored into an
 * object built from the same config. What it only caches, and would compute again to the same bits, need not be
 * written either. A composite writes its parts in a fixed order and reads them in the same order.
 */
public interface Stateful {

    /**
     * Writes the state.
     *
     * @param out where to write
     */
    void saveState(StateWriter out);

    /**
     * Reads back what {@link #saveState} wrote, into this object.
     *
     * @param in where to read
     * @throws StateMismatchException when the state was written by a differently built object
     */
    void restoreState(StateReader in);

    /**
     * Several parts as one, written and read in the given order.
     *
     * @param parts the parts
     * @return their composite
     */
    static Stateful of(Stateful... parts) {
        Stateful[] copy = parts.clone();
        return new Stateful() {
            @Override
            public void saveState(StateWriter out) {
                for (Stateful part : copy) {
                    part.saveState(out);
                }
            }

            @Override
            public void restoreState(StateReader in) {
                for (Stateful part : copy) {
                    part.restoreState(in);
                }
            }
        };
    }

    /**
     * Random streams as state.
     *
     * @param streams the streams
     * @return their composite
     */
    static Stateful streams(SplitMixRandom... streams) {
        SplitMixRandom[] copy = streams.clone();
        return new Stateful() {
            @Override
            public void saveState(StateWriter out) {
                out.begin("streams");
                for (SplitMixRandom stream : copy) {
                    out.writeRandom(stream);
                }
            }

            @Override
            public void restoreState(StateReader in) {
                in.begin("streams");
                for (SplitMixRandom stream : copy) {
                    in.readRandom(stream);
                }
            }
        };
    }
}
