package dev.bilevel.cli;

import static dev.bilevel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SweepCommandTest {

    @TempDir
    Path dir;

    private Path spec(String yaml) throws IOException {
        return Files.writeString(dir.resolve("spec.yaml"), yaml);
    }

    @Test
    void sweepResumeListAggregateAndReport() throws IOException {
        Path spec = spec("problem: four-rooms\nmethod: [bchg, naive]\niterations: 20\nseeds: 2\n");
        Path out = dir.resolve("out");
        CliRun first = run("sweep", spec.toString(), "--out", out.toString(), "--threads", "2");
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("sweep: 4 trials: 4 run now", "0 already finished; 4 completed, 0 failed");
        CliRun again = run("sweep", spec.toString(), "--out", out.toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).contains("0 run now", "4 already finished; 4 completed");
        CliRun list = run("sweep", spec.toString(), "--out", out.toString(), "--list", "--shard", "2/2");
        assertThat(list.status()).isZero();
        assertThat(list.out().lines()).hasSize(2).allSatisfy(l -> assertThat(l).contains("completed", "seed=1"));

        CliRun aggregate = run("aggregate", out.toString(), "--window", "5", "--rolling", "1");
        assertThat(aggregate.status()).as(aggregate.err()).isZero();
        assertThat(aggregate.out()).contains("| λ | samples | BC-HG (ours) | BC-HG (paper) |",
                "4 trials completed of 4, 0 failed", "wrote " + out.resolve("report/index.html"));
        assertThat(Files.readString(out.resolve("report/index.html"))).contains("<h1>FourRooms incentive design</h1>");
        assertThat(out.resolve("aggregate/selected.csv")).exists();
        CliRun tablesOnly = run("aggregate", out.toString(), "--no-report", "--rule", "final", "--curves", "all");
        assertThat(tablesOnly.status()).as(tablesOnly.err()).isZero();
        assertThat(tablesOnly.out()).contains("final value").doesNotContain("index.html");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "problem: four-rooms\\nlernin_rate: [0.1]|sweep: unknown config key 'lernin_rate' in sweep spec",
        "problem: four-rooms\\nmethod: []|sweep: method: empty grid axis, give at least one value (sweep spec",
        "problem: four-rooms\\nseeds: [1, x]|sweep: seeds: expected whole numbers, got \"x\" (sweep spec",
        "problem: four-rooms\\nsamples: [1.5]|sweep: samples: expected an integer, got 1.5 (sweep spec",
    })
    void badSpecsAreOneLineAndStatusTwo(String yaml, String message) throws IOException {
        Path spec = spec(yaml.replace("\\n", "\n"));
        Path out = dir.resolve("never");
        CliRun r = run("sweep", spec.toString(), "--out", out.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith(message);
        assertThat(out).doesNotExist();
    }

    @Test
    void badOptionsAndDirectoriesAreOneLineAndStatusTwo() throws IOException {
        Path spec = spec("problem: four-rooms\niterations: 5\n");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        String[][] cases = {
            {"sweep", spec.toString(), "--out", file.toString()},
            {"sweep", spec.toString(), "--out", file.resolve("sub").toString()},
            {"sweep", dir.resolve("missing.yaml").toString(), "--out", dir.resolve("o").toString()},
            {"sweep", spec.toString(), "--out", dir.resolve("o").toString(), "--shard", "0/2"},
            {"sweep", spec.toString(), "--out", dir.resolve("o").toString(), "--executor", "ray"},
            {"sweep", spec.toString(), "--out", dir.resolve("o").toString(), "--join", "localhost:5701"},
            {"sweep", spec.toString(), "--out", dir.resolve("o").toString(), "--executor", "hazelcast"},
            {"sweep", spec.toString(), "--out", dir.resolve("o").toString(), "--threads", "0"},
            {"sweep", spec.toString(), "--out", dir.resolve("o").toString(), "--executor", "hazelcast",
                "--join", "127.0.0.1:99999"},
            {"sweep", spec.toString(), "--out", dir.resolve("o").toString(), "--executor", "hazelcast",
                "--join", "127.0.0.1:abc"},
            {"sweep", spec.toString(), "--out", dir.resolve("o").toString(), "--executor", "hazelcast",
                "--join", "127.0.0.1:5701", "--bind", "0.0.0.0"},
            {"sweep", spec.toString(), "--out", dir.resolve("o").toString(), "--executor", "hazelcast",
                "--join", "127.0.0.1:5701", "--secret-file", dir.resolve("no-secret").toString()},
            {"sweep", spec.toString(), "--out", dir.resolve("o").toString(), "--secret-file", file.toString()},
            {"worker", "--join", "127.0.0.1:99999"},
            {"worker", "--bind", "no-such-host.invalid"},
            {"worker", "--secret-file", dir.resolve("no-secret").toString()},
            {"sweep", spec.toString()},
            {"aggregate", dir.resolve("nothing").toString()},
            {"aggregate", dir.toString()},
            {"aggregate", dir.toString(), "--rule", "best"},
            {"reproduce", "no-such-experiment", "--quick"},
            {"reproduce", "four-rooms", "--quick", "--executor", "local", "--shard", "3/2"},
        };
        for (String[] args : cases) {
            CliRun r = run(args);
            String what = String.join(" ", args) + " -> " + r.err();
            assertThat(r.status()).as(what).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(what).isEqualTo(1);
        }
        assertThat(run("sweep", spec.toString(), "--out", file.toString()).err())
                .isEqualTo("sweep: --out " + file + ": not a directory" + System.lineSeparator());
        assertThat(run("sweep", spec.toString(), "--out", dir.resolve("o").toString(), "--executor", "hazelcast",
                "--join", "127.0.0.1:99999").err())
                .isEqualTo("sweep: --join: port 99999 in '127.0.0.1:99999' is not in 1..65535" + System.lineSeparator());
        assertThat(run("sweep", spec.toString(), "--out", dir.resolve("o").toString(), "--executor", "hazelcast",
                "--join", "127.0.0.1:abc").err())
                .isEqualTo("sweep: --join: '127.0.0.1:abc' has no valid port, expected host:port"
                        + System.lineSeparator());
        assertThat(run("reproduce", "no-such-experiment").err()).startsWith("reproduce: PROBLEM: no experiment to "
                + "reproduce for 'no-such-experiment' in this build, expected one of four-rooms");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void aWorkerReachableFromTheNetworkWithoutTheSecretRefusesToStart() throws IOException {
        assumeTrue(System.getenv("BILEVEL_CLUSTER_SECRET") == null, "a cluster secret is set in the environment");
        Optional<InetAddress> address = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
        assumeTrue(address.isPresent(), "this machine has no address but loopback");
        String host = address.get().getHostAddress();
        CliRun r = run("worker", "--bind", host, "--port", "0");
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("worker: --secret-file: a member bound to " + host + " is reachable from the "
                + "network and needs the cluster secret (--secret-file FILE or BILEVEL_CLUSTER_SECRET)"
                + System.lineSeparator());
    }

    @Test
    void helpListsTheNewCommands() {
        CliRun r = run("--help");
        assertThat(r.out()).contains("sweep", "aggregate", "reproduce");
        assertThat(run("sweep", "--help").out()).contains("--shard", "--executor", "--join", "--bind", "--secret-file",
                "--retry-failed");
        assertThat(run("worker", "--help").out()).contains("--bind", "--secret-file", "BILEVEL_CLUSTER_SECRET");
        assertThat(run("reproduce", "--help").out()).contains("--quick");
    }
}
