package dev.bilevel.cli;

import static dev.bilevel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.experiments.run.MetricsTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bilevel run guided}: the guided tasks against a soft actor-critic follower, with a baseline wind. */
class GuidedCliTest {

    @TempDir
    Path dir;

    @Test
    void aRunWritesItsRowsAndTheSameSeedGivesTheSameRun() throws IOException {
        String[] args = {"run", "guided", "task=cartpole-v1", "method=random-wind", "iterations=3",
            "episodes_per_iteration=2", "eval_episodes=1", "follower.width=16", "follower.batch_size=32",
            "follower.random_steps=40", "--out", ""};
        args[args.length - 1] = dir.resolve("a").toString();
        CliRun first = run(args);
        assertThat(first.status()).as(first.err()).isZero();
        args[args.length - 1] = dir.resolve("b").toString();
        assertThat(run(args).status()).isZero();
        Path metrics = dir.resolve("a").resolve("metrics.csv");
        assertThat(dir.resolve("b").resolve("metrics.csv")).hasSameBinaryContentAs(metrics);
        MetricsTable table = MetricsTable.read(metrics);
        double[] steps = table.column("total_env_steps");
        double[] lengths = table.column("episode_length");
        assertThat(steps).hasSize(3);
        // the follower learns from every step of its 2 training episodes per iteration, and from nothing else
        double played = 0.0;
        for (int k = 0; k < 3; k++) {
            played += 2 * lengths[k];
            assertThat(steps[k]).isEqualTo(played);
            assertThat(table.column("follower_return")[k]).as("1 per step with the pole up").isEqualTo(lengths[k]);
        }
        assertThat(Files.readString(dir.resolve("a").resolve("summary.json"))).contains("soft actor-critic");
    }

    /**
     * A learning leader starts after its warm-up, then learns every {@code leader.interval} follower gradient steps,
     * and its wind policy's gain moves; the baselines' columns come first, unchanged.
     */
    @Test
    void aLearningLeaderUpdatesOnItsScheduleAndMovesItsWind() throws IOException {
        Path out = dir.resolve("leader");
        CliRun r = run("run", "guided", "task=cartpole-v1", "method=bchg", "iterations=4", "episodes_per_iteration=3",
                "eval_episodes=1", "follower.width=8", "follower.batch_size=16", "follower.random_steps=20",
                "leader.warmup=60", "leader.interval=10", "leader.batch_size=16", "leader.hidden_width=8",
                "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        MetricsTable table = MetricsTable.read(out.resolve("metrics.csv"));
        assertThat(table.columns()).startsWith("iteration", "leader_objective", "follower_return", "episode_length",
                "eval_leader_return", "eval_follower_return", "temperature", "total_env_steps", "gradient_steps",
                "leader_updates");
        double[] updates = table.column("leader_updates");
        double[] gradientSteps = table.column("gradient_steps");
        double[] steps = table.column("total_env_steps");
        double[] bias = table.column("wind_bias");
        for (int k = 0; k < updates.length; k++) {
            // no update before the warm-up; after it, one per 10 gradient steps, each step of the stream checked
            double most = steps[k] < 60 ? 0 : Math.floor(gradientSteps[k] / 10);
            assertThat(updates[k]).isBetween(0.0, most);
        }
        assertThat(updates[updates.length - 1]).isPositive();
        assertThat(bias[bias.length - 1]).isNotZero();
        assertThat(Files.readString(out.resolve("summary.json"))).contains("wind_gain_final");
    }

    /** A follower whose networks blow up stops the run with a message, and what was written stays. */
    @Test
    void aDivergingFollowerStopsTheRunAndKeepsItsFiles() {
        Path out = dir.resolve("diverged");
        CliRun r = run("run", "guided", "task=pendulum", "iterations=5", "episodes_per_iteration=1",
                "follower.width=8", "follower.batch_size=16", "follower.random_steps=20",
                "follower.critic_learning_rate=1e200", "follower.actor_learning_rate=1e200", "--out", out.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("diverged", "metrics so far are kept");
        assertThat(out.resolve("metrics.csv")).exists();
        assertThat(out.resolve("config.yaml")).exists();
    }

    @Test
    void badSettingsAreOneLineAndStatusTwo() {
        for (String bad : new String[] {"task=acrobot", "method=stackelberg", "follower.replay_capacity=10",
            "follower.width=0", "follower.discount=1", "leader.interval=0", "leader.warmup=-1",
            "leader.batch_size=30000", "leader.value_draws=300"}) {
            Path out = dir.resolve("never");
            CliRun r = run("run", "guided", "method=bchg", bad, "--out", out.toString());
            assertThat(r.status()).as(bad + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).isEqualTo(1);
            assertThat(r.err()).contains(bad.substring(0, bad.indexOf('=')));
            assertThat(out).doesNotExist();
        }
    }
}
