package dev.bilevel.learn.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.learn.testing.Instances;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The sampler against the distributions it draws from (fixed seeds; every frequency is checked to
 * within 5 binomial standard errors, a two-sided tail of 6e-7 per comparison), and its episode
 * bookkeeping: terminal rows, resets, the time limit and one-episode-per-stream batches.
 */
class TabularSamplerTest {

    private static final int STATES = 5;
    private static final int ACTIONS = 3;

    /** Five states, three actions, state 3 terminal, random sparse kernel. */
    private static TabularDynamics dynamics() {
        SplitMixRandom rng = new SplitMixRandom(11);
        double[] dense = Instances.denseKernel(rng, STATES, ACTIONS);
        boolean[] terminal = new boolean[STATES];
        terminal[3] = true;
        double[] start = {0.5, 0.0, 0.3, 0.0, 0.2};
        return TabularDynamics.fromDense(STATES, ACTIONS, dense, "transitions", terminal, start);
    }

    /** A policy with zero entries, so that impossible actions are checked too. */
    private static double[] policy() {
        return new double[] {
            0.2, 0.5, 0.3,
            0.0, 0.3, 0.7,
            0.0, 1.0, 0.0,
            0.6, 0.0, 0.4,
            1.0 / 3, 1.0 / 3, 1.0 / 3};
    }

    private static double[] uniformPolicy(int states, int actions) {
        double[] pi = new double[states * actions];
        Arrays.fill(pi, 1.0 / actions);
        return pi;
    }

    /** |f − p| ≤ 5·SE, and exactly zero when p = 0. */
    private static void assertBinomial(long hits, long n, double p, String what) {
        double f = (double) hits / n;
        if (p == 0.0) {
            assertThat(hits).as(what + ": impossible event observed").isZero();
            return;
        }
        double se = Math.sqrt(p * (1 - p) / n);
        assertThat(Math.abs(f - p)).as(what + ": frequency " + f + " vs probability " + p + " (n = " + n + ")")
                .isLessThanOrEqualTo(5 * se + 1e-12);
    }

    @Test
    void nextStatesAndActionsFollowTheKernelAndThePolicy() {
        TabularDynamics dyn = dynamics();
        double[] pi = policy();
        TabularSampler sampler = new TabularSampler(dyn, 10);
        double[] reset = {0.2, 0.2, 0.2, 0.2, 0.2};
        TabularBatch batch = sampler.sample(pi, 20, 20_000, reset, new SplitMixRandom(1));

        long[] transitions = new long[STATES * ACTIONS * STATES];
        long[] pairVisits = new long[STATES * ACTIONS];
        long[] actionCounts = new long[STATES * ACTIONS];
        long[] stateVisits = new long[STATES];
        for (int i = 0; i < batch.size(); i++) {
            int s = batch.states()[i];
            int a = batch.actions()[i];
            actionCounts[s * ACTIONS + a]++;
            stateVisits[s]++;
            if (batch.hasSuccessor(i)) {
                pairVisits[s * ACTIONS + a]++;
                transitions[(s * ACTIONS + a) * STATES + batch.states()[i + 1]]++;
            }
        }
        for (int s = 0; s < STATES; s++) {
            assertThat(stateVisits[s]).as("state %d visited", s).isGreaterThan(10_000);
            for (int a = 0; a < ACTIONS; a++) {
                assertBinomial(actionCounts[s * ACTIONS + a], stateVisits[s], pi[s * ACTIONS + a],
                        "π(" + a + "|" + s + ")");
                int row = s * ACTIONS + a;
                if (dyn.isTerminal(s)) {
                    assertThat(pairVisits[row]).as("a terminal row has no successor").isZero();
                    continue;
                }
                if (pi[row] == 0.0) {
                    continue;
                }
                assertThat(pairVisits[row]).isGreaterThan(2_000);
                for (int next = 0; next < STATES; next++) {
                    assertBinomial(transitions[row * STATES + next], pairVisits[row], dyn.probability(row, next),
                            "P(" + next + "|" + s + "," + a + ")");
                }
            }
        }
    }

    @Test
    void episodesStartFromTheInitialDistribution() {
        TabularDynamics dyn = dynamics();
        TabularSampler sampler = new TabularSampler(dyn, 200);
        TabularBatch batch = sampler.sampleEpisodes(policy(), 100_000, 1, new SplitMixRandom(2));
        long[] counts = new long[STATES];
        for (int e = 0; e < batch.streams(); e++) {
            assertThat(batch.streamLength(e)).isEqualTo(1);
            int i = e * batch.length();
            assertThat(batch.times()[i]).isZero();
            counts[batch.states()[i]]++;
        }
        for (int s = 0; s < STATES; s++) {
            assertBinomial(counts[s], batch.streams(), dyn.initialProbability(s), "μ(" + s + ")");
        }
    }

