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

/** {@code bilevel run thermal} and {@code bilevel run thermal-random-search} through the command line. */
class ThermalCliTest {

    @TempDir
    Path dir;

    private static final String[] TINY = {"train_episodes=3", "eval_episodes=2", "critic.initial_steps=3",
        "critic.steps=2", "critic.hidden_width=8"};

    private CliRun thermal(Path out, String... extra) {
        String[] args = new String[4 + TINY.length + extra.length + 2];
        int k = 0;
        args[k++] = "run";
        args[k++] = "--config";
        args[k++] = "../configs/thermal/bchg.yaml";
        args[k++] = "iterations=3";
        for (String s : TINY) {
            args[k++] = s;
        }
        for (String s : extra) {
            args[k++] = s;
        }
        args[k++] = "--out";
        args[k++] = out.toString();
        return run(args);
    }

    @Test
    void shippedConfigRunsAndOptionsOverrideIt() throws IOException {
        Path out = dir.resolve("bchg");
        CliRun r = thermal(out, "--method", "hpgd-td", "--learning-rate", "0.01", "--seed", "3");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("thermal hpgd-td  lr = 0.01  protocol = default  seed = 3", "return_UL");
        assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(4);
        assertThat(Files.readString(out.resolve("config.yaml"))).contains("method: hpgd-td", "warm_start: \"true\"");
        Path again = dir.resolve("again");
        assertThat(thermal(again, "--method", "hpgd-td", "--learning-rate", "0.01", "--seed", "3").status()).isZero();
        assertThat(Files.readAllBytes(again.resolve("metrics.csv"))).isEqualTo(Files.readAllBytes(out.resolve("metrics.csv")));
    }

    @Test
    void randomSearchRunsFromTheCommandLine() throws IOException {
        Path out = dir.resolve("search");
        CliRun r = run("run", "thermal-random-search", "draws=12", "bins=4", "eval_episodes=2", "--out",
                out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(out.resolve("histogram.png")).exists();
        assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(13);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--method=biac", "--learning-rate=-0.1", "protocol=fast", "critic.value_samples=3",
        "critic.batch_size=-1", "--variant=R1", "score_clip=-1", "iterations=x", "follower.tolerance=0"})
    void badThermalInputIsOneLineStatusTwoAndWritesNothing(String bad) {
        Path out = dir.resolve("never");
        CliRun r = run("run", "thermal", bad, "--iterations", "2", "--out", out.toString());
        assertThat(r.status()).as(bad + ": " + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(Files.exists(out)).isFalse();
    }
}
