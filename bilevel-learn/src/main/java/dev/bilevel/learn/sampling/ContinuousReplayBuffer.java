package dev.bilevel.learn.sampling;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateMismatchException;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import java.util.Arrays;

/**
 * Circular replay storage of two-player transitions with continuous states and actions, sampled uniformly
 * or with probability {@code ∝ γ^τ} in the episode time, with each sample's episode future
 * ("subsequence"); the bookkeeping is a {@link GammaReplayIndex}, shared with the tabular buffer. Vectors
 * are stored in flat arrays: slot {@code i}'s state is {@code states()[i·n … i·n + n)}, and so on.
 *
 * <p>Payload arrays grow (doubling) up to the capacity, so a large off-policy buffer that never fills does
 * not allocate its whole capacity.
 */
public final class ContinuousReplayBuffer implements Futures, Stateful {

    private final GammaReplayIndex index;
    private final int n;
    private final int m;
    private final int l;
    private int allocated;
    private double[] states;
    private double[] followerActions;
    private double[] leaderActions;
    private double[] leaderRewards;
    private double[] followerRewards;
    private double[] nextStates;
    private boolean[] terminal;

    /**
     * @param capacity transitions kept (older ones are overwritten)
     * @param discount {@code γ} of the {@code γ^τ} sampling weights (the leader's discount)
     * @param referenceSubsequenceEdge reproduce the reference's subsequence edge case
     *     (reference-markov-game.md §7.6)
     * @param stateDimension {@code n}
     * @param followerActionDimension {@code m}
     * @param leaderActionDimension {@code l}
     */
    public ContinuousReplayBuffer(int capacity, double discount, boolean referenceSubsequenceEdge,
            int stateDimension, int followerActionDimension, int leaderActionDimension) {
        index = new GammaReplayIndex(capacity, discount, referenceSubsequenceEdge);
        n = stateDimension;
        m = followerActionDimension;
        l = leaderActionDimension;
        allocate(Math.min(capacity, 1024));
    }

    private void allocate(int slots) {
        allocated = slots;
        states = Arrays.copyOf(states == null ? new double[0] : states, slots * n);
        followerActions = Arrays.copyOf(followerActions == null ? new double[0] : followerActions, slots * m);
        leaderActions = Arrays.copyOf(leaderActions == null ? new double[0] : leaderActions, slots * l);
        leaderRewards = Arrays.copyOf(leaderRewards == null ? new double[0] : leaderRewards, slots);
        followerRewards = Arrays.copyOf(followerRewards == null ? new double[0] : followerRewards, slots);
        nextStates = Arrays.copyOf(nextStates == null ? new double[0] : nextStates, slots * n);
        terminal = Arrays.copyOf(terminal == null ? new boolean[0] : terminal, slots);
    }

    /** Its transitions and its index. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("ContinuousReplayBuffer").writeInt(allocated).writeDoubles(states).writeDoubles(followerActions)
                .writeDoubles(leaderActions).writeDoubles(leaderRewards).writeDoubles(followerRewards)
                .writeDoubles(nextStates).writeBooleans(terminal);
        index.saveState(out);
    }

    @Override
    public void restoreState(StateReader in) {
        allocated = in.begin("ContinuousReplayBuffer").readInt();
        states = in.readDoubles();
        followerActions = in.readDoubles();
        leaderActions = in.readDoubles();
        leaderRewards = in.readDoubles();
        followerRewards = in.readDoubles();
        nextStates = in.readDoubles();
        terminal = in.readBooleans();
        if (states == null || terminal == null || terminal.length != allocated || states.length != allocated * n
                || nextStates.length != allocated * n || followerActions.length != allocated * m
                || leaderActions.length != allocated * l) {
            throw new StateMismatchException("a replay buffer of other dimensions");
        }
        index.restoreState(in);
    }

    /**
     * Appends one transition, overwriting the oldest when full.
     *
     * @param terminated the episode ended in a terminal state (the critic does not bootstrap)
     * @param lastStep the episode ended here (terminated or cut by the time limit)
     * @param episodeTime the step's time {@code τ} within its episode
     */
    public void add(double[] x, int xOffset, double[] leaderAction, int leaderOffset, double[] followerAction,
            int followerOffset, double rewardLeader, double rewardFollower, double[] next, int nextOffset,
            boolean terminated, boolean lastStep, int episodeTime) {
        int i = index.add(lastStep, episodeTime);
        if (i >= allocated) {
            allocate((int) Math.min(index.capacity(), Math.max(2L * allocated, i + 1L)));
        }
        System.arraycopy(x, xOffset, states, i * n, n);
        System.arraycopy(leaderAction, leaderOffset, leaderActions, i * l, l);
        System.arraycopy(followerAction, followerOffset, followerActions, i * m, m);
        leaderRewards[i] = rewardLeader;
        followerRewards[i] = rewardFollower;
        System.arraycopy(next, nextOffset, nextStates, i * n, n);
        terminal[i] = terminated;
    }

    /** Transitions stored. */
    public int size() {
        return index.size();
    }

    /** Maximum transitions stored. */
    public int capacity() {
        return index.capacity();
    }

    /**
     * Draws {@code count} slots into {@code out}.
     *
     * @param withReplacement on-policy sampling; without replacement needs {@code count ≤ size()}
     * @param discountWeighted draw slot {@code i} with probability {@code ∝ γ^τ_i}, else uniformly
     */
    public void sample(int count, boolean withReplacement, boolean discountWeighted, SplitMixRandom rng,
            int[] out) {
        index.sample(count, withReplacement, discountWeighted, rng, out);
    }

    /** The length of the episode's future from slot {@code i}, itself included. */
    @Override
    public int subsequenceLength(int i) {
        return index.subsequenceLength(i);
    }

    /** The slot {@code k} steps after {@code i}, circularly. */
    @Override
    public int offset(int i, int k) {
        return index.offset(i, k);
    }

    /**
     * Writes slot {@code i}'s critic row {@code [x, a_F, a_L]}.
     *
     * @param i the slot
     * @param out receives {@code n + m + l} values
     * @param offset where the row starts
     */
    public void copyRow(int i, double[] out, int offset) {
        System.arraycopy(states, i * n, out, offset, n);
        System.arraycopy(followerActions, i * m, out, offset + n, m);
        System.arraycopy(leaderActions, i * l, out, offset + n + m, l);
    }

    /** The live state array, slot {@code i} at {@code i·n} (read only). */
    public double[] states() {
        return states;
    }

    /** The live follower-action array, slot {@code i} at {@code i·m} (read only). */
    public double[] followerActions() {
        return followerActions;
    }

    /** The live leader-action array, slot {@code i} at {@code i·l} (read only). */
    public double[] leaderActions() {
        return leaderActions;
    }

    /** The live successor-state array, slot {@code i} at {@code i·n} (read only). */
    public double[] nextStates() {
        return nextStates;
    }

    public double leaderReward(int i) {
        return leaderRewards[i];
    }

    public double followerReward(int i) {
        return followerRewards[i];
    }

    public boolean terminal(int i) {
        return terminal[i];
    }

    public boolean last(int i) {
        return index.last(i);
    }

    public int time(int i) {
        return index.time(i);
    }
}
