package dev.bilevel.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.io.PrintStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * A data member of the bilevel cluster that runs trials sent by {@link HazelcastTrialExecutor}
 * drivers ({@code bilevel worker}). It holds no state of its own: stopping it loses only the trials
 * it was running, which the driver then runs elsewhere.
 *
 * <p>It listens on one address ({@link ClusterAccess}: loopback unless another is named), accepts no
 * Hazelcast clients, and runs a task only when its MAC under the cluster secret is right (with a secret) and
 * its input files lie in its sweep's input directory; it refuses every other task with one line on its log.
 *
 * <pre>{@code
 * try (HazelcastWorker worker = HazelcastWorker.start(List.of("host1:5701"), 5701)) {
 *     worker.awaitShutdown();
 * }
 * }</pre>
 */
public final class HazelcastWorker implements AutoCloseable {

    private final HazelcastInstance instance;
    private final int threads;
    private final CountDownLatch shutdown = new CountDownLatch(1);

    private HazelcastWorker(HazelcastInstance instance, int threads) {
        this.instance = instance;
        this.threads = threads;
        instance.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                shutdown.countDown();
            }
        });
        if (!instance.getLifecycleService().isRunning()) {
            shutdown.countDown();
        }
    }

    /**
     * Starts a worker on loopback, with no secret, that runs as many trials at once as this machine has
     * processors.
     *
     * @param joinAddresses other members to contact, {@code host:port} (or {@code host}, ports
     *     5701–5703); entries may be comma separated; empty to start a cluster of its own
     * @param port the port to listen on (0: any free port)
     * @return the started worker, a member of the cluster
     * @throws IllegalArgumentException naming {@code --join} or {@code --port} for bad input
     * @throws IllegalStateException when the member cannot start (port in use, …)
     */
    public static HazelcastWorker start(List<String> joinAddresses, int port) {
        return start(joinAddresses, port, Runtime.getRuntime().availableProcessors(), ClusterAccess.loopback(),
                System.err);
    }

    /**
     * Starts a worker.
     *
     * @param joinAddresses other members to contact, {@code host:port} (or {@code host}, ports
     *     5701–5703); empty to start a cluster of its own
     * @param port the port to listen on (0: any free port)
     * @param threads trials it runs at once (each trial is single-threaded)
     * @param access the address it listens on and the cluster secret its tasks must be signed with
     * @param log where it reports refused tasks, one line each
     * @return the started worker, a member of the cluster
     * @throws IllegalArgumentException naming {@code --join}, {@code --port} or {@code --threads}
     * @throws IllegalStateException when the member cannot start (port in use, …)
     */
    public static HazelcastWorker start(List<String> joinAddresses, int port, int threads, ClusterAccess access,
            PrintStream log) {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(log, "log");
        List<String> join = ClusterConfigs.parseJoin(Objects.requireNonNull(joinAddresses, "joinAddresses"), "--join");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port: " + port + " is not in 0..65535");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads: " + threads + " is not at least 1");
        }
        Config config = ClusterConfigs.config(join, port, false, threads, access, log);
        try {
            return new HazelcastWorker(Hazelcast.newHazelcastInstance(config), threads);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the worker on " + access.bindAddress() + ":" + port + ": "
                    + ClusterConfigs.oneLine(e), e);
        }
    }

    /** This worker's {@code host:port}, the address other members and drivers can join. */
    public String address() {
        return ClusterConfigs.describe(instance.getCluster().getLocalMember());
    }

    /** Trials this worker runs at once. */
    public int threads() {
        return threads;
    }

    /** One line describing the worker and its cluster, for the console. */
    public String describe() {
        int workers = 0;
        int others = 0;
        for (Member member : instance.getCluster().getMembers()) {
            if (ClusterConfigs.isWorker(member)) {
                workers++;
            } else {
                others++;
            }
        }
        return "worker " + address() + " joined cluster '" + ClusterConfigs.CLUSTER_NAME + "' ("
                + ClusterConfigs.plural(workers, "worker")
                + (others > 0 ? ", " + ClusterConfigs.plural(others, "other member") : "") + "), running up to "
                + ClusterConfigs.plural(threads, "trial") + " at once";
    }

    /** Whether the worker is still a running member. */
    public boolean isRunning() {
        return instance.getLifecycleService().isRunning();
    }

    /**
     * Blocks until the worker shuts down ({@link #close}, the JVM's shutdown, or the cluster's).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    /** Leaves the cluster; trials it was running are resubmitted by their drivers. Idempotent. */
    @Override
    public void close() {
        try {
            instance.shutdown();
        } catch (RuntimeException e) {
            // Already gone.
        }
    }

    /** The Hazelcast member (tests: to kill it abruptly). */
    HazelcastInstance instance() {
        return instance;
    }
}
