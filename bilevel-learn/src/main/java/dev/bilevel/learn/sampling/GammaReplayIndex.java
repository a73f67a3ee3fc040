package dev.bilevel.learn.sampling;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;

/**
 * The bookkeeping of a circular replay buffer of episode steps, shared by the tabular and continuous
 * buffers: which slot the next transition goes to, each slot's episode time {@code τ} and end-of-episode
 * flag, draws uniformly or with probability {@code ∝ γ^τ} (the discounted state-visitation weighting the
 * policy-gradient theorem asks for), and each slot's episode future ("subsequence") for BC-HG's influence
 * sums. The payload (states, actions, rewards) lives in the caller's arrays, indexed by slot.
 *
 * <p>Weighted draws use a Fenwick tree, {@code O(log n)} each; draws without replacement reject repeats,
 * which gives the same distribution as drawing successively from the renormalised remaining weights.
 */
public final class GammaReplayIndex implements Stateful {

    private final int capacity;
    private final double discount;
    private final boolean referenceSubsequenceEdge;
    private final boolean[] last;
    private final int[] time;
    private final double[] tree;
    private int pointer;
    private int size;

    /**
     * @param capacity slots (older transitions are overwritten)
     * @param discount {@code γ} of the {@code γ^τ} sampling weights (the leader's discount)
     * @param referenceSubsequenceEdge reproduce the reference's edge case: a subsequence never walks past
     *     the write pointer, and one starting at the write pointer (the oldest entry of a full buffer) has
     *     length 1 (reference-markov-game.md §7.6)
     */
    public GammaReplayIndex(int capacity, double discount, boolean referenceSubsequenceEdge) {
        if (capacity < 1) {
            throw new IllegalArgumentException("replay capacity must be ≥ 1, got " + capacity);
        }
        if (!(discount > 0.0 && discount <= 1.0)) {
            throw new IllegalArgumentException("sampling discount must be in (0, 1], got " + discount);
        }
        this.capacity = capacity;
        this.discount = discount;
        this.referenceSubsequenceEdge = referenceSubsequenceEdge;
        last = new boolean[capacity];
        time = new int[capacity];
        tree = new double[capacity + 1];
    }

    /** Its episode marks, times, weight tree, write position and size. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("GammaReplayIndex").writeBooleans(last).writeInts(time).writeDoubles(tree).writeInt(pointer)
                .writeInt(size);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("GammaReplayIndex").readBooleans(last);
        in.readInts(time);
        in.readDoubles(tree);
        pointer = in.readInt();
        size = in.readInt();
    }

    /**
     * Claims the slot of the next transition (the oldest when full) and records its episode data.
     *
     * @param lastStep the episode ended at this step (terminated or cut by the time limit)
     * @param episodeTime the step's time {@code τ} within its episode
     * @return the slot the caller writes its payload to
     */
    public int add(boolean lastStep, int episodeTime) {
        int i = pointer;
        last[i] = lastStep;
        double weight = Math.pow(discount, episodeTime);
        double previous = size == capacity ? Math.pow(discount, time[i]) : 0.0;
        time[i] = episodeTime;
        for (int k = i + 1; k <= capacity; k += k & -k) {
            tree[k] += weight - previous;
        }
        pointer = (pointer + 1) % capacity;
        if (size < capacity) {
            size++;
        }
        return i;
    }

    /** Transitions stored. */
    public int size() {
        return size;
    }

    /** Maximum transitions stored. */
    public int capacity() {
        return capacity;
    }

    /**
     * Draws {@code n} slots into {@code out}.
     *
     * @param withReplacement on-policy sampling; without replacement needs {@code n ≤ size()}
     * @param discountWeighted draw slot {@code i} with probability {@code ∝ γ^τ_i}, else uniformly
     */
    public void sample(int n, boolean withReplacement, boolean discountWeighted, SplitMixRandom rng, int[] out) {
        if (size == 0) {
            throw new IllegalStateException("cannot sample from an empty replay buffer");
        }
        if (!withReplacement && n > size) {
            throw new IllegalArgumentException("cannot draw " + n + " distinct transitions from " + size);
        }
        for (int k = 0; k < n; k++) {
            int index;
            boolean repeat;
            do {
                index = discountWeighted ? weightedIndex(rng.nextDouble() * totalWeight()) : rng.nextInt(size);
                repeat = false;
                if (!withReplacement) {
                    for (int m = 0; m < k && !repeat; m++) {
                        repeat = out[m] == index;
                    }
                }
            } while (repeat);
            out[k] = index;
        }
    }

    private double totalWeight() {
        double sum = 0.0;
        for (int k = capacity; k > 0; k -= k & -k) {
            sum += tree[k];
        }
        return sum;
    }

    /** The smallest index whose prefix weight exceeds {@code target} (Fenwick descent). */
    private int weightedIndex(double target) {
        int position = 0;
        double remaining = target;
        for (int step = Integer.highestOneBit(capacity); step > 0; step >>= 1) {
            int next = position + step;
            if (next <= capacity && tree[next] <= remaining) {
                position = next;
                remaining -= tree[next];
            }
        }
        return Math.min(position, size - 1);
    }

    /**
     * The length of the episode's future from {@code index}, itself included: slots {@code index, index+1, …}
     * (circularly) up to and including the first that ends its episode.
     */
    public int subsequenceLength(int index) {
        if (referenceSubsequenceEdge && size == capacity && index == pointer) {
            return 1;
        }
        int length = 1;
        int j = index;
        while (!last[j]) {
            j = (j + 1) % capacity;
            if (j == pointer || j >= size) {
                break;
            }
            length++;
        }
        return length;
    }

    /** The slot {@code k} steps after {@code index}, circularly. */
    public int offset(int index, int k) {
        return (index + k) % capacity;
    }

    /** Whether the episode ended at slot {@code i}. */
    public boolean last(int i) {
        return last[i];
    }

    /** The episode time of slot {@code i}. */
    public int time(int i) {
        return time[i];
    }
}