    @Test
    void resetsDrawFromTheGivenResetDistribution() {
        TabularDynamics dyn = dynamics();
        TabularSampler sampler = new TabularSampler(dyn, 3);
        double[] reset = {0.1, 0.4, 0.0, 0.25, 0.25};
        TabularBatch batch = sampler.sample(policy(), 10, 30_000, reset, new SplitMixRandom(3));
        long[] counts = new long[STATES];
        long starts = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.times()[i] == 0) {
                counts[batch.states()[i]]++;
                starts++;
            }
        }
        assertThat(starts).isGreaterThan(50_000);
        for (int s = 0; s < STATES; s++) {
            assertBinomial(counts[s], starts, reset[s], "reset(" + s + ")");
        }
    }

    @Test
    void terminalStatesEndTheEpisodeAndTheStreamResets() {
        TabularDynamics dyn = dynamics();
        int limit = 7;
        TabularSampler sampler = new TabularSampler(dyn, limit);
        TabularBatch batch = sampler.sample(policy(), 8, 5_000, new SplitMixRandom(4));
        int terminatedRows = 0;
        int truncatedRows = 0;
        for (int e = 0; e < batch.streams(); e++) {
            int first = e * batch.length();
            assertThat(batch.times()[first]).as("a stream starts with a fresh episode").isZero();
            for (int k = 0; k < batch.length(); k++) {
                int i = first + k;
                int s = batch.states()[i];
                int tau = batch.times()[i];
                assertThat(batch.terminated()[i]).as("terminated iff the state is terminal").isEqualTo(
                        dyn.isTerminal(s));
                assertThat(batch.truncated()[i]).as("truncated iff τ + 1 = limit in a non-terminal state")
                        .isEqualTo(!dyn.isTerminal(s) && tau + 1 == limit);
                assertThat(tau).isLessThan(limit);
                terminatedRows += batch.terminated()[i] ? 1 : 0;
                truncatedRows += batch.truncated()[i] ? 1 : 0;
                if (k + 1 < batch.length()) {
                    int expected = batch.done(i) ? 0 : tau + 1;
                    assertThat(batch.times()[i + 1]).as("τ after row %d", i).isEqualTo(expected);
                    assertThat(batch.hasSuccessor(i)).isEqualTo(!batch.done(i));
                    if (batch.done(i)) {
                        assertThat(dyn.initialProbability(batch.states()[i + 1])).as("reset state").isPositive();
                    } else {
                        int row = s * ACTIONS + batch.actions()[i];
                        assertThat(dyn.probability(row, batch.states()[i + 1])).as("reachable successor")
                                .isPositive();
                    }
                } else {
                    assertThat(batch.hasSuccessor(i)).as("the batch end has no successor").isFalse();
                }
            }
        }
        assertThat(terminatedRows).isGreaterThan(100);
        assertThat(truncatedRows).isGreaterThan(100);
    }

    @Test
    void theTimeLimitCutsWithoutAnExtraMove() {
        // On a deterministic chain from state 0 the state equals the episode time, so the rows show
        // exactly where the episode stopped: at τ = limit − 1, still in state limit − 1.
        TabularDynamics chain = Instances.chain(10, 2);
        int limit = 4;
        TabularSampler sampler = new TabularSampler(chain, limit);
        TabularBatch batch = sampler.sample(uniformPolicy(10, 2), 2, 13, new SplitMixRandom(5));
        for (int i = 0; i < batch.size(); i++) {
            int k = i % batch.length();
            assertThat(batch.states()[i]).isEqualTo(k % limit);
            assertThat(batch.times()[i]).isEqualTo(k % limit);
            assertThat(batch.truncated()[i]).isEqualTo(k % limit == limit - 1);
            assertThat(batch.terminated()[i]).isFalse();
        }
        assertThat(batch.completedEpisodes()).isEqualTo(2 * 3);
        assertThat(batch.startedEpisodes()).isEqualTo(2 * 4);

        TabularBatch single = new TabularSampler(chain, 1).sample(uniformPolicy(10, 2), 1, 5, new SplitMixRandom(6));
        for (int i = 0; i < 5; i++) {
            assertThat(single.states()[i]).isZero();
            assertThat(single.times()[i]).isZero();
            assertThat(single.truncated()[i]).isTrue();
        }
    }

    @Test
    void theChainReachesItsTerminalStateWithinTheLimit() {
        TabularDynamics chain = Instances.chain(5, 2);
        double[] pi = new double[10];
        Arrays.fill(pi, 0.5);
        TabularBatch batch = new TabularSampler(chain, 5).sample(pi, 1, 12, new SplitMixRandom(7));
        for (int k = 0; k < 12; k++) {
            assertThat(batch.states()[k]).isEqualTo(k % 5);
            assertThat(batch.terminated()[k]).as("the terminal state wins over the time limit").isEqualTo(k % 5 == 4);
            assertThat(batch.truncated()[k]).isFalse();
        }
    }

    @Test
    void sampleEpisodesGivesOneEpisodePerStreamWithinTheHorizon() {
        TabularDynamics dyn = dynamics();
        int horizon = 6;
        // The sampler's own time limit (2) does not apply: episodes are cut at the horizon only.
        TabularSampler sampler = new TabularSampler(dyn, 2);
        TabularBatch batch = sampler.sampleEpisodes(policy(), 5_000, horizon, new SplitMixRandom(8));
        int used = 0;
        int full = 0;
        int shortEpisodes = 0;
        for (int e = 0; e < batch.streams(); e++) {
            int n = batch.streamLength(e);
            used += n;
            assertThat(n).isBetween(1, horizon);
            for (int k = 0; k < n; k++) {
                int i = e * horizon + k;
                assertThat(batch.times()[i]).isEqualTo(k);
                assertThat(batch.done(i)).as("only the last row ends the episode").isEqualTo(k == n - 1);
            }
            int last = e * horizon + n - 1;
            if (n < horizon) {
                assertThat(batch.terminated()[last]).as("an episode shorter than the horizon terminated").isTrue();
                shortEpisodes++;
            } else {
                assertThat(batch.terminated()[last] || batch.truncated()[last]).isTrue();
                full++;
            }
        }
        assertThat(shortEpisodes).isPositive();
        assertThat(full).isPositive();
        assertThat(batch.startedEpisodes()).isEqualTo(5_000);
        assertThat(batch.completedEpisodes()).isEqualTo(5_000);
        assertThat(batch.usedRows()).isEqualTo(used);
    }

    @Test
    void sampleEpisodesOnAChainHasTheChainLength() {
        TabularDynamics chain = Instances.chain(6, 2);
        double[] pi = new double[12];
        Arrays.fill(pi, 0.5);
        TabularSampler sampler = new TabularSampler(chain, Integer.MAX_VALUE);
        TabularBatch whole = sampler.sampleEpisodes(pi, 3, 10, new SplitMixRandom(9));
        TabularBatch cut = sampler.sampleEpisodes(pi, 3, 4, new SplitMixRandom(9));
        for (int e = 0; e < 3; e++) {
            assertThat(whole.streamLength(e)).isEqualTo(6);
            assertThat(whole.terminated()[e * 10 + 5]).isTrue();
            assertThat(cut.streamLength(e)).isEqualTo(4);
            assertThat(cut.truncated()[e * 4 + 3]).isTrue();
            assertThat(cut.terminated()[e * 4 + 3]).isFalse();
        }
    }

    @Test
    void theSameSeedGivesTheSameBatchAndAnotherSeedAnother() {
        TabularSampler sampler = new TabularSampler(dynamics(), 9);
        TabularBatch a = sampler.sample(policy(), 4, 500, new SplitMixRandom(42));
        TabularBatch b = sampler.sample(policy(), 4, 500, new SplitMixRandom(42));
        TabularBatch c = sampler.sample(policy(), 4, 500, new SplitMixRandom(43));
        assertThat(b.states()).isEqualTo(a.states());
        assertThat(b.actions()).isEqualTo(a.actions());
        assertThat(b.times()).isEqualTo(a.times());
        assertThat(b.terminated()).isEqualTo(a.terminated());
        assertThat(b.truncated()).isEqualTo(a.truncated());
        assertThat(c.states()).isNotEqualTo(a.states());

        TabularBatch e1 = sampler.sampleEpisodes(policy(), 300, 20, new SplitMixRandom(42));
        TabularBatch e2 = sampler.sampleEpisodes(policy(), 300, 20, new SplitMixRandom(42));
        assertThat(e2.states()).isEqualTo(e1.states());
        assertThat(e2.actions()).isEqualTo(e1.actions());
        for (int e = 0; e < 300; e++) {
            assertThat(e2.streamLength(e)).isEqualTo(e1.streamLength(e));
        }
    }

    @Test
    void rejectsANonPositiveTimeLimit() {
        assertThatThrownBy(() -> new TabularSampler(dynamics(), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxEpisodeSteps");
    }
}
