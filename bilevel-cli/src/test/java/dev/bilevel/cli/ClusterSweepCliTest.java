package dev.bilevel.cli;

import static dev.bilevel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.hazelcast.ClusterAccess;
import dev.bilevel.hazelcast.HazelcastWorker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bilevel sweep --executor hazelcast} with a cluster secret, against one in-process worker on
 * loopback holding the same secret: a problem-file sweep gives the local sweep's files, and a spec whose
 * problem file lies outside the spec's directory has its trials refused by the worker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterSweepCliTest {

    private static final Path CHAIN = Path.of("../docs/examples/chain-cmdp.json");

    @TempDir
    Path dir;

    @Test
    void aSignedClusterSweepWritesTheLocalFilesAndRefusesInputsOutsideTheSpecsDirectory() throws IOException {
        Path secret = Files.writeString(dir.resolve("cluster.secret"), "a secret for this test only\n");
        Path inputs = Files.createDirectories(dir.resolve("inputs"));
        Files.copy(CHAIN, inputs.resolve("chain-cmdp.json"));
        String grid = "problem: problem-file\nmethod: [bchg, naive]\niterations: 20\nseeds: 2\n";
        Path spec = Files.writeString(inputs.resolve("spec.yaml"), grid + "file: chain-cmdp.json\n");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path outsideSpec = Files.writeString(elsewhere.resolve("spec.yaml"), grid + "file: ../inputs/chain-cmdp.json\n");

        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        CliRun local = run("sweep", spec.toString(), "--out", dir.resolve("local").toString(), "--threads", "2");
        assertThat(local.status()).as(local.err()).isZero();
        try (HazelcastWorker worker = HazelcastWorker.start(List.of(), port, 2, ClusterAccess.of(null, secret, Map.of()),
                System.err)) {
            String[] cluster = {"--executor", "hazelcast", "--join", "127.0.0.1:" + port, "--secret-file",
                secret.toString()};
            CliRun signed = run(concat(new String[] {"sweep", spec.toString(), "--out",
                dir.resolve("cluster").toString()}, cluster));
            assertThat(signed.status()).as(signed.err()).isZero();
            assertThat(signed.out()).contains("4 completed, 0 failed");

            CliRun refused = run(concat(new String[] {"sweep", outsideSpec.toString(), "--out",
                dir.resolve("refused").toString()}, cluster));
            assertThat(refused.status()).as(refused.err()).isEqualTo(Main.RUN_FAILED);
            assertThat(refused.out()).contains("0 completed, 4 failed", "refused by worker 127.0.0.1:" + port
                    + ": file: " + inputs.resolve("chain-cmdp.json") + " is outside the sweep's input directory "
                    + elsewhere);
        }
        Map<String, byte[]> localFiles = trialFiles(dir.resolve("local"));
        Map<String, byte[]> clusterFiles = trialFiles(dir.resolve("cluster"));
        assertThat(clusterFiles.keySet()).containsExactlyElementsOf(localFiles.keySet()).hasSizeGreaterThan(8);
        localFiles.forEach((name, bytes) -> assertThat(clusterFiles.get(name)).as(name).isEqualTo(bytes));
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** Every trial file but the completion markers (they hold wall times), by path under {@code trials/}. */
    private static Map<String, byte[]> trialFiles(Path out) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        Path trials = out.resolve("trials");
        try (Stream<Path> walk = Files.walk(trials)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                if (!file.getFileName().toString().equals("trial.json")) {
                    files.put(trials.relativize(file).toString(), Files.readAllBytes(file));
                }
            }
        }
        return files;
    }
}
