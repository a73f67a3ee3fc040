package dev.bilevel.experiments.discretetoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.experiments.config.ConfigException;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscreteToyJobTest {

    private static final DiscreteToyJob JOB = new DiscreteToyJob();

    private static ResolvedConfig config(String... overrides) {
        return JOB.complete(DiscreteToyJob.SCHEMA.resolve(null, List.of(overrides)));
    }

    @Test
    void referenceStepCountsAndReplayFollowMethodVariantAndFlavour() {
        ResolvedConfig bchg = config();
        assertThat(bchg.optionalInteger("leader.actor_steps").getAsInt()).isEqualTo(10);
        assertThat(bchg.optionalInteger("leader.critic_steps").getAsInt()).isEqualTo(1);
        assertThat(bchg.optionalInteger("replay.capacity").getAsInt()).isEqualTo(450);
        assertThat(bchg.optionalString("evaluation.objective")).contains("mc-discounted");
        ResolvedConfig naiveOff = config("variant=R2", "method=naive", "off_policy=true");
        assertThat(naiveOff.optionalInteger("leader.critic_steps").getAsInt()).isEqualTo(10);
        assertThat(naiveOff.optionalInteger("replay.capacity").getAsInt()).isEqualTo(1_000_000);
        assertThat(naiveOff.optionalString("evaluation.objective")).contains("mc-undiscounted");
        assertThat(config("method=biac", "leader.actor_steps=7").optionalInteger("leader.actor_steps").getAsInt())
                .isEqualTo(7);
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> config("method=ppo")).isInstanceOf(ConfigException.class).hasMessageContaining("method");
        assertThatThrownBy(() -> config("variant=R3")).isInstanceOf(ConfigException.class).hasMessageContaining("variant");
        assertThatThrownBy(() -> config("evaluation.objective=best")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("evaluation.objective:");
        assertThatThrownBy(() -> config("leader.policy_lr=-1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("leader.policy_lr");
    }

    @Test
    void bchgLearnsTheInteriorOptimumWhereNaivePgdDoesNot() {
        // R1: the exact optimum is 27.255 at π(0|A) = 0.84; the direct term alone pushes π(0|A) down.
        Map<String, Object> bchg = JOB.run(config("iterations=250"), null, ProgressReporter.silent());
        Map<String, Object> naive = JOB.run(config("iterations=250", "method=naive"), null, ProgressReporter.silent());
        assertThat((Double) bchg.get("exact_leader_return_last_window")).isGreaterThan(26.0);
        assertThat((Double) naive.get("exact_leader_return_last_window")).isLessThan(20.0);
        assertThat((Double) bchg.get("final_leader_p0_at_A")).isBetween(0.75, 0.95);
    }

    @Test
    void sameSeedWritesIdenticalFiles(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"a", "b"}) {
            JOB.run(config("iterations=40", "seed=5", "method=biac", "off_policy=true"),
                    RunDirectory.prepare(dir.resolve(name)), ProgressReporter.silent());
        }
        for (String file : new String[] {"metrics.csv", "summary.json", "config.yaml", "final_leader_policy.txt"}) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(file)))
                    .as(file).isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(file)));
        }
        assertThat(Files.readAllLines(dir.resolve("a").resolve("metrics.csv"))).hasSize(41);
    }

    @Test
    void suboptimalFollowersLogTheirGapAndTheOptimalFollowerValue() {
        Map<String, Object> summary = JOB.run(config("iterations=20", "follower.behaviour=reset-q",
                "follower.stop_sweeps=2"), null, ProgressReporter.silent());
        assertThat((Double) summary.get("leader_objective_optimal_follower_last_window")).isFinite();
    }
}
