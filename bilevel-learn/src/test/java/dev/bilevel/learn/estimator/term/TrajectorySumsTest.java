package dev.bilevel.learn.estimator.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.learn.sampling.BatchAccess;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.learn.testing.BruteForce;
import dev.bilevel.learn.testing.Instances;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scalar scans against explicit computations: tail sums formed as d-vectors step by step, returns
 * as explicit sums, every-visit means by double loops. Batches cover parallel streams with several
 * episodes, terminal and time-limit ends, a trailing partial episode per stream, one-episode streams
 * with unused rows, and a hand-built batch.
 */
class TrajectorySumsTest {

    private static final int STATES = 6;
    private static final int ACTIONS = 3;
    private static final int D = 5;

    static Stream<Arguments> batches() {
        SplitMixRandom rng = new SplitMixRandom(21);
        TabularDynamics dyn = Instances.dynamics(rng, STATES, ACTIONS, 1, false);
        double[] pi = Instances.randomPolicy(rng, STATES, ACTIONS);
        TabularBatch streams = new TabularSampler(dyn, 7).sample(pi, 4, 60, new SplitMixRandom(22));
        TabularBatch episodes = new TabularSampler(dyn, 7).sampleEpisodes(pi, 30, 12, new SplitMixRandom(23));
        TabularBatch hand = BatchAccess.of(5, new int[][][] {
            {{0, 1, 0, 0}, {2, 0, 1, 0}, {0, 1, 2, 1}, {0, 1, 0, 0}, {5, 2, 1, 0}},
            {{1, 0, 0, 0}, {1, 0, 1, 2}, {1, 0, 0, 0}},
            {{3, 2, 0, 1}}});
        return Stream.of(Arguments.of("streams", streams), Arguments.of("episodes", episodes),
                Arguments.of("hand-built", hand));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void accumulateTailsEqualsTheWeightedSumOfExplicitTailVectors(String name, TabularBatch batch) {
        SplitMixRandom rng = new SplitMixRandom(31);
        double gamma = 0.87;
        double[] gradients = Instances.uniformVector(rng, STATES * ACTIONS * D, -1.0, 1.0);
        double[] alpha = Instances.uniformVector(rng, batch.size(), -1.0, 1.0);

        double[] offset = Instances.uniformVector(rng, STATES * ACTIONS, -1.0, 1.0);
        double[] table = offset.clone();
        TrajectorySums.accumulateTails(batch, alpha, gamma, ACTIONS, table);
        double[] viaTable = new double[D];
        for (int row = 0; row < STATES * ACTIONS; row++) {
            for (int j = 0; j < D; j++) {
                viaTable[j] += (table[row] - offset[row]) * gradients[row * D + j];
            }
        }

        double[][] tails = BruteForce.tails(batch, gradients, ACTIONS, D, gamma);
        double[] explicit = BruteForce.weightedSum(batch, alpha, tails, D);
        double scale = 0.0;
        for (double v : explicit) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertThat(scale).isGreaterThan(0.1);
        for (int j = 0; j < D; j++) {
            assertThat(viaTable[j]).as("component %d", j).isCloseTo(explicit[j], within(1e-12 * (1 + scale)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void returnsAreExplicitDiscountedSumsToTheEpisodeEnd(String name, TabularBatch batch) {
        double[] rewards = Instances.uniformVector(new SplitMixRandom(32), batch.size(), -1.0, 1.0);
        double[] returns = TrajectorySums.returns(batch, rewards, 0.9);
        double[] explicit = BruteForce.returns(batch, rewards, 0.9);
        for (int i : BruteForce.usedRows(batch)) {
            assertThat(returns[i]).as("row %d", i).isCloseTo(explicit[i], within(1e-12));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void everyVisitMeansMatchDoubleLoops(String name, TabularBatch batch) {
        double[] values = Instances.uniformVector(new SplitMixRandom(33), batch.size(), -1.0, 1.0);
        double[] byPair = TrajectorySums.meanByStateAction(batch, values, STATES, ACTIONS);
        double[] byState = TrajectorySums.meanByState(batch, values, STATES);
        double[][] pairExplicit = BruteForce.meanByPair(batch, BruteForce.column(batch, values), ACTIONS);
        double[][] stateExplicit = BruteForce.meanByState(batch, BruteForce.column(batch, values));
        for (int i : BruteForce.usedRows(batch)) {
            assertThat(byPair[i]).as("pair mean at row %d", i).isCloseTo(pairExplicit[i][0], within(1e-12));
            assertThat(byState[i]).as("state mean at row %d", i).isCloseTo(stateExplicit[i][0], within(1e-12));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void discountWeightsAndRowValuesAreReadPerRow(String name, TabularBatch batch) {
        double gamma = 0.93;
        double[] weights = TrajectorySums.discountWeights(batch, gamma);
        double[] table = Instances.uniformVector(new SplitMixRandom(34), STATES * ACTIONS, -1.0, 1.0);
        double[] values = TrajectorySums.rowValues(batch, table, ACTIONS);
        int[] visited = new int[batch.size()];
        TrajectorySums.forEachRow(batch, i -> visited[i]++);
        for (int i = 0; i < batch.size(); i++) {
            int e = i / batch.length();
            boolean used = i % batch.length() < batch.streamLength(e);
            assertThat(visited[i]).as("row %d visited once iff used", i).isEqualTo(used ? 1 : 0);
            if (used) {
                assertThat(weights[i]).isCloseTo(Math.pow(gamma, batch.times()[i]), within(1e-14));
                assertThat(values[i]).isEqualTo(table[batch.states()[i] * ACTIONS + batch.actions()[i]]);
            }
        }
    }
}
