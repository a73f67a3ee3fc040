package dev.bilevel.cli;

import static dev.bilevel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.experiments.run.MetricsTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accuracy columns ({@code diagnostics.accuracy}): the estimate's cosine to the exact hypergradient at the
 * converged follower, and, for a suboptimal follower, to the same formula at its current policy. The exact
 * estimator is the yardstick: it computes that formula at the response it is given, so its cosine to one of the
 * two is 1 to rounding, and only the converged one measures how far a suboptimal follower leads it astray.
 */
class AccuracyDiagnosticTest {

    @TempDir
    Path dir;

    @Test
    void theExactEstimatorAgainstAConvergedFollowerHasCosineOne() {
        MetricsTable table = runFourRooms("exact-optimal", true, "--method", "exact");
        assertThat(Arrays.stream(table.column("cosine_to_exact")).boxed())
                .allSatisfy(c -> assertThat(c).isCloseTo(1.0, within(1e-9)));
        assertThat(table.column("cosine_to_exact_current")).isNull();
        assertThat(dir.resolve("exact-optimal").resolve("accuracy.png")).isNotEmptyFile();
    }

    @Test
    void theExactEstimatorAgainstACarriedTableFollowsTheCurrentPolicyNotTheConvergedOne() {
        MetricsTable table = runFourRooms("exact-carry", true, "--method", "exact", "follower.behaviour=carry-q",
                "follower.rounds=1");
        assertThat(Arrays.stream(table.column("cosine_to_exact_current")).boxed())
                .allSatisfy(c -> assertThat(c).isCloseTo(1.0, within(1e-9)));
        double[] converged = table.column("cosine_to_exact");
        assertThat(Arrays.stream(converged).min().getAsDouble()).as("one round from a random table is far off")
                .isLessThan(0.9);
    }

    @Test
    void theColumnsAreAddedAndNothingElseMoves() {
        String[] settings = {"--method", "bchg", "follower.behaviour=carry-q", "follower.rounds=1"};
        MetricsTable plain = runFourRooms("plain", false, settings);
        MetricsTable measured = runFourRooms("measured", true, settings);
        for (String column : plain.columns()) {
            assertThat(measured.column(column)).as(column).containsExactly(plain.column(column));
        }
        assertThat(measured.columns()).hasSize(plain.columns().size() + 2);
    }

    private MetricsTable runFourRooms(String name, boolean accuracy, String... settings) {
        List<String> args = new ArrayList<>(List.of("run", "four-rooms", "iterations=40", "--seed", "4", "--out",
                dir.resolve(name).toString(), "diagnostics.accuracy=" + accuracy));
        args.addAll(List.of(settings));
        CliRun r = run(args.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        return MetricsTable.read(dir.resolve(name).resolve("metrics.csv"));
    }
}
