package dev.bilevel.cli;

import static dev.bilevel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.experiments.run.MetricsTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code follower.behaviour=soft-q-learning}: the follower learns in the one environment stream, one update per
 * step, the leader updating once per {@code samples} steps and seeing the follower's current policy.
 */
class LearningFollowerCliTest {

    @TempDir
    Path dir;

    @Test
    void theFollowerLearnsFromEveryStepOfTheOneStreamAndTheLeaderSeesWhatItPlays() throws IOException {
        Path out = dir.resolve("run");
        CliRun r = run("run", "four-rooms", "--method", "bchg", "--samples", "200", "--seed", "1",
                "num_envs=2", "follower.behaviour=soft-q-learning", "follower.warmup_steps=30", "iterations=25", "--out",
                out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        MetricsTable table = MetricsTable.read(out.resolve("metrics.csv"));
        double[] steps = table.column("follower_steps");
        // 2 streams × (30 warm-up steps before the leader first looks, then 100 per leader update)
        for (int t = 0; t < steps.length; t++) {
            assertThat(steps[t]).as("iteration " + t).isEqualTo(60 + 200.0 * t);
        }
        assertThat(Arrays.stream(table.column("kl_gap")).boxed()).allMatch(kl -> kl > 0.0);
        assertThat(table.column("leader_objective_optimal_follower")).isNotNull();
        assertThat(Files.readString(out.resolve("summary.json"))).contains("the policy the follower plays");
    }

    @Test
    void aProblemFileFollowerLearnsInItsStreamsAndTheLeaderMayOnlyObserveIt() throws IOException {
        for (String access : new String[] {"response", "observed"}) {
            Path out = dir.resolve(access);
            CliRun r = run("run", "--problem", "../docs/examples/chain-cmdp.json", "--method", "bchg",
                    "follower.behaviour=soft-q-learning", "follower.warmup_steps=7", "follower.access=" + access,
                    "episodes=3", "horizon=20", "iterations=12", "--out", out.toString());
            assertThat(r.status()).as(r.err()).isZero();
            MetricsTable table = MetricsTable.read(out.resolve("metrics.csv"));
            double[] steps = table.column("follower_steps");
            // 3 streams × (7 warm-up steps, then `horizon` = 20 per leader update)
            for (int t = 0; t < steps.length; t++) {
                assertThat(steps[t]).as("iteration " + t).isEqualTo(21 + 60.0 * t);
            }
            assertThat(table.column("leader_objective_optimal_follower")).hasSize(12);
            assertThat(Files.readString(out.resolve("summary.json"))).contains("the policy the follower plays");
        }
        assertThat(Files.readString(dir.resolve("observed").resolve("metrics.csv")))
                .isNotEqualTo(Files.readString(dir.resolve("response").resolve("metrics.csv")));
    }

    /**
     * The soft actor-critic follower takes the same place: it learns from every step of the stream, its automatic
     * temperature is what it announces, and a problem file takes it too.
     */
    @Test
    void aSoftActorCriticFollowerLearnsInTheStreamLikeTheSoftQLearner() throws IOException {
        Path out = dir.resolve("sac");
        CliRun r = run("run", "four-rooms", "--method", "bchg", "--samples", "200", "--seed", "1", "num_envs=2",
                "follower.behaviour=soft-actor-critic", "follower.temperature=auto", "follower.warmup_steps=30",
                "iterations=20", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        MetricsTable table = MetricsTable.read(out.resolve("metrics.csv"));
        double[] steps = table.column("follower_steps");
        for (int t = 0; t < steps.length; t++) {
            assertThat(steps[t]).as("iteration " + t).isEqualTo(60 + 200.0 * t);
        }
        assertThat(Arrays.stream(table.column("kl_gap")).boxed()).allMatch(kl -> kl > 0.0);

        Path file = dir.resolve("sac-file");
        CliRun f = run("run", "--problem", "../docs/examples/chain-cmdp.json", "--method", "bchg",
                "follower.behaviour=soft-actor-critic", "follower.access=observed", "episodes=3", "horizon=20",
                "iterations=8", "--out", file.toString());
        assertThat(f.status()).as(f.err()).isZero();
        assertThat(MetricsTable.read(file.resolve("metrics.csv")).column("follower_steps")[7]).isEqualTo(420.0);
    }

    @Test
    void aMarkovGameFileRefusesTheLearningFollowerAndTheObservedLeader() {
        for (String key : new String[] {"follower.behaviour=soft-q-learning", "follower.access=observed"}) {
            Path out = dir.resolve("never");
            CliRun r = run("run", "--problem", "../docs/examples/random-game-30.json", key, "--out", out.toString());
            assertThat(r.status()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).isEqualTo(1);
            assertThat(r.err()).contains(key.substring(0, key.indexOf('=')) + ": ", "is a markov-game");
            assertThat(out).doesNotExist();
        }
        CliRun unknown = run("run", "--problem", "../docs/examples/chain-cmdp.json", "follower.access=peek");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("follower.access");
    }

    @Test
    void aDiscreteToyFollowerLearnsInTheTrainingEpisodes() throws IOException {
        Path out = dir.resolve("toy");
        CliRun r = run("run", "discrete-toy", "--method", "bchg", "follower.behaviour=soft-q-learning",
                "follower.warmup_episodes=4", "follower.updates_per_step=2", "iterations=6", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        MetricsTable table = MetricsTable.read(out.resolve("metrics.csv"));
        double[] steps = table.column("follower_sweeps");
        // 4 warm-up episodes, then 3 training episodes of 150 steps per iteration
        for (int t = 0; t < steps.length; t++) {
            assertThat(steps[t]).as("iteration " + t).isEqualTo(150.0 * (4 + 3 * (t + 1)));
        }
        assertThat(Arrays.stream(table.column("kl_gap")).boxed()).allMatch(kl -> kl > 0.0);
        assertThat(table.column("leader_objective_optimal_follower")).hasSize(6);
    }

    @Test
    void badRatesAreOneLineAndStatusTwo() {
        for (String[] args : new String[][] {{"discrete-toy", "follower.updates_per_step=0"},
            {"four-rooms", "follower.updates_per_step=-1"}, {"four-rooms", "follower.replay_capacity=0"},
            {"discrete-toy", "follower.leader_estimate_step=0"}, {"four-rooms", "follower.access=peek"},
            {"four-rooms", "follower.actor_step=0", "soft-actor-critic"},
            {"four-rooms", "follower.target_update=2", "soft-actor-critic"},
            {"four-rooms", "follower.target_entropy=5", "soft-actor-critic", "follower.temperature=auto"},
            {"discrete-toy", "follower.updates_per_step=2", "soft-actor-critic"}}) {
            Path out = dir.resolve("never");
            String behaviour = args.length > 2 ? args[2] : "soft-q-learning";
            String extra = args.length > 3 ? args[3] : "iterations=1";
            CliRun r = run("run", args[0], "follower.behaviour=" + behaviour, args[1], extra, "--out",
                    out.toString());
            assertThat(r.status()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).isEqualTo(1);
            assertThat(r.err()).contains(args.length > 2 && args[0].equals("discrete-toy") ? "follower.behaviour"
                    : args[1].substring(0, args[1].indexOf('=')));
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void theSameSeedGivesTheSameRun() throws IOException {
        String[] args = {"run", "four-rooms", "--method", "naive", "--seed", "2", "follower.behaviour=soft-q-learning",
            "iterations=15", "--out", ""};
        args[args.length - 1] = dir.resolve("a").toString();
        assertThat(run(args).status()).isZero();
        args[args.length - 1] = dir.resolve("b").toString();
        assertThat(run(args).status()).isZero();
        assertThat(dir.resolve("b").resolve("metrics.csv")).hasSameBinaryContentAs(dir.resolve("a")
                .resolve("metrics.csv"));
    }
}
