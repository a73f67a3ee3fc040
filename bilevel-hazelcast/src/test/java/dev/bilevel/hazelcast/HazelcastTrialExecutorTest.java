package dev.bilevel.hazelcast;

import static dev.bilevel.hazelcast.ClusterTesting.awaitMembers;
import static dev.bilevel.hazelcast.ClusterTesting.freePort;
import static dev.bilevel.hazelcast.ClusterTesting.trial;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.sweep.TrialOutcome;
import dev.bilevel.experiments.sweep.TrialRunner;
import dev.bilevel.experiments.sweep.TrialSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real cluster on loopback: two workers and a lite driver in this JVM sharing a cluster secret, real
 * FourRooms trials, one worker killed mid-sweep.
 */
class HazelcastTrialExecutorTest {

    /** Loopback with a cluster secret: every task and outcome of the sweep is signed and checked. */
    private static final ClusterAccess SIGNED = ClusterAccess.loopback()
            .withSecret(ClusterSecret.of("a test cluster secret", "test"));

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void killedWorkersTrialsRerunElsewhereAndEveryOutcomeArrivesOnceWithTheLocalFiles() throws Exception {
        // Trial 0 is short, the others long: when its outcome arrives both workers still run trials
        // (two threads each), so killing either loses running work.
        List<TrialSpec> trials = new ArrayList<>();
        trials.add(trial(100, 0));
        for (int seed = 1; seed < 8; seed++) {
            trials.add(trial(800 + 100 * seed, seed));
        }
        List<TrialSpec> submitted = new ArrayList<>(trials);
        submitted.add(trials.get(3)); // the same trial twice: one outcome

        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        List<TrialOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> killed = new AtomicReference<>();
        int port1 = freePort();
        int port2 = freePort();
        String address1 = "127.0.0.1:" + port1;
        String address2 = "127.0.0.1:" + port2;
        long start = System.nanoTime();
        long sweepStart = start;
        try (HazelcastWorker worker1 = HazelcastWorker.start(List.of(address2), port1, 2, SIGNED, log);
                HazelcastWorker worker2 = HazelcastWorker.start(List.of(address1), port2, 2, SIGNED, log);
                HazelcastTrialExecutor driver = HazelcastTrialExecutor.connect(List.of(address1, address2), SIGNED,
                        Path.of(""), Duration.ofSeconds(30), log)) {
            awaitMembers(driver.instance(), 3);
            sweepStart = System.nanoTime();
            driver.runAll(submitted, outcome -> {
                deliveries.merge(outcome.id(), 1, Integer::sum);
                outcomes.add(outcome);
                if (killed.get() == null) {
                    // Abrupt, as a crashed JVM: no goodbye to the cluster.
                    killed.set(worker2.address());
                    worker2.instance().getLifecycleService().terminate();
                }
            });
            assertThat(worker1.isRunning()).isTrue();
            assertThat(worker2.isRunning()).isFalse();
        } finally {
            System.err.print(logBytes.toString(StandardCharsets.UTF_8));
            System.err.printf("cluster up in %.1f s, sweep of %d trials took %.1f s%n", (sweepStart - start) / 1e9,
                    trials.size(), (System.nanoTime() - sweepStart) / 1e9);
        }

        assertThat(deliveries).hasSize(trials.size());
        assertThat(deliveries.values()).containsOnly(1);
        assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(trials.stream().map(TrialSpec::id).toList());
        assertThat(logBytes.toString(StandardCharsets.UTF_8))
                .contains("worker " + killed.get())
                .contains("resubmitting")
                .doesNotContain("refused");

        Map<String, TrialOutcome> byId = new LinkedHashMap<>();
        outcomes.forEach(o -> byId.put(o.id(), o));
        for (TrialSpec spec : trials) {
            TrialOutcome remote = byId.get(spec.id());
            assertThat(remote.completed()).as("trial %s: %s", spec.id(), remote.error()).isTrue();
            TrialOutcome local = TrialRunner.run(spec, ProgressReporter.silent());
            assertThat(local.completed()).isTrue();
            assertThat(remote.files().keySet()).containsExactlyInAnyOrderElementsOf(local.files().keySet())
                    .contains("config.yaml", "metrics.csv", "summary.json");
            for (Map.Entry<String, byte[]> file : local.files().entrySet()) {
                assertThat(remote.files().get(file.getKey())).as("%s of trial %s", file.getKey(), spec.id())
                        .isEqualTo(file.getValue());
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withNoWorkerTheDriverWaitsThenFailsWithOneClearMessage() throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        String nobody = "127.0.0.1:" + freePort();
        List<TrialOutcome> outcomes = new ArrayList<>();
        try (HazelcastTrialExecutor driver = HazelcastTrialExecutor.connect(List.of(nobody), ClusterAccess.loopback(),
                Path.of(""), Duration.ofSeconds(2), log)) {
            assertThatThrownBy(() -> driver.runAll(List.of(trial(100, 0)), outcomes::add))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no worker joined the cluster within 2 seconds")
                    .hasMessageContaining("1 trial not run");
        }
        assertThat(outcomes).isEmpty();
        assertThat(logBytes.toString(StandardCharsets.UTF_8))
                .contains("waiting up to 2 seconds for one to join")
                .contains("bilevel worker --join " + nobody);
    }

    @Test
    void joinAddressesAreCheckedWithTheFieldName() {
        assertThat(ClusterConfigs.parseJoin(List.of("a:5701, b:5702", "c"), "--join"))
                .containsExactly("a:5701", "b:5702", "c");
        assertThatThrownBy(() -> ClusterConfigs.parseJoin(List.of("a:x"), "--join"))
                .hasMessage("--join: 'a:x' has no valid port, expected host:port");
        assertThatThrownBy(() -> ClusterConfigs.parseJoin(List.of("a:70000"), "--join"))
                .hasMessage("--join: port 70000 in 'a:70000' is not in 1..65535");
        assertThatThrownBy(() -> ClusterConfigs.parseJoin(List.of("a:1,,b"), "--join"))
                .hasMessageStartingWith("--join: empty address");
        assertThatThrownBy(() -> HazelcastTrialExecutor.checkJoin(List.of("127.0.0.1:99999")))
                .hasMessage("--join: port 99999 in '127.0.0.1:99999' is not in 1..65535");
        assertThatThrownBy(() -> HazelcastTrialExecutor.checkJoin(List.of("127.0.0.1:abc")))
                .hasMessage("--join: '127.0.0.1:abc' has no valid port, expected host:port");
        assertThatThrownBy(() -> HazelcastTrialExecutor.connect(List.of()))
                .hasMessageStartingWith("--join: no address given");
        assertThatThrownBy(() -> HazelcastWorker.start(List.of(), -1, 1, ClusterAccess.loopback(), System.err))
                .hasMessage("--port: -1 is not in 0..65535");
    }
}
