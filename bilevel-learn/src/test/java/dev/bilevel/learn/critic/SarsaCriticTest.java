package dev.bilevel.learn.critic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.core.tabular.PolicyValues;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.learn.testing.Instances;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SarsaCriticTest {

    private static double[] uniform(int states, int actions) {
        double[] pi = new double[states * actions];
        Arrays.fill(pi, 1.0 / actions);
        return pi;
    }

    @Test
    void withStepOneEveryRowTakesItsOneStepTarget() {
        // A deterministic chain 0 → … → 5 (terminal), one episode per stream, two actions. With α = 1
        // each visited (s,a) ends at f(s,a) + γ·Q(s',a'), where Q(s',a') is the successor pair's value
        // at the moment of the update: its initial value if processed later, its own final value if
        // processed earlier. Terminal rows take f alone.
        int states = 6;
        int actions = 2;
        TabularDynamics chain = Instances.chain(states, actions);
        double gamma = 0.9;
        double[] reward = Instances.uniformVector(new SplitMixRandom(1), states * actions, -1.0, 1.0);
        SarsaCritic critic = new SarsaCritic(states, actions, 1.0, new SplitMixRandom(2));
        double[] initial = initialTable(states, actions, 2);

        TabularBatch batch = new TabularSampler(chain, Integer.MAX_VALUE).sampleEpisodes(uniform(states, actions), 1,
                20, new SplitMixRandom(3));
        double[] q = critic.update(batch, reward, uniform(states, actions), gamma, new SplitMixRandom(4));
        int taken = 0;
        int fromInitial = 0;
        for (int k = 0; k < states; k++) {
            int row = batch.states()[k] * actions + batch.actions()[k];
            if (k == states - 1) {
                assertThat(q[row]).as("terminal row").isCloseTo(reward[row], within(1e-15));
                continue;
            }
            int next = batch.states()[k + 1] * actions + batch.actions()[k + 1];
            double withFinal = reward[row] + gamma * q[next];
            double withInitial = reward[row] + gamma * initial[next];
            boolean matchesFinal = Math.abs(q[row] - withFinal) < 1e-14;
            boolean matchesInitial = Math.abs(q[row] - withInitial) < 1e-14;
            assertThat(matchesFinal || matchesInitial).as("row %d takes a one-step target", k).isTrue();
            taken++;
            fromInitial += matchesInitial && !matchesFinal ? 1 : 0;
        }
        assertThat(taken).isEqualTo(states - 1);
        assertThat(fromInitial).as("a random order processes some rows before their successor").isPositive();
        // Pairs not in the batch keep their initial values.
        int unvisited = 0;
        for (int row = 0; row < states * actions; row++) {
            boolean visited = false;
            for (int k = 0; k < states; k++) {
                visited |= batch.states()[k] * actions + batch.actions()[k] == row;
            }
            if (!visited) {
                assertThat(q[row]).isEqualTo(initial[row]);
                unvisited++;
            }
        }
        assertThat(unvisited).isEqualTo(states * actions - states);
    }

    /**
     * The critic's initial table for a seed, read through a copy whose step is negligible (an update
     * with α = 1e-300 changes nothing representable).
     */
    private static double[] initialTable(int states, int actions, long seed) {
        SarsaCritic probe = new SarsaCritic(states, actions, 1e-300, new SplitMixRandom(seed));
        return probe.update(new TabularBatch(1, 1), new double[states * actions], uniform(states, actions), 0.0,
                new SplitMixRandom(0)).clone();
    }

    @Test
    void thePassVisitsRowsInARandomOrderDrawnFromTheGivenRandomness() {
        // With α = 1 on a chain the result depends on the order (a row sees its successor's initial or
        // updated value): the same randomness gives the same table, other draws give other tables
        // (plain stream order would give one table whatever the seed).
        int states = 8;
        TabularDynamics chain = Instances.chain(states, 1);
        double[] reward = Instances.uniformVector(new SplitMixRandom(20), states, -1.0, 1.0);
        double[] pi = uniform(states, 1);
        TabularBatch batch = new TabularSampler(chain, Integer.MAX_VALUE).sampleEpisodes(pi, 1, 20,
                new SplitMixRandom(21));
        double[] first = new SarsaCritic(states, 1, 1.0, new SplitMixRandom(22)).update(batch, reward, pi, 0.9,
                new SplitMixRandom(23)).clone();
        double[] again = new SarsaCritic(states, 1, 1.0, new SplitMixRandom(22)).update(batch, reward, pi, 0.9,
                new SplitMixRandom(23)).clone();
        assertThat(again).isEqualTo(first);
        java.util.Set<String> tables = new java.util.HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            tables.add(Arrays.toString(new SarsaCritic(states, 1, 1.0, new SplitMixRandom(22)).update(batch, reward,
                    pi, 0.9, new SplitMixRandom(seed))));
        }
        assertThat(tables.size()).isGreaterThan(5);
    }

    @Test
    void withStepOneAndOneActionChainLengthPassesGiveTheExactReturns() {
        // Each pass fixes at least one more state from the end, whatever the order.
        int states = 7;
        TabularDynamics chain = Instances.chain(states, 1);
        double gamma = 0.8;
        double[] reward = Instances.uniformVector(new SplitMixRandom(5), states, -1.0, 1.0);
        double[] pi = uniform(states, 1);
        SarsaCritic critic = new SarsaCritic(states, 1, 1.0, new SplitMixRandom(6));
        TabularSampler sampler = new TabularSampler(chain, Integer.MAX_VALUE);
        SplitMixRandom rng = new SplitMixRandom(7);
        double[] q = null;
        for (int pass = 0; pass < states; pass++) {
            q = critic.update(sampler.sampleEpisodes(pi, 1, 50, rng), reward, pi, gamma, rng);
        }
        double[] exact = PolicyEvaluation.evaluate(chain, pi, reward, gamma).actionValues();
        for (int s = 0; s < states; s++) {
            assertThat(q[s]).as("state %d", s).isCloseTo(exact[s], within(1e-12));
        }
    }

    @Test
    void theBatchEndIsNotBootstrapped() {
        // One stream cut mid-episode: its last row's target is f alone (reference behaviour).
        int states = 5;
        TabularDynamics chain = Instances.chain(states, 1);
        double[] reward = {0.1, 0.2, 0.3, 0.4, 0.5};
        SarsaCritic critic = new SarsaCritic(states, 1, 1.0, new SplitMixRandom(8));
        TabularBatch batch = new TabularSampler(chain, Integer.MAX_VALUE).sample(uniform(states, 1), 1, 3,
                new SplitMixRandom(9));
        double[] q = critic.update(batch, reward, uniform(states, 1), 0.9, new SplitMixRandom(10));
        assertThat(q[2]).isCloseTo(0.3, within(1e-15));
        double[] initial = initialTable(states, 1, 8);
        assertThat(q[1]).as("bootstraps from its successor's updated or initial value").satisfiesAnyOf(
                v -> assertThat(v).isCloseTo(0.2 + 0.9 * q[2], within(1e-15)),
                        v -> assertThat(v).isCloseTo(0.2 + 0.9 * initial[2], within(1e-15)));
    }

    @Test
    void episodeEndsInsideAStreamAreNotBootstrapped() {
        // Streams reset inside the batch: a terminal row (chain end) and a time-limit row must not
        // take the next episode's first row as their successor.
        double[] reward = {0.1, 0.2, 0.3, 0.4, 0.5};
        double[] pi = uniform(5, 1);
        TabularDynamics terminalAtTwo = Instances.chain(3, 1);
        SarsaCritic critic = new SarsaCritic(3, 1, 1.0, new SplitMixRandom(14));
        TabularBatch terminated = new TabularSampler(terminalAtTwo, Integer.MAX_VALUE).sample(uniform(3, 1), 2, 8,
                new SplitMixRandom(15));
        assertThat(terminated.terminated()[2]).isTrue();
        double[] q = critic.update(terminated, reward, uniform(3, 1), 0.9, new SplitMixRandom(16));
        assertThat(q[2]).as("terminal state").isCloseTo(0.3, within(1e-15));

        SarsaCritic limited = new SarsaCritic(5, 1, 1.0, new SplitMixRandom(17));
        TabularBatch truncated = new TabularSampler(Instances.chain(5, 1), 2).sample(pi, 2, 9,
                new SplitMixRandom(18));
        assertThat(truncated.truncated()[1]).isTrue();
        double[] r = limited.update(truncated, reward, pi, 0.9, new SplitMixRandom(19));
        assertThat(r[1]).as("time-limit state").isCloseTo(0.2, within(1e-15));
        assertThat(r[0]).as("state 0 bootstraps from state 1 (final or initial value)").satisfiesAnyOf(
                v -> assertThat(v).isCloseTo(0.1 + 0.9 * r[1], within(1e-15)),
                v -> assertThat(v).isCloseTo(0.1 + 0.9 * initialTable(5, 1, 17)[1], within(1e-15)));
    }

    @Test
    void repeatedPassesConvergeToTheExactLeaderQ() {
        // Random 6×3 instance, uniform start so every pair is visited, one episode per stream (no
        // batch-end truncation), γ = 0.8. With a constant step α = 0.02 the table fluctuates around
        // Q^π with a stationary standard deviation of order √(α/2)·σ_target ≈ 0.1·σ_target, correlated
        // over ~1/(α·visits per pass) passes; averaging the table over the last 2,000 passes leaves a
        // measured max error of 0.005–0.009 (four seeds). The tolerance 0.05 is ~3% of the spread of Q
        // and under 2% of the initial N(0,1) error.
        SplitMixRandom rng = new SplitMixRandom(11);
        int states = 6;
        int actions = 3;
        TabularDynamics dynamics = Instances.dynamics(rng, states, actions, 1, true);
        double[] pi = Instances.randomPolicy(rng, states, actions);
        double[] reward = Instances.uniformVector(rng, states * actions, -1.0, 1.0);
        double gamma = 0.8;
        PolicyValues exact = PolicyEvaluation.evaluate(dynamics, pi, reward, gamma);

        SarsaCritic critic = new SarsaCritic(states, actions, 0.02, new SplitMixRandom(12));
        TabularSampler sampler = new TabularSampler(dynamics, Integer.MAX_VALUE);
        double initialError = maxError(initialTable(states, actions, 12), exact.actionValues());
        double[] average = new double[states * actions];
        int passes = 4_000;
        int averaged = 2_000;
        for (int pass = 0; pass < passes; pass++) {
            double[] q = critic.update(sampler.sampleEpisodes(pi, 50, 100, rng), reward, pi, gamma, rng);
            if (pass >= passes - averaged) {
                for (int i = 0; i < q.length; i++) {
                    average[i] += q[i] / averaged;
                }
            }
        }
        double spread = Arrays.stream(exact.actionValues()).max().getAsDouble()
                - Arrays.stream(exact.actionValues()).min().getAsDouble();
        assertThat(initialError).isGreaterThan(0.5);
        assertThat(spread).isGreaterThan(1.0);
        assertThat(maxError(average, exact.actionValues())).isLessThan(0.05);
    }

    private static double maxError(double[] a, double[] b) {
        double m = 0.0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void rejectsAStepOutsideTheUnitInterval() {
        assertThatThrownBy(() -> new SarsaCritic(2, 2, 0.0, new SplitMixRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SARSA step");
        assertThatThrownBy(() -> new SarsaCritic(2, 2, 1.5, new SplitMixRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theExactCriticIsPolicyEvaluation() {
        SplitMixRandom rng = new SplitMixRandom(13);
        TabularDynamics dynamics = Instances.dynamics(rng, 5, 2, 1, false);
        double[] pi = Instances.randomPolicy(rng, 5, 2);
        double[] reward = Instances.uniformVector(rng, 10, -1.0, 1.0);
        double[] q = new ExactLeaderCritic(dynamics).update(new TabularBatch(1, 1), reward, pi, 0.85, rng);
        assertThat(q).isEqualTo(PolicyEvaluation.evaluate(dynamics, pi, reward, 0.85).actionValues());
    }
}
