package dev.bilevel.learn.sampling;

import dev.bilevel.core.random.Categorical;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.TabularDynamics;

/**
 * Rolls out a stochastic policy on {@link TabularDynamics}, gymnax-style: each stream starts from a
 * fresh reset, runs a fixed number of steps and resets automatically when an episode ends.
 *
 * <p>A step from state {@code s} at episode time {@code τ}: draw {@code a ~ π(·|s)} and record
 * {@code (s, a, τ)}. If {@code s} is terminal the episode ends there ({@code terminated}); otherwise,
 * if {@code τ + 1} reaches the time limit it ends without moving ({@code truncated}); otherwise the
 * state moves to {@code s' ~ P(·|s,a)}. This reproduces the FourRooms reference mechanics (reward and
 * done on the pre-move cell, an extra transition taken in the goal, at most {@code maxEpisodeSteps}
 * transitions per episode).
 */
public final class TabularSampler {

    private final TabularDynamics dynamics;
    private final int maxEpisodeSteps;

    /**
     * @param dynamics the kernel to sample from (for FourRooms the simulator's slip model)
     * @param maxEpisodeSteps time limit per episode ({@code Integer.MAX_VALUE} for none)
     */
    public TabularSampler(TabularDynamics dynamics, int maxEpisodeSteps) {
        if (maxEpisodeSteps < 1) {
            throw new IllegalArgumentException("maxEpisodeSteps must be ≥ 1, got " + maxEpisodeSteps);
        }
        this.dynamics = dynamics;
        this.maxEpisodeSteps = maxEpisodeSteps;
    }

    /** The dynamics sampled from. */
    public TabularDynamics dynamics() {
        return dynamics;
    }

    /**
     * Samples {@code episodes} independent episodes from the initial distribution, one per stream, each
     * cut at {@code horizon} steps (the truncation of an infinite-horizon objective).
     */
    public TabularBatch sampleEpisodes(double[] policy, int episodes, int horizon, SplitMixRandom rng) {
        return fill(policy, episodes, horizon, dynamics.initialDistribution(), horizon, true, rng);
    }

    /** Fills a new batch with episodes reset from the dynamics' initial distribution. */
    public TabularBatch sample(double[] policy, int streams, int length, SplitMixRandom rng) {
        return sample(policy, streams, length, dynamics.initialDistribution(), rng);
    }

    /**
     * Fills a new batch whose episodes reset from {@code resetDistribution} (HPGD's oracle resets
     * "anywhere"; otherwise the initial distribution).
     */
    public TabularBatch sample(double[] policy, int streams, int length, double[] resetDistribution,
            SplitMixRandom rng) {
        return fill(policy, streams, length, resetDistribution, maxEpisodeSteps, false, rng);
    }

    private TabularBatch fill(double[] policy, int streams, int length, double[] resetDistribution, int limit,
            boolean singleEpisode, SplitMixRandom rng) {
        TabularBatch batch = new TabularBatch(streams, length);
        int actionsCount = dynamics.actions();
        int[] states = batch.states();
        int[] actions = batch.actions();
        int[] times = batch.times();
        boolean[] terminated = batch.terminated();
        boolean[] truncated = batch.truncated();
        for (int e = 0; e < streams; e++) {
            int s = Categorical.draw(resetDistribution, 0, resetDistribution.length, rng);
            int tau = 0;
            for (int k = 0; k < length; k++) {
                int i = e * length + k;
                int a = Categorical.draw(policy, s * actionsCount, actionsCount, rng);
                states[i] = s;
                actions[i] = a;
                times[i] = tau;
                if (dynamics.isTerminal(s)) {
                    terminated[i] = true;
                } else if (tau + 1 >= limit) {
                    truncated[i] = true;
                }
                if (terminated[i] || truncated[i]) {
                    if (singleEpisode) {
                        batch.setStreamLength(e, k + 1);
                        break;
                    }
                    s = Categorical.draw(resetDistribution, 0, resetDistribution.length, rng);
                    tau = 0;
                } else {
                    s = successor(dynamics, s * actionsCount + a, rng);
                    tau++;
                }
            }
        }
        return batch;
    }

    /** Draws a successor of the state–action {@code row} from the kernel. */
    static int successor(TabularDynamics dynamics, int row, SplitMixRandom rng) {
        double u = rng.nextDouble();
        int end = dynamics.rowStart(row + 1);
        for (int k = dynamics.rowStart(row); k < end - 1; k++) {
            u -= dynamics.probability(k);
            if (u < 0.0) {
                return dynamics.successor(k);
            }
        }
        return dynamics.successor(end - 1);
    }
}
