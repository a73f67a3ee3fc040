package dev.bilevel.learn.follower.learning;

import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;

/**
 * A continuous learner's memory of its own last transitions: a ring of {@code (o, a/c, r, o', terminal)} on flat
 * arrays that overwrites the oldest once full. Actions are kept divided by the action box's half-widths {@code c},
 * in {@code [−1, 1]}, as the critics take them.
 */
final class ContinuousTransitionMemory implements Stateful {

    private final int n;
    private final int m;
    private final double[] observations;
    private final double[] actions;
    private final double[] rewards;
    private final double[] next;
    private final boolean[] terminal;
    private int size;
    private int head;

    /**
     * @param capacity transitions kept, ≥ 1
     * @param n observation length
     * @param m action length
     */
    ContinuousTransitionMemory(int capacity, int n, int m) {
        this.n = n;
        this.m = m;
        observations = new double[capacity * n];
        actions = new double[capacity * m];
        rewards = new double[capacity];
        next = new double[capacity * n];
        terminal = new boolean[capacity];
    }

    void add(double[] observation, double[] action, double[] scale, double reward, double[] successor,
            boolean ended) {
        System.arraycopy(observation, 0, observations, head * n, n);
        System.arraycopy(successor, 0, next, head * n, n);
        for (int j = 0; j < m; j++) {
            actions[head * m + j] = action[j] / scale[j];
        }
        rewards[head] = reward;
        terminal[head] = ended;
        head = (head + 1) % rewards.length;
        size = Math.min(size + 1, rewards.length);
    }

    int size() {
        return size;
    }

    void copyObservation(int i, double[] out, int offset) {
        System.arraycopy(observations, i * n, out, offset, n);
    }

    void copyNext(int i, double[] out, int offset) {
        System.arraycopy(next, i * n, out, offset, n);
    }

    /** Writes {@code [o, a/c]} of slot {@code i}. */
    void copyCriticInput(int i, double[] out, int offset) {
        System.arraycopy(observations, i * n, out, offset, n);
        System.arraycopy(actions, i * m, out, offset + n, m);
    }

    double reward(int i) {
        return rewards[i];
    }

    boolean terminal(int i) {
        return terminal[i];
    }

    /** Its transitions, its fill and its write position. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("ContinuousTransitionMemory").writeInt(size).writeInt(head).writeDoubles(observations)
                .writeDoubles(actions).writeDoubles(rewards).writeDoubles(next).writeBooleans(terminal);
    }

    @Override
    public void restoreState(StateReader in) {
        size = in.begin("ContinuousTransitionMemory").readInt();
        head = in.readInt();
        in.readDoubles(observations);
        in.readDoubles(actions);
        in.readDoubles(rewards);
        in.readDoubles(next);
        in.readBooleans(terminal);
    }
}
