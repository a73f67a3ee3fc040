package dev.bilevel.cli;

import static dev.bilevel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.experiments.run.RunCheckpoint;
import dev.bilevel.experiments.run.StopRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run stopped with a checkpoint and resumed from it ends with the very files of the run that never stopped, for
 * every kind of state a run holds: tabular critics and warm-started or carried followers, successor tables, replay
 * buffers and actor-critic networks with their Adam moments, Riccati warm starts, fitted critics, evaluation
 * streams, a follower that learns in the one environment stream, an observed-only leader's fit of the follower, a
 * wind leader that learns asynchronously with its follower.
 * A resume that ignored any of it would change the rows after the checkpoint. The whole catalogue of shipped
 * configs is checked the same way by {@code scripts/metrics-net.sh record-resumed}.
 */
class CheckpointResumeTest {

    @TempDir
    Path dir;

    @AfterEach
    void withdrawStop() {
        StopRequest.clear();
    }

    static Stream<List<String>> runs() {
        return Stream.of(
                List.of("four-rooms", "--method", "bchg", "iterations=30"),
                List.of("four-rooms", "--method", "hpgd-sarsa", "iterations=30"),
                List.of("four-rooms", "--method", "bchg-sr", "coordinates=corridors", "sr_from=8", "iterations=30"),
                List.of("four-rooms", "--method", "sobirl", "iterations=20"),
                List.of("four-rooms", "--method", "zero-order", "iterations=20"),
                List.of("four-rooms", "--method", "bchg", "follower.behaviour=carry-q", "follower.rounds=2",
                        "iterations=30"),
                List.of("four-rooms", "--method", "naive", "follower.behaviour=reset-q", "follower.rounds=2",
                        "iterations=30"),
                List.of("four-rooms", "--method", "bchg", "follower.behaviour=soft-q-learning",
                        "follower.warmup_steps=20", "diagnostics.accuracy=true", "iterations=30"),
                List.of("four-rooms", "--method", "bchg", "follower.access=observed", "leader.lambda_scale=2",
                        "leader.lambda=fitted", "iterations=30"),
                List.of("discrete-toy", "--method", "bchg", "iterations=12"),
                List.of("discrete-toy", "--method", "bchg", "follower.behaviour=soft-q-learning",
                        "follower.updates_per_step=4", "follower.warmup_episodes=2", "iterations=12"),
                List.of("four-rooms", "--method", "bchg", "follower.behaviour=soft-q-learning",
                        "follower.updates_per_step=3", "follower.replay_capacity=50", "iterations=30"),
                List.of("four-rooms", "--method", "bchg", "follower.behaviour=soft-actor-critic",
                        "follower.temperature=auto", "follower.updates_per_step=3", "follower.replay_capacity=50",
                        "iterations=30"),
                List.of("discrete-toy", "--method", "biac", "--off-policy", "follower.behaviour=carry-q",
                        "follower.stop_sweeps=3", "iterations=12"),
                List.of("guided", "task=pendulum", "method=random-wind", "iterations=6", "episodes_per_iteration=1",
                        "eval_episodes=1", "follower.width=8", "follower.batch_size=16", "follower.random_steps=50"),
                List.of("guided", "task=cartpole-v1", "method=bchg", "iterations=6", "episodes_per_iteration=2",
                        "eval_episodes=1", "follower.width=8", "follower.batch_size=16", "follower.random_steps=20",
                        "leader.warmup=30", "leader.interval=5", "leader.batch_size=16", "leader.hidden_width=8"),
                List.of("lqr-game", "--method", "bchg", "iterations=10"),
                List.of("lqr-game", "--method", "bchg", "leader.influence=value-lstd", "leader.exact_terms=direct",
                        "iterations=10"),
                List.of("lqr-game", "--method", "naive", "--off-policy", "iterations=10"),
                List.of("thermal", "--method", "bchg", "critic.kind=quadratic", "iterations=4"),
                List.of("thermal", "--method", "hpgd-td", "train_episodes=20", "critic.steps=15", "iterations=4"),
                List.of("--problem", "../docs/examples/chain-cmdp.json", "--method", "bchg", "iterations=20"),
                List.of("--problem", "../docs/examples/chain-cmdp.json", "--method", "bchg",
                        "follower.behaviour=soft-q-learning", "follower.warmup_steps=10", "follower.access=observed",
                        "episodes=3", "horizon=15", "iterations=20"),
                List.of("--problem", "../docs/examples/random-game-30.json", "--method", "bchg", "iterations=6"));
    }

