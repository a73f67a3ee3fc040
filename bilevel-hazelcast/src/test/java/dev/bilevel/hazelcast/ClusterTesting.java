package dev.bilevel.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.bilevel.experiments.catalog.ExperimentJobs;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.sweep.TrialSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the cluster tests share: FourRooms trials, free loopback ports, waiting for a cluster to form. */
final class ClusterTesting {

    private static final ExperimentJob FOUR_ROOMS = ExperimentJobs.forProblem("four-rooms", "problem");

    private ClusterTesting() {
    }

    /** A FourRooms trial, with more {@code key=value} overrides. */
    static TrialSpec trial(int iterations, long seed, String... overrides) {
        List<String> all = new ArrayList<>(List.of("iterations=" + iterations, "seed=" + seed));
        all.addAll(List.of(overrides));
        ResolvedConfig config = FOUR_ROOMS.complete(FOUR_ROOMS.schema().resolve(null, all));
        return new TrialSpec(config.stableHash(), FOUR_ROOMS.problem(), config.toYaml());
    }

    /** Waits up to 30 s until {@code instance} sees {@code members} members. */
    static void awaitMembers(HazelcastInstance instance, int members) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (instance.getCluster().getMembers().size() < members) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("cluster did not form: " + instance.getCluster().getMembers());
            }
            Thread.sleep(50);
        }
    }

    /** A loopback port that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
