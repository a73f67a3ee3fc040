package dev.bilevel.experiments.fourrooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.problems.fourrooms.FourRooms;
import dev.bilevel.problems.fourrooms.FourRoomsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FourRoomsJobTest {

    private static ResolvedConfig config(String... overrides) {
        return new FourRoomsJob().complete(FourRoomsJob.SCHEMA.resolve(null, List.of(overrides)));
    }

    @Test
    void completesEnvironmentsAndTunedStepsFromTheSetting() {
        ResolvedConfig c = config("samples=1000", "reg_lambda=0.005", "method=hpgd-mc");
        assertThat(c.optionalInteger("num_envs").getAsInt()).isEqualTo(5);
        FourRoomsDefaults.Tuned tuned = FourRoomsDefaults.lookup("hpgd-mc", 0.005, 1000);
        assertThat(c.optionalReal("learning_rate").getAsDouble()).isEqualTo(tuned.learningRate());
        assertThat(config("samples=400").optionalInteger("num_envs").getAsInt()).isEqualTo(2);
        // Explicit values win over the tuned defaults.
        assertThat(config("learning_rate=0.37").optionalReal("learning_rate").getAsDouble()).isEqualTo(0.37);
    }

    @Test
    void everyShippedMethodAndSettingHasATunedPoint() {
        for (String method : List.of("bchg", "bchg-sr", "hpgd-mc", "hpgd-sarsa", "hpgd-oracle", "naive", "sobirl")) {
            for (double lambda : new double[] {0.001, 0.003, 0.005}) {
                for (int samples : new int[] {100, 200, 400, 1000}) {
                    FourRoomsDefaults.Tuned t = FourRoomsDefaults.lookup(method, lambda, samples);
                    assertThat(t.samples()).as(method + " " + lambda + " " + samples).isEqualTo(samples);
                }
            }
        }
    }

    @Test
    void rejectsSamplesThatDoNotSplitOverStreams() {
        assertThatThrownBy(() -> config("samples=301", "num_envs=2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("samples: 301 is not divisible by num_envs 2");
    }

    @Test
    void zeroIterationsGiveNoWindowMean() {
        Map<String, Object> summary = new FourRoomsJob().run(config("iterations=0"), null, ProgressReporter.silent());
        assertThat((Double) summary.get("leader_objective_last_window")).isNaN();
    }

    @Test
    void exactMethodImprovesTheObjective() {
        Map<String, Object> summary = new FourRoomsJob().run(config("method=exact", "iterations=300", "reg_lambda=0.005", "learning_rate=20"),
                null, ProgressReporter.silent());
        assertThat((Double) summary.get("leader_objective_final"))
                .isGreaterThan((Double) summary.get("leader_objective_initial") + 0.5);
    }

    @Test
    void successorRefinementTakesBchgsPointAndRefinesTheSecondHalf() {
        ResolvedConfig c = config("method=bchg-sr", "reg_lambda=0.001", "samples=100", "iterations=600");
        FourRoomsDefaults.Tuned bchg = FourRoomsDefaults.lookup("bchg", 0.001, 100);
        assertThat(c.optionalReal("learning_rate").getAsDouble()).isEqualTo(bchg.learningRate());
        assertThat(c.optionalReal("sarsa_alpha").getAsDouble()).isEqualTo(bchg.sarsaAlpha());
        assertThat(c.optionalInteger("sr_from").getAsInt()).isEqualTo(300);
    }

    @Test
    void successorRefinementExploresAsBchgThenDeparts() {
        Map<String, Object> plain = run("method=bchg", "iterations=60");
        Map<String, Object> neverRefined = run("method=bchg-sr", "iterations=60", "sr_from=60");
        Map<String, Object> refined = run("method=bchg-sr", "iterations=60", "sr_from=30");
        assertThat(neverRefined.get("leader_objective_final")).isEqualTo(plain.get("leader_objective_final"));
        assertThat(refined.get("leader_objective_final")).isNotEqualTo(plain.get("leader_objective_final"));
        assertThat(run("method=bchg-sr", "iterations=60", "sr_from=30")).isEqualTo(refined);
    }

    @Test
    void startsFromAnInitialDecisionFile(@TempDir Path dir) throws IOException {
        double[] w = new double[FourRooms.STATES + 1];
        w[FourRooms.STATES] = 3.0; // most of the budget unused
        Path file = dir.resolve("w.txt");
        Files.writeString(file, Arrays.stream(w).mapToObj(Double::toString).collect(Collectors.joining("\n")));
        Map<String, Object> summary = run("initial_decision=" + file, "iterations=1");
        ConfigurableMdp model = new FourRooms(FourRoomsConfig.paper(0.003)).model();
        assertThat((Double) summary.get("leader_objective_initial"))
                .isCloseTo(ExactHypergradient.objective(model, w), within(1e-12)); // −0.613, not −0.74 at w ≈ 0
    }

    @Test
    void badInitialDecisionFilesNameTheKey(@TempDir Path dir) throws IOException {
        Path shortFile = dir.resolve("short.txt");
        Files.writeString(shortFile, "0.1\n0.2\n");
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "zero\n");
        assertThatThrownBy(() -> config("initial_decision=" + shortFile))
                .hasMessageStartingWith("initial_decision: ").hasMessageContaining("holds 2 weights, the decision has 105");
        assertThatThrownBy(() -> config("initial_decision=" + text)).hasMessageStartingWith("initial_decision: ");
        assertThatThrownBy(() -> config("initial_decision=" + dir.resolve("absent.txt")))
                .hasMessageStartingWith("initial_decision: cannot read");
    }

    @Test
    void exactCriticChangesBchgsEstimates() {
        assertThat(run("method=bchg", "iterations=30", "critic=exact").get("leader_objective_final"))
                .isNotEqualTo(run("method=bchg", "iterations=30").get("leader_objective_final"));
    }

    private static Map<String, Object> run(String... overrides) {
        return new FourRoomsJob().run(config(overrides), null, ProgressReporter.silent());
    }
}
