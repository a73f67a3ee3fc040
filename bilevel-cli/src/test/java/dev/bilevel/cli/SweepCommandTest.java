package dev.bilevel.cli;

import static dev.bilevel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bilevel.experiments.sweep.Shard;
import dev.bilevel.experiments.sweep.SweepLock;
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
    void anotherSpecIsRefusedAndAnExtensionKeepsTheOldTrials() throws IOException {
        Path out = dir.resolve("out");
        String base = "problem: four-rooms\nmethod: bchg\niterations: 5\n";
        Path spec = spec(base + "seeds: 1\n");
        assertThat(run("sweep", spec.toString(), "--out", out.toString()).status()).isZero();
        String yaml = Files.readString(out.resolve("sweep.yaml"));
        String index = Files.readString(out.resolve("trials.csv"));
        Path marker = out.resolve("trials").resolve(index.lines().toList().get(1).split(",")[0].substring(0, 16))
                .resolve("trial.json");
        String kept = Files.readString(marker);

        Path other = Files.writeString(dir.resolve("other.yaml"), "problem: four-rooms\nmethod: bchg\niterations: 6\n"
                + "seeds: 1\n");
        CliRun refused = run("sweep", other.toString(), "--out", out.toString());
        assertThat(refused.status()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).startsWith("sweep: --out " + out + ": holds another sweep (sweep.yaml): 1 of its 1 "
                + "trials, trials/").contains("are not trials of sweep spec " + other).hasLineCount(1);
        assertThat(out.resolve("sweep.yaml")).hasContent(yaml);
        assertThat(out.resolve("trials.csv")).hasContent(index);
        assertThat(run("aggregate", out.toString(), "--no-report", "--window", "2").out())
                .contains("1 trials completed of 1");

        Path more = Files.writeString(dir.resolve("more.yaml"), base + "seeds: 2\n");
        CliRun extended = run("sweep", more.toString(), "--out", out.toString());
        assertThat(extended.status()).as(extended.err()).isZero();
        assertThat(extended.out()).contains("sweep: 2 trials: 1 run now", "1 already finished; 2 completed");
        assertThat(marker).hasContent(kept);
        assertThat(out.resolve("sweep.yaml")).hasContent(base + "seeds: 2\n");
        String oldTrial = index.lines().toList().get(1).split(",")[0];
        assertThat(Files.readAllLines(out.resolve("trials.csv"))).hasSize(3).anyMatch(l -> l.startsWith(oldTrial));
        assertThat(run("sweep", spec.toString(), "--out", out.toString()).status()).isEqualTo(2); // a part of it
    }

    @Test
    void aDriverWithAnotherShardCountIsRefusedInOneLine() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path spec = spec("problem: four-rooms\nmethod: [bchg, naive]\niterations: 5\nseeds: 2\n");
        try (SweepLock running = SweepLock.driver(out, "--out", new Shard(1, 2), waiting -> { })) {
            running.releaseIndex();
            CliRun r = run("sweep", spec.toString(), "--out", out.toString(), "--shard", "1/3");
            assertThat(r.status()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("sweep: --shard 1/3: " + out + " is being swept with another shard count; "
                    + "shards of one directory must all use the same n (wait for the other sweep, or use another "
                    + "--out)" + System.lineSeparator());
        }
        assertThat(out.resolve("sweep.yaml")).doesNotExist();
    }

    @Test
    void aggregateChecksEveryFlagBeforeWritingAndReplacesItsFoldersWhole() throws IOException {
        Path out = dir.resolve("out");
        Path spec = spec("problem: four-rooms\nmethod: bchg\niterations: 5\nseeds: 1\n");
        assertThat(run("sweep", spec.toString(), "--out", out.toString()).status()).isZero();
        String[][] bad = {{"--rolling", "0"}, {"--metric", "nosuch"}, {"--curves", "nosuch"}, {"--window", "0"},
            {"--by", "nosuch"}};
        for (String[] flag : bad) {
            CliRun r = run("aggregate", out.toString(), flag[0], flag[1]);
            assertThat(r.status()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith("aggregate: " + flag[0] + ": ").hasLineCount(1);
        }
        assertThat(out.resolve("aggregate")).doesNotExist();
        assertThat(out.resolve("report")).doesNotExist();

        assertThat(run("aggregate", out.toString(), "--window", "2").status()).isZero();
        Path stale = Files.writeString(out.resolve("aggregate/curves/point-999.csv"), "left by an older sweep\n");
        assertThat(run("aggregate", out.toString(), "--metric", "nosuch").status()).isEqualTo(2);
        assertThat(stale).exists(); // a refused run leaves the old folder as it was
        assertThat(run("aggregate", out.toString(), "--window", "2", "--rule", "final").status()).isZero();
        assertThat(stale).doesNotExist(); // the new folder replaced the old one whole
        assertThat(out.resolve("aggregate/selected.csv")).exists();
        assertThat(out.resolve("report/index.html")).exists();
        try (var list = Files.list(out)) {
            assertThat(list.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".aggregate.")
                    || n.startsWith(".report."));
        }
    }

    @Test
    void reproduceChecksItsFlagsBeforeAnyTrialRuns() {
        Path out = dir.resolve("quick");
        CliRun r = run("reproduce", "four-rooms", "--quick", "--out", out.toString(), "--rolling", "-1");
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("reproduce: --rolling: -1 must be ≥ 1" + System.lineSeparator());
        assertThat(out).doesNotExist();
    }

    @Test
    void aGridBeyondTheCapIsRefusedAtOnce() throws IOException {
        Path spec = spec("problem: four-rooms\nmethod: [bchg, naive]\nsamples: [100, 400]\nseeds: 999999999\n");
        CliRun r = run("sweep", spec.toString(), "--out", dir.resolve("big").toString());
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("sweep: the grid has 3,999,999,996 trials (1 config × 2 method × 2 samples × "
                + "999999999 seeds), more than the 100,000 a sweep may hold; split it into several sweeps (sweep spec "
                + spec + ")" + System.lineSeparator());
        assertThat(dir.resolve("big")).doesNotExist();
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
