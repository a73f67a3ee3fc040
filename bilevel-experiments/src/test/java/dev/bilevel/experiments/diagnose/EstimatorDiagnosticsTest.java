package dev.bilevel.experiments.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.method.TabularEstimators.Kind;
import dev.bilevel.problems.json.RandomProblems;
import java.util.List;
import org.junit.jupiter.api.Test;

class EstimatorDiagnosticsTest {

    /** 8 states, 3 actions, d = 4, γ = 0.8: a horizon of 60 truncates the return by γ^60 ≈ 1.5e-6. */
    private static final DiagnosticProblem SMALL = DiagnosticProblem.of("small",
            RandomProblems.configurableMdp(3, 8, 3, 4, 0.8, 0.5));

    private static EstimatorDiagnostics.Settings settings(List<Kind> kinds, List<Integer> episodes, int repeats,
            long seed) {
        return new EstimatorDiagnostics.Settings(kinds, episodes, repeats, 60, true, 0.1, 0.1, seed);
    }

    @Test
    void bchgWithExactCriticConvergesToTheExactHypergradient() {
        List<Integer> budgets = List.of(10, 100, 1000);
        EstimatorDiagnostics.Report report = EstimatorDiagnostics.run(SMALL,
                settings(List.of(Kind.BCHG), budgets, 6, 1), ProgressReporter.silent());

        assertThat(report.exactGradient()).containsExactly(
                ExactHypergradient.compute(SMALL.mdp(), SMALL.decision()).gradient());
        assertThat(report.rows()).hasSize(3);
        double previousError = Double.POSITIVE_INFINITY;
        double previousCosine = -1;
        for (int n : budgets) {
            EstimatorDiagnostics.Row row = report.row(Kind.BCHG, n);
            assertThat(row.repeats()).isEqualTo(6);
            assertThat(row.sampleUnit()).isEqualTo("transitions");
            assertThat(row.samples()).isGreaterThanOrEqualTo(n);
            assertThat(row.accuracy().relativeError().mean()).as("relative error at %d episodes", n)
                    .isLessThan(previousError);
            assertThat(row.accuracy().cosine().mean()).as("cosine at %d episodes", n).isGreaterThan(previousCosine);
            assertThat(row.estimateSeconds().mean()).isPositive();
            previousError = row.accuracy().relativeError().mean();
            previousCosine = row.accuracy().cosine().mean();
        }
        EstimatorDiagnostics.Row large = report.row(Kind.BCHG, 1000);
        assertThat(large.accuracy().cosine().mean()).isGreaterThan(0.99);
        assertThat(large.accuracy().relativeError().mean()).isLessThan(0.15);
        // Unbiased: the mean's distance from g is within a few noise floors.
        assertThat(large.accuracy().bias()).isLessThan(4 * large.accuracy().biasFloor());
        // Monte-Carlo variance falls like 1/N: 100× the episodes, far less than a tenth of the variance left.
        assertThat(large.accuracy().normalizedVariance())
                .isLessThan(0.1 * report.row(Kind.BCHG, 10).accuracy().normalizedVariance());
    }

    @Test
    void hpgdBiasAndVarianceAreConsistent() {
        int repeats = 8;
        EstimatorDiagnostics.Report report = EstimatorDiagnostics.run(SMALL,
                settings(List.of(Kind.HPGD_MC), List.of(20, 200), repeats, 2), ProgressReporter.silent());
        double norm2 = report.gradientNorm() * report.gradientNorm();
        for (EstimatorDiagnostics.Row row : report.rows()) {
            Accuracy a = row.accuracy();
            assertThat(a.relativeMse()).isCloseTo(a.bias() * a.bias()
                    + (repeats - 1.0) / repeats * a.normalizedVariance(), within(1e-9 * a.relativeMse()));
            assertThat(a.totalVariance()).isCloseTo(a.normalizedVariance() * norm2, within(1e-12 * a.totalVariance()));
            assertThat(a.biasFloor()).isCloseTo(Math.sqrt(a.normalizedVariance() / repeats), within(1e-12));
            // Mean relative error² ≤ mean of relative error² (Jensen).
            assertThat(Math.pow(a.relativeError().mean(), 2)).isLessThanOrEqualTo(a.relativeMse() * (1 + 1e-12));
            assertThat(a.totalVariance()).isPositive();
        }
        assertThat(report.row(Kind.HPGD_MC, 200).accuracy().relativeMse())
                .isLessThan(report.row(Kind.HPGD_MC, 20).accuracy().relativeMse());
    }

