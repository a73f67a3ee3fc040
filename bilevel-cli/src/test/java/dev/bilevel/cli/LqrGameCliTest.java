package dev.bilevel.cli;

import static dev.bilevel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code bilevel run lqr-game}: the shipped configs, and one-line errors with status 2. */
class LqrGameCliTest {

    @TempDir
    Path dir;

    @Test
    void runFromShippedConfigWritesTheRunDirectory() throws IOException {
        Path out = dir.resolve("lqr");
        CliRun r = run("run", "--config", "../configs/lqr-game/naive-offpolicy.yaml", "iterations=12", "--seed", "4",
                "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("lqr-game naive (off-policy)", "mc-undiscounted");
        assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(13);
        assertThat(Files.readString(out.resolve("config.yaml"))).contains("capacity: 1000000", "actor_steps: 2");
        assertThat(Files.readAllLines(out.resolve("final_leader_gain.txt"))).hasSize(2);
        // The same run from the command line names the reference's estimators (the defaults are the model critic's).
        CliRun again = run("run", "lqr-game", "--method", "naive", "--off-policy", "--iterations", "12", "--seed", "4",
                "leader.direct=score", "leader.benefit=critic", "leader.influence=score", "leader.policy_lr=0.1",
                "--out", dir.resolve("lqr2").toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("lqr2").resolve("metrics.csv")))
                .isEqualTo(Files.readAllBytes(out.resolve("metrics.csv")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--method=biac", "--variant=R1", "--samples=10", "leader.policy_lr=0",
        "evaluation.objective=best", "replay.capacity=x", "follower.discount=1.5", "leader.noise_std=-1",
        "leader.frobnicate=3", "leader.discount=0"})
    void badInputIsOneLineAndStatusTwo(String bad) {
        Path out = dir.resolve("never");
        CliRun r = run("run", "lqr-game", bad, "--iterations", "3", "--out", out.toString());
        assertThat(r.status()).as(bad + ": " + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(Files.exists(out)).isFalse();
    }
}
