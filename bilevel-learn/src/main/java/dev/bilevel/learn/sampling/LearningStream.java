package dev.bilevel.learn.sampling;

import dev.bilevel.core.random.Categorical;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.learn.follower.learning.TabularLearner;

/**
 * One environment, run without pause, in which a learning follower acts and learns while the leader watches: the
 * asynchronous setting. The streams continue from one call to the next (an episode in progress when the leader
 * updates goes on under the new decision); each step the follower chooses its action, the environment gives it its
 * reward under the leader's current decision and moves, and the follower learns from that transition at once, one
 * update per environment step. What the leader receives is the record of the steps, a {@link TabularBatch} like
 * {@link TabularSampler}'s: states, the follower's actions, episode times, terminations and truncations.
 *
 * <p>The mechanics are {@link TabularSampler}'s: an episode ends in a terminal state after one more transition
 * there ({@code terminated}), or at the time limit ({@code truncated}, after which the learner still bootstraps from
 * the state it would have reached); then the stream resets from the initial distribution. Several streams are
 * stepped in turn, like vectorised environments, and feed the one learner. Before the leader first looks, the
 * stream can run a warm-up ({@link #warmUp}), in which the follower learns under the leader's first decision and
 * nothing is recorded.
 */
public final class LearningStream implements Stateful {

    private final TabularDynamics dynamics;
    private final int maxEpisodeSteps;
    private final TabularLearner learner;
    private final int[] state;
    private final int[] time;
    private boolean started;

    /**
     * @param dynamics the environment's kernel
     * @param maxEpisodeSteps the time limit per episode
     * @param learner the follower acting in it
     * @param streams how many copies of the environment run side by side
     */
    public LearningStream(TabularDynamics dynamics, int maxEpisodeSteps, TabularLearner learner, int streams) {
        if (maxEpisodeSteps < 1 || streams < 1) {
            throw new IllegalArgumentException("need a time limit ≥ 1 and ≥ 1 stream, got " + maxEpisodeSteps
                    + " and " + streams);
        }
        this.dynamics = dynamics;
        this.maxEpisodeSteps = maxEpisodeSteps;
        this.learner = learner;
        this.state = new int[streams];
        this.time = new int[streams];
    }

    /**
     * Runs {@code steps} steps in every stream with nothing recorded: the follower learns before the leader first
     * looks.
     *
     * @param followerReward the follower's reward table {@code r_F(s,a)} under the leader's decision
     * @param steps steps per stream
     * @param rng the environment's randomness
     */
    public void warmUp(double[] followerReward, int steps, SplitMixRandom rng) {
        start(rng);
        for (int k = 0; k < steps; k++) {
            for (int e = 0; e < state.length; e++) {
                step(e, followerReward, null, 0, rng);
            }
        }
    }

    /**
     * Runs {@code length} steps in every stream and records them.
     *
     * @param followerReward the follower's reward table {@code r_F(s,a)} under the leader's decision
     * @param length steps per stream
     * @param rng the environment's randomness
     * @return the record, one stream of the batch per environment
     */
    public TabularBatch sample(double[] followerReward, int length, SplitMixRandom rng) {
        start(rng);
        TabularBatch batch = new TabularBatch(state.length, length);
        for (int k = 0; k < length; k++) {
            for (int e = 0; e < state.length; e++) {
                step(e, followerReward, batch, e * length + k, rng);
            }
        }
        return batch;
    }

    /** Resets every stream, the first time. */
    private void start(SplitMixRandom rng) {
        if (!started) {
            for (int e = 0; e < state.length; e++) {
                state[e] = reset(rng);
            }
            started = true;
        }
    }

    private void step(int e, double[] followerReward, TabularBatch batch, int row, SplitMixRandom rng) {
        int actions = dynamics.actions();
        int s = state[e];
        int tau = time[e];
        int a = learner.act(s);
        boolean terminated = dynamics.isTerminal(s);
        boolean truncated = !terminated && tau + 1 >= maxEpisodeSteps;
        if (batch != null) {
            batch.states()[row] = s;
            batch.actions()[row] = a;
            batch.times()[row] = tau;
            batch.terminated()[row] = terminated;
            batch.truncated()[row] = truncated;
        }
        double reward = followerReward[s * actions + a];
        if (terminated) {
            learner.learn(s, a, reward, s, true);
            state[e] = reset(rng);
            time[e] = 0;
            return;
        }
        int next = TabularSampler.successor(dynamics, s * actions + a, rng);
        learner.learn(s, a, reward, next, false);
        if (truncated) {
            state[e] = reset(rng);
            time[e] = 0;
        } else {
            state[e] = next;
            time[e] = tau + 1;
        }
    }

    private int reset(SplitMixRandom rng) {
        double[] initial = dynamics.initialDistribution();
        return Categorical.draw(initial, 0, initial.length, rng);
    }

    /** Where every stream stands: its state and its episode time. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("LearningStream").writeBoolean(started).writeInts(state).writeInts(time);
    }

    @Override
    public void restoreState(StateReader in) {
        started = in.begin("LearningStream").readBoolean();
        in.readInts(state);
        in.readInts(time);
    }
}
