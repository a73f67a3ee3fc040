package dev.bilevel.learn.sampling;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;

/**
 * Circular replay storage of two-player transitions in a tabular Markov game, sampled uniformly or
 * with probability {@code ∝ γ^τ} in the episode time {@code τ} (the discounted state-visitation
 * weighting the policy-gradient theorem asks for), with the episode's future from each sampled step
 * ("subsequence") for BC-HG's influence sums.
 *
 * <p>The reference's on-policy flavour is a buffer holding exactly one iteration's transitions,
 * sampled with replacement; its off-policy flavour a buffer large enough never to evict, sampled
 * without replacement. Weighted draws use a Fenwick tree, {@code O(log n)} each; draws without
 * replacement reject repeats, which gives the same distribution as drawing successively from the
 * renormalised remaining weights. The slot bookkeeping (weights, subsequences) is a
 * {@link GammaReplayIndex}, shared with the continuous buffer.
 */
public final class GammaReplayBuffer implements Futures, Stateful {

    private final GammaReplayIndex index;
    private final int[] state;
    private final int[] leaderAction;
    private final int[] followerAction;
    private final double[] leaderReward;
    private final double[] followerReward;
    private final int[] nextState;
    private final boolean[] terminal;

    /**
     * @param capacity transitions kept (older ones are overwritten)
     * @param discount {@code γ} of the {@code γ^τ} sampling weights (the leader's discount)
     * @param referenceSubsequenceEdge reproduce the reference's edge case: a subsequence never walks past the
     *     write pointer, and one starting at the write pointer (the oldest entry of a full buffer) has
     *     length 1 (reference-markov-game.md §7.6)
     */
    public GammaReplayBuffer(int capacity, double discount, boolean referenceSubsequenceEdge) {
        index = new GammaReplayIndex(capacity, discount, referenceSubsequenceEdge);
        state = new int[capacity];
        leaderAction = new int[capacity];
        followerAction = new int[capacity];
        leaderReward = new double[capacity];
        followerReward = new double[capacity];
        nextState = new int[capacity];
        terminal = new boolean[capacity];
    }

    /** Its transitions and its index. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("GammaReplayBuffer").writeInts(state).writeInts(leaderAction).writeInts(followerAction)
                .writeDoubles(leaderReward).writeDoubles(followerReward).writeInts(nextState).writeBooleans(terminal);
        index.saveState(out);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("GammaReplayBuffer").readInts(state);
        in.readInts(leaderAction);
        in.readInts(followerAction);
        in.readDoubles(leaderReward);
        in.readDoubles(followerReward);
        in.readInts(nextState);
        in.readBooleans(terminal);
        index.restoreState(in);
    }

    /**
     * Appends one transition, overwriting the oldest when full.
     *
     * @param terminated the episode ended in a terminal state (the critic does not bootstrap)
     * @param lastStep the episode ended here (terminated or cut by the time limit)
     * @param episodeTime the step's time {@code τ} within its episode
     */
    public void add(int s, int b, int a, double rewardLeader, double rewardFollower, int next, boolean terminated,
            boolean lastStep, int episodeTime) {
        int i = index.add(lastStep, episodeTime);
        state[i] = s;
        leaderAction[i] = b;
        followerAction[i] = a;
        leaderReward[i] = rewardLeader;
        followerReward[i] = rewardFollower;
        nextState[i] = next;
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
     * Draws {@code n} indices into {@code out}.
     *
     * @param withReplacement on-policy sampling; without replacement needs {@code n ≤ size()}
     * @param discountWeighted draw index {@code i} with probability {@code ∝ γ^τ_i}, else uniformly
     */
    public void sample(int n, boolean withReplacement, boolean discountWeighted, SplitMixRandom rng, int[] out) {
        index.sample(n, withReplacement, discountWeighted, rng, out);
    }

    /**
     * The length of the episode's future from {@code index}, itself included: entries
     * {@code index, index+1, …} (circularly) up to and including the first that ends its episode.
     */
    @Override
    public int subsequenceLength(int i) {
        return index.subsequenceLength(i);
    }

    /** The index {@code k} steps after {@code index}, circularly. */
    @Override
    public int offset(int i, int k) {
        return index.offset(i, k);
    }

    public int state(int i) {
        return state[i];
    }

    public int leaderAction(int i) {
        return leaderAction[i];
    }

    public int followerAction(int i) {
        return followerAction[i];
    }

    public double leaderReward(int i) {
        return leaderReward[i];
    }

    public double followerReward(int i) {
        return followerReward[i];
    }

    public int nextState(int i) {
        return nextState[i];
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
