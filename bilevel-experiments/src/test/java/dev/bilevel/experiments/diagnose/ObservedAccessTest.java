package dev.bilevel.experiments.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.experiments.method.TabularEstimators.Kind;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.learn.sampling.TabularBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservedAccessTest {

    private static List<DiagnosticProblem> problems(int count, double temperature) {
        return ObservedAccess.randomProblems(count, 11, 12, 3, 4, 0.9, temperature).stream()
                .map(p -> DiagnosticProblem.of("p", p)).toList();
    }

    private static ObservedAccess.Settings settings(List<Integer> budgets, boolean exactCritic) {
        return new ObservedAccess.Settings(List.of(Kind.BCHG, Kind.NAIVE), budgets, 4, 100, exactCritic, 0.1, 0.01,
                0.1, 3L);
    }

    /** The acceptance of the observed leader, on small problems: at many transitions it keeps the cosine. */
    @Test
    void observedCosineApproachesTheWhiteBoxOneAndTheFitImprovesWithData() {
        List<ObservedAccess.Row> rows = ObservedAccess.run(problems(2, 0.5), settings(List.of(500, 30_000), false),
                ProgressReporter.silent());
        assertThat(rows).hasSize(2 * 2 * 2);
        for (ObservedAccess.Row r : rows) {
            assertThat(r.transitions()).isGreaterThanOrEqualTo(r.budget());
            if (r.estimator() == Kind.BCHG && r.budget() == 30_000) {
                assertThat(r.whiteBox().mean()).isGreaterThan(0.8);
                assertThat(r.ratio()).as("observed keeps ≥ 95 %% of the white-box cosine").isGreaterThan(0.95);
            }
            if (r.estimator() == Kind.NAIVE) {
                // Naive-PGD reads nothing of the follower: both accesses give the same estimate.
                assertThat(r.observed()).isEqualTo(r.whiteBox());
            }
        }
        ObservedAccess.Row small = rows.get(0);
        ObservedAccess.Row large = rows.get(1);
        assertThat(large.budget()).isEqualTo(30_000);
        assertThat(large.policyError().mean()).isLessThan(small.policyError().mean() / 3);
    }

    @Test
    void sameSeedSameNumbers() {
        ObservedAccess.Settings s = settings(List.of(400, 2000), true);
        List<ObservedAccess.Row> a = ObservedAccess.run(problems(1, 0.3), s, ProgressReporter.silent());
        List<ObservedAccess.Row> b = ObservedAccess.run(problems(1, 0.3), s, ProgressReporter.silent());
        assertThat(a).isEqualTo(b);
    }

    @Test
    void aBudgetTakesTheShortestPrefixOfTheEpisodeStream() {
        DiagnosticProblem problem = problems(1, 0.5).get(0);
        EstimatorDiagnostics.Setup setup = new EstimatorDiagnostics.Setup(problem, settings(List.of(1), true)
                .diagnostics());
        for (int budget : new int[] {1, 37, 500, 4321}) {
            TabularBatch batch = ObservedAccess.prefix(setup, budget, 99L);
            int episodes = batch.streams();
            assertThat(batch.usedRows()).isGreaterThanOrEqualTo(budget);
            assertThat(batch.usedRows() - batch.streamLength(episodes - 1)).isLessThan(budget);
            TabularBatch longer = setup.sample(episodes + 5, new SplitMixRandom(99L));
            for (int e = 0; e < episodes; e++) {
                assertThat(longer.streamLength(e)).isEqualTo(batch.streamLength(e));
                for (int k = 0; k < batch.streamLength(e); k++) {
                    assertThat(longer.states()[longer.streamStart(e) + k])
                            .isEqualTo(batch.states()[batch.streamStart(e) + k]);
                }
            }
        }
    }

    @Test
    void policyErrorIsTheVisitWeightedTotalVariation() {
        TabularBatch batch = new TabularBatch(1, 3);
        batch.states()[0] = 0;
        batch.states()[1] = 1;
        batch.states()[2] = 1;
        double[] policy = {0.5, 0.5, 1.0, 0.0};
        double[] fitted = {0.7, 0.3, 0.6, 0.4};
        // visits: state 0 once (TV 0.2), state 1 twice (TV 0.4)
        assertThat(ObservedAccess.policyError(batch, policy, fitted, 2)).isCloseTo((0.2 + 0.8) / 3,
                org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void estimatorsThatDoNotUseOneBatchAreRefused() {
        assertThatThrownBy(() -> new ObservedAccess.Settings(List.of(Kind.ZERO_ORDER), List.of(10), 2, 10, true, 0.1,
                0.01, 0.1, 0L)).hasMessageStartingWith("estimators: zero-order");
        assertThatThrownBy(() -> new ObservedAccess.Settings(List.of(Kind.BCHG), List.of(10, 10), 2, 10, true, 0.1,
                0.01, 0.1, 0L)).hasMessageStartingWith("transitions:");
    }
}
