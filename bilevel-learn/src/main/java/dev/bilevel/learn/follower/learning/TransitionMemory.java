package dev.bilevel.learn.follower.learning;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;

/**
 * A learning follower's memory of its own last transitions, for replayed updates: a ring of {@code (s, b, a, r, s',
 * terminal)} on flat arrays ({@code b}, the leader's action, is 0 in an MDP) that overwrites the oldest once full.
 * The rewards are those the follower received, under whatever decision the leader held then.
 */
final class TransitionMemory implements Stateful {

    private final int[] states;
    private final int[] leaderActions;
    private final int[] actions;
    private final double[] rewards;
    private final int[] next;
    private final boolean[] terminal;
    private int size;
    private int head;

    /**
     * @param capacity transitions kept, ≥ 1
     */
    TransitionMemory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("follower.replay_capacity: must be ≥ 1, got " + capacity);
        }
        states = new int[capacity];
        leaderActions = new int[capacity];
        actions = new int[capacity];
        rewards = new double[capacity];
        next = new int[capacity];
        terminal = new boolean[capacity];
    }

    private void add(int state, int leaderAction, int action, double reward, int successor, boolean ended) {
        states[head] = state;
        leaderActions[head] = leaderAction;
        actions[head] = action;
        rewards[head] = reward;
        next[head] = successor;
        terminal[head] = ended;
        head = (head + 1) % states.length;
        size = Math.min(size + 1, states.length);
    }

    /**
     * Remembers a transition, then replays {@code replays} transitions drawn uniformly from the memory.
     *
     * @param rng the learner's randomness, for the draws
     * @param update the learner's update, applied to each replayed transition
     */
    void addAndReplay(int state, int leaderAction, int action, double reward, int successor, boolean ended,
            int replays, SplitMixRandom rng, Update update) {
        add(state, leaderAction, action, reward, successor, ended);
        for (int k = 0; k < replays; k++) {
            int i = rng.nextInt(size);
            update.apply(states[i], leaderActions[i], actions[i], rewards[i], next[i], terminal[i]);
        }
    }

    /** A learner's update on one transition {@code (s, b, a, r, s', terminal)}. */
    @FunctionalInterface
    interface Update {
        void apply(int state, int leaderAction, int action, double reward, int next, boolean terminal);
    }

    /** Its transitions, its fill and its write position. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("TransitionMemory").writeInt(size).writeInt(head).writeInts(states).writeInts(leaderActions).writeInts(actions)
                .writeDoubles(rewards).writeInts(next).writeBooleans(terminal);
    }

    @Override
    public void restoreState(StateReader in) {
        size = in.begin("TransitionMemory").readInt();
        head = in.readInt();
        in.readInts(states);
        in.readInts(leaderActions);
        in.readInts(actions);
        in.readDoubles(rewards);
        in.readInts(next);
        in.readBooleans(terminal);
    }
}
