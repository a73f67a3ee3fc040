package dev.bilevel.experiments.fourrooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.run.ProgressReporter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
        for (String method : List.of("bchg", "hpgd-mc", "naive")) {
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

    private static Map<String, Object> run(String... overrides) {
        return new FourRoomsJob().run(config(overrides), null, ProgressReporter.silent());
    }
}
