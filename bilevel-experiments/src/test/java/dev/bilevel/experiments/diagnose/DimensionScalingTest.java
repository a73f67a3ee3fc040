package dev.bilevel.experiments.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.method.TabularEstimators.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class DimensionScalingTest {

    @Test
    void oneRowPerProblemAndEstimatorWithCostsAndAccuracy() {
        DimensionScaling.Settings settings = new DimensionScaling.Settings(List.of(Kind.BCHG, Kind.NAIVE), 30, 2,
                100, true, 0.1, 0.1, 4, true, 0.003, List.of(3, 300), 12, 3, 0.9, 0.2);
        List<DimensionScaling.Row> rows = DimensionScaling.run(settings, ProgressReporter.silent());

        assertThat(rows.stream().map(r -> r.problem() + ":" + r.estimator().id()).toList()).containsExactly(
                "four-rooms-corridors:bchg", "four-rooms-corridors:naive", "four-rooms-all:bchg", "four-rooms-all:naive",
                "random-d3:bchg", "random-d3:naive", "random-d300:bchg", "random-d300:naive");
        assertThat(rows.stream().map(DimensionScaling.Row::dimension).toList())
                .containsExactly(5, 5, 105, 105, 3, 3, 300, 300);
        for (DimensionScaling.Row r : rows) {
            assertThat(r.samples()).as(r.problem()).isGreaterThanOrEqualTo(30);
            assertThat(r.estimateSeconds().mean()).isPositive();
            assertThat(r.secondsPerSample()).isPositive();
            assertThat(r.fixedSeconds()).isFinite();
            assertThat(r.marginalSecondsPerSample()).isFinite();
            // t(N) = fixed + marginal · samples(N), by construction (t is the median time; with two repeats
            // that is the mean).
            assertThat(r.fixedSeconds() + r.marginalSecondsPerSample() * r.samples())
                    .isCloseTo(r.estimateSeconds().mean(), within(1e-12));
            assertThat(r.exactSeconds()).isPositive();
            assertThat(r.cosine().mean()).isBetween(-1.0, 1.0);
        }
        // The random problems share their dynamics, so at x = 0 they see the very same episodes.
        List<DimensionScaling.Row> random = rows.stream().filter(r -> r.family().equals("random")).toList();
        assertThat(random).allSatisfy(r -> {
            assertThat(r.samples()).isEqualTo(random.get(0).samples());
            assertThat(r.states()).isEqualTo(12);
            assertThat(r.actions()).isEqualTo(3);
        });
    }

    @Test
    void casesFollowTheSettings() {
        DimensionScaling.Settings defaults = DimensionScaling.Settings.defaults();
        List<DimensionScaling.Case> cases = DimensionScaling.cases(defaults);
        assertThat(cases.stream().map(c -> c.problem().dimension()).toList())
                .containsExactly(5, 105, 10, 100, 1000, 10_000);
        assertThat(cases.get(2).problem().mdp().dynamics()).isSameAs(cases.get(5).problem().mdp().dynamics());
        assertThat(cases.get(5).problem().decision()).containsOnly(0.0);
    }
}
