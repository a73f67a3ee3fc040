package dev.bilevel.hazelcast;

import static dev.bilevel.hazelcast.ClusterTesting.awaitMembers;
import static dev.bilevel.hazelcast.ClusterTesting.freePort;
import static dev.bilevel.hazelcast.ClusterTesting.trial;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import dev.bilevel.experiments.sweep.TrialOutcome;
import dev.bilevel.experiments.sweep.TrialSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who gets a trial run on a worker, on loopback: one worker started as {@code bilevel worker} starts it by
 * default (no {@code --bind}, a secret file), shared by the cases, and a member of the cluster that does
 * not hold the worker's secret.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterSecurityTest {

    private static final String SECRET_TEXT = "the worker's cluster secret";
    private static final ClusterSecret SECRET = ClusterSecret.of(SECRET_TEXT, "test");
    private static final ClusterSecret WRONG = ClusterSecret.of("another cluster secret", "test");

    @TempDir
    static Path dir;

    private static ByteArrayOutputStream workerLog;
    private static HazelcastWorker worker;
    private static int port;
    private static HazelcastInstance stranger;
    private static Path inputs;

    @BeforeAll
    static void startWorkerAndStranger() throws Exception {
        Path secretFile = Files.writeString(dir.resolve("secret"), SECRET_TEXT + "\n");
        workerLog = new ByteArrayOutputStream();
        port = freePort();
        worker = HazelcastWorker.start(List.of(), port, 1, ClusterAccess.of(null, secretFile, Map.of()),
                new PrintStream(workerLog, true, StandardCharsets.UTF_8));
        // A member that knows the cluster's name and address, not its secret (as anyone on the machine).
        stranger = Hazelcast.newHazelcastInstance(ClusterConfigs.config(List.of("127.0.0.1:" + port), 0, true, 0,
                ClusterAccess.loopback(), System.err));
        awaitMembers(stranger, 2);
        inputs = Files.createDirectories(dir.resolve("inputs"));
    }

    @AfterAll
    static void stop() {
        stranger.shutdown();
        worker.close();
    }

    @Test
    void aWorkerStartedWithDefaultsListensOnLoopbackOnlyAndForMembersOnly() throws IOException {
        AdvancedNetworkConfig network = worker.instance().getConfig().getAdvancedNetworkConfig();
        assertThat(network.isEnabled()).isTrue();
        assertThat(network.getEndpointConfigs()).containsOnlyKeys(EndpointQualifier.MEMBER);
        ServerSocketEndpointConfig members = (ServerSocketEndpointConfig) network.getEndpointConfigs()
                .get(EndpointQualifier.MEMBER);
        assertThat(members.getInterfaces().isEnabled()).isTrue();
        assertThat(members.getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        assertThat(worker.address()).isEqualTo("127.0.0.1:" + port);

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        }
        List<InetAddress> others = nonLoopbackAddresses();
        System.err.println("non-loopback addresses of this machine tried on port " + port + ": " + others);
        for (InetAddress other : others) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(other, port), 2000))
                        .as("connecting to %s:%d", other.getHostAddress(), port)
                        .isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void aHazelcastClientCannotConnect() {
        ClientConfig client = new ClientConfig();
        client.setClusterName(ClusterConfigs.CLUSTER_NAME);
        client.setProperty("hazelcast.logging.type", "none");
        client.getNetworkConfig().addAddress("127.0.0.1:" + port);
        client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3000);
        assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(client).shutdown())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Unable to connect");
    }

    @Test
    void aMemberWithoutTheSecretOrWithAWrongOneGetsNoTaskRun() throws Exception {
        TrialSpec spec = trial(5, 0);
        byte[] payload = Payloads.task(spec, inputs);
        byte[] otherPayload = Payloads.task(trial(5, 1), inputs);
        int before = refusals();

        assertThat(send(new RunTrialTask(payload, null)).refusal()).startsWith("the task has no MAC");
        assertThat(send(RunTrialTask.sign(spec, inputs, WRONG)).refusal()).startsWith("the task's MAC is wrong");
        assertThat(send(new RunTrialTask(otherPayload, SECRET.mac(RunTrialTask.PURPOSE, payload))).refusal())
                .as("a signed task's MAC on another payload").startsWith("the task's MAC is wrong");
        assertThat(refusals() - before).isEqualTo(3);
        assertThat(workerLog.toString(StandardCharsets.UTF_8)).contains("worker: refused a task: the task has no MAC");

        // Nothing else deserializes on the worker: a callable of the stranger's own never runs (the worker drops
        // the operation it cannot read, so no answer comes either).
        Path marker = dir.resolve("marker");
        Future<String> read = stranger.getExecutorService(ClusterConfigs.EXECUTOR)
                .submitToMember(new ReadFirstLine(dir.resolve("secret").toString(), marker.toString()), workerMember());
        assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(marker).doesNotExist();

        // The secret-holding task runs: the refusals above were the MAC's doing.
        TrialOutcome outcome = send(RunTrialTask.sign(spec, inputs, SECRET)).open(SECRET);
        assertThat(outcome.completed()).as(outcome.error()).isTrue();
        assertThat(outcome.id()).isEqualTo(spec.id());
    }

    @Test
    void aDriverWithAWrongSecretGetsTheTrialCountedFailedAndNotRun() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<TrialOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        try (HazelcastTrialExecutor driver = HazelcastTrialExecutor.connect(List.of("127.0.0.1:" + port),
                ClusterAccess.loopback().withSecret(WRONG), inputs, Duration.ofSeconds(30),
                new PrintStream(log, true, StandardCharsets.UTF_8))) {
            awaitMembers(driver.instance(), 3);
            driver.runAll(List.of(trial(5, 2)), outcomes::add);
        }
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.completed()).isFalse();
            assertThat(o.files()).isEmpty();
            assertThat(o.error()).startsWith("refused by worker 127.0.0.1:" + port + ": the task's MAC is wrong");
        });
    }

    @Test
    void anOutcomeWithoutTheDriversMacIsRefusedLoggedAndCountedFailed() throws Exception {
        // A worker of a cluster of its own, on loopback without a secret: it runs the signed task unchecked,
        // and the driver, which holds the secret, refuses its unsigned outcome.
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<TrialOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        int openPort = freePort();
        try (HazelcastWorker open = HazelcastWorker.start(List.of(), openPort, 1, ClusterAccess.loopback(),
                System.err);
                HazelcastTrialExecutor driver = HazelcastTrialExecutor.connect(List.of("127.0.0.1:" + openPort),
                        ClusterAccess.loopback().withSecret(SECRET), inputs, Duration.ofSeconds(30),
                        new PrintStream(log, true, StandardCharsets.UTF_8))) {
            awaitMembers(driver.instance(), 2);
            driver.runAll(List.of(trial(5, 4)), outcomes::add);
        }
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.completed()).isFalse();
            assertThat(o.files()).isEmpty();
            assertThat(o.error()).isEqualTo("outcome from worker 127.0.0.1:" + openPort
                    + " refused: the outcome has no MAC (the worker has no cluster secret)");
        });
        assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("refused the outcome")))
                .singleElement().asString().startsWith("cluster: refused the outcome of trial ");
    }

    @Test
    void aTaskWhoseConfigReadsAFileOutsideTheInputDirectoryIsRefused() throws Exception {
        String weights = "0\n".repeat(105);
        Path inside = Files.writeString(inputs.resolve("weights.txt"), weights);
        Path outside = Files.writeString(Files.createDirectories(dir.resolve("elsewhere")).resolve("weights.txt"),
                weights);
        TrialSpec reading = trial(5, 3, "initial_decision=" + outside);
        int before = refusals();

        SignedOutcome refused = send(RunTrialTask.sign(reading, inputs, SECRET));
        assertThat(refused.refusal()).isEqualTo("initial_decision: " + outside
                + " is outside the sweep's input directory " + inputs);
        assertThat(refusals() - before).isEqualTo(1);

        TrialOutcome allowed = send(RunTrialTask.sign(trial(5, 3, "initial_decision=" + inside), inputs, SECRET))
                .open(SECRET);
        assertThat(allowed.completed()).as(allowed.error()).isTrue();
    }

    /** What anyone who can reach a worker would like to run there; it leaves a marker when it runs. */
    private record ReadFirstLine(String file, String marker) implements Callable<String>, Serializable {
        @Override
        public String call() throws IOException {
            return Files.writeString(Path.of(marker), Files.readAllLines(Path.of(file)).get(0)).toString();
        }
    }

    private static SignedOutcome send(RunTrialTask task) throws Exception {
        return stranger.getExecutorService(ClusterConfigs.EXECUTOR).submitToMember(task, workerMember()).get();
    }

    private static Member workerMember() {
        return stranger.getCluster().getMembers().stream().filter(ClusterConfigs::isWorker).findFirst().orElseThrow();
    }

    private static int refusals() {
        return (int) workerLog.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("refused a task"))
                .count();
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp()) {
                Collections.list(nic.getInetAddresses()).stream()
                        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).forEach(out::add);
            }
        }
        return out;
    }
}
