package dev.bilevel.learn.game;

import java.util.SplittableRandom;

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
 * renormalised remaining weights.
 */
public final class GammaReplayBuffer {

    private final int capacity;
    private final double discount;
    private final boolean referenceSubsequenceEdge;
    private final int[] state;
    private final int[] leaderAction;
    private final int[] followerAction;
    private final double[] leaderReward;
    private final double[] followerReward;
    private final int[] nextState;
    private final boolean[] terminal;
    private final boolean[] last;
    private final int[] time;
    private final double[] tree;
    private int pointer;
    private int size;

    /**
     * @param capacity transitions kept (older ones are overwritten)
     * @param discount {@code γ} of the {@code γ^τ} sampling weights (the leader's discount)
     * @param referenceSubsequenceEdge reproduce the reference's edge case: a subsequence never walks
     *     past the write pointer, and one starting at the write pointer (the oldest entry of a full
     *     buffer) has length 1 (reference-markov-game.md §7.6)
     */
    public GammaReplayBuffer(int capacity, double discount, boolean referenceSubsequenceEdge) {
        if (capacity < 1) {
            throw new IllegalArgumentException("replay capacity must be ≥ 1, got " + capacity);
        }
        if (!(discount > 0.0 && discount <= 1.0)) {
            throw new IllegalArgumentException("sampling discount must be in (0, 1], got " + discount);
        }
        this.capacity = capacity;
        this.discount = discount;
        this.referenceSubsequenceEdge = referenceSubsequenceEdge;
        state = new int[capacity];
        leaderAction = new int[capacity];
        followerAction = new int[capacity];
        leaderReward = new double[capacity];
        followerReward = new double[capacity];
        nextState = new int[capacity];
        terminal = new boolean[capacity];
        last = new boolean[capacity];
        time = new int[capacity];
        tree = new double[capacity + 1];
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
        int i = pointer;
        state[i] = s;
        leaderAction[i] = b;
        followerAction[i] = a;
        leaderReward[i] = rewardLeader;
        followerReward[i] = rewardFollower;
        nextState[i] = next;
        terminal[i] = terminated;
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
     * Draws {@code n} indices into {@code out}.
     *
     * @param withReplacement on-policy sampling; without replacement needs {@code n ≤ size()}
     * @param discountWeighted draw index {@code i} with probability {@code ∝ γ^τ_i}, else uniformly
     */
    public void sample(int n, boolean withReplacement, boolean discountWeighted, SplittableRandom rng, int[] out) {
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
     * The length of the episode's future from {@code index}, itself included: entries
     * {@code index, index+1, …} (circularly) up to and including the first that ends its episode.
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

    /** The index {@code k} steps after {@code index}, circularly. */
    public int offset(int index, int k) {
        return (index + k) % capacity;
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
        return last[i];
    }

    public int time(int i) {
        return time[i];
    }
}