    @ParameterizedTest
    @MethodSource("runs")
    void aRunResumedFromItsCheckpointEndsWithTheUninterruptedFiles(List<String> args) throws IOException {
        Path whole = dir.resolve("whole");
        CliRun uninterrupted = run(command(args, "--out", whole.toString()));
        assertThat(uninterrupted.status()).as(uninterrupted.err()).isZero();
        int iterations = Files.readAllLines(whole.resolve("metrics.csv")).size() - 1;

        Path cut = dir.resolve("cut");
        int stopAt = iterations / 2;
        CliRun stopped = run(command(args, "--out", cut.toString(), "--stop-after", Integer.toString(stopAt),
                "--checkpoint-every", "3600"));
        assertThat(stopped.status()).as(stopped.err()).isEqualTo(RunCommand.INTERRUPTED);
        assertThat(RunCheckpoint.read(cut).iterations()).isEqualTo(stopAt);
        assertThat(Files.readAllLines(cut.resolve("metrics.csv"))).hasSize(stopAt + 1);

        CliRun resumed = run("run", "--resume", cut.toString());
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(cut.resolve(RunCheckpoint.FILE)).as("a finished run keeps no checkpoint").doesNotExist();
        try (Stream<Path> files = Files.list(whole)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".csv") || f.toString().endsWith(".txt")
                    || f.toString().endsWith(".yaml")).toList()) {
                assertThat(Files.readAllBytes(cut.resolve(file.getFileName())))
                        .as(file.getFileName().toString()).isEqualTo(Files.readAllBytes(file));
            }
        }
    }

    @Test
    void aCheckpointAfterEveryIterationGivesTheSameRun() throws IOException {
        List<String> args = List.of("discrete-toy", "--method", "bchg", "iterations=8");
        Path plain = dir.resolve("plain");
        Path checkpointed = dir.resolve("checkpointed");
        assertThat(run(command(args, "--out", plain.toString())).status()).isZero();
        assertThat(run(command(args, "--out", checkpointed.toString(), "--checkpoint-every", "0")).status()).isZero();
        assertThat(checkpointed.resolve("metrics.csv")).hasSameBinaryContentAs(plain.resolve("metrics.csv"));
    }

    @Test
    void aDamagedCheckpointIsRefusedWithOneLine() throws IOException {
        Path cut = dir.resolve("cut");
        List<String> args = List.of("four-rooms", "--method", "naive", "iterations=10");
        assertThat(run(command(args, "--out", cut.toString(), "--stop-after", "4")).status())
                .isEqualTo(RunCommand.INTERRUPTED);
        byte[] bytes = Files.readAllBytes(cut.resolve(RunCheckpoint.FILE));
        bytes[bytes.length / 2] ^= 1;
        Files.write(cut.resolve(RunCheckpoint.FILE), bytes);

        CliRun resumed = run("run", "--resume", cut.toString());
        assertThat(resumed.status()).isEqualTo(2);
        assertThat(resumed.err().strip().lines()).hasSize(1);
        assertThat(resumed.err()).contains("checkpoint.bin is damaged", "delete checkpoint.bin");

        Files.delete(cut.resolve(RunCheckpoint.FILE));
        assertThat(run("run", "--resume", cut.toString()).status()).as("without it, the rows are reproduced")
                .isZero();
    }

    @Test
    void stopAfterAndCheckpointEveryAreChecked() {
        CliRun r = run("run", "four-rooms", "--stop-after", "0", "--out", dir.resolve("x").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--stop-after");
        r = run("run", "four-rooms", "--checkpoint-every", "-1", "--out", dir.resolve("x").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--checkpoint-every");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    private static String[] command(List<String> args, String... more) {
        return Stream.concat(Stream.concat(Stream.of("run", "--seed", "3"), args.stream()), Stream.of(more))
                .toArray(String[]::new);
    }
}