    @Test
    void sameSeedSameNumbersWhateverElseIsListed() {
        EstimatorDiagnostics.Report a = EstimatorDiagnostics.run(SMALL,
                settings(List.of(Kind.BCHG, Kind.ZERO_ORDER), List.of(30), 4, 5), ProgressReporter.silent());
        EstimatorDiagnostics.Report b = EstimatorDiagnostics.run(SMALL,
                settings(List.of(Kind.BCHG, Kind.ZERO_ORDER), List.of(30), 4, 5), ProgressReporter.silent());
        EstimatorDiagnostics.Report c = EstimatorDiagnostics.run(SMALL,
                settings(List.of(Kind.NAIVE, Kind.ZERO_ORDER, Kind.BCHG), List.of(30, 5), 4, 5),
                ProgressReporter.silent());
        EstimatorDiagnostics.Report other = EstimatorDiagnostics.run(SMALL,
                settings(List.of(Kind.BCHG, Kind.ZERO_ORDER), List.of(30), 4, 6), ProgressReporter.silent());
        for (Kind kind : List.of(Kind.BCHG, Kind.ZERO_ORDER)) {
            EstimatorDiagnostics.Row row = a.row(kind, 30);
            assertThat(b.row(kind, 30).accuracy()).isEqualTo(row.accuracy());
            assertThat(b.row(kind, 30).samples()).isEqualTo(row.samples());
            assertThat(c.row(kind, 30).accuracy()).isEqualTo(row.accuracy());
            assertThat(other.row(kind, 30).accuracy()).isNotEqualTo(row.accuracy());
        }
        assertThat(a.row(Kind.ZERO_ORDER, 30).samples()).isEqualTo(60);
        assertThat(a.row(Kind.ZERO_ORDER, 30).samplingSeconds()).isZero();
        // Budgets come out ascending, estimators in the given order.
        assertThat(c.rows().stream().map(r -> r.estimator().id() + "@" + r.episodes()).toList()).containsExactly(
                "naive@5", "naive@30", "zero-order@5", "zero-order@30", "bchg@5", "bchg@30");
    }

    @Test
    void exactEstimatorIsExact() {
        EstimatorDiagnostics.Report report = EstimatorDiagnostics.run(SMALL,
                settings(List.of(Kind.EXACT), List.of(1), 2, 0), ProgressReporter.silent());
        Accuracy a = report.rows().get(0).accuracy();
        assertThat(a.cosine().mean()).isCloseTo(1.0, within(1e-12));
        assertThat(a.relativeError().mean()).isLessThan(1e-12);
        assertThat(report.rows().get(0).sampleUnit()).isEqualTo("none");
    }

    @Test
    void badSettingsNameTheSetting() {
        assertThatThrownBy(() -> settings(List.of(Kind.BCHG), List.of(0), 1, 0)).hasMessageStartingWith("episodes:");
        assertThatThrownBy(() -> settings(List.of(Kind.BCHG), List.of(), 1, 0)).hasMessageStartingWith("episodes:");
        assertThatThrownBy(() -> settings(List.of(Kind.BCHG), List.of(5), 0, 0)).hasMessageStartingWith("repeats:");
        assertThatThrownBy(() -> settings(List.of(), List.of(5), 1, 0)).hasMessageStartingWith("estimators:");
        assertThatThrownBy(() -> settings(List.of(Kind.BCHG, Kind.BCHG), List.of(5), 1, 0))
                .hasMessageStartingWith("estimators:");
        assertThatThrownBy(() -> settings(List.of(Kind.HPGD_ORACLE), List.of(5), 1, 0))
                .hasMessageContaining("hpgd-oracle");
    }
}
