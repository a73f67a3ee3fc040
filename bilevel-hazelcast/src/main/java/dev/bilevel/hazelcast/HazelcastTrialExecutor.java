package dev.bilevel.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.bilevel.experiments.sweep.TrialExecutor;
import dev.bilevel.experiments.sweep.TrialOutcome;
import dev.bilevel.experiments.sweep.TrialSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a sweep's trials on a Hazelcast cluster of {@link HazelcastWorker}s ({@code bilevel worker}).
 *
 * <p>The driver joins the cluster as a lite member (it holds no data and runs no trials) and sends
 * each trial, as a serializable task that calls {@code TrialRunner.run}, to a worker with a free
 * trial thread; a worker never gets more trials than it announced threads, so fast workers take more
 * of the sweep and a lost worker takes only its running trials with it. Outcomes come back to the
 * thread that called {@link #runAll}, which alone calls {@code onOutcome}.
 *
 * <p>When a worker leaves or dies, its running trials go back to the front of the queue and run on
 * the remaining workers (one line on the log); a trial that was running on three lost workers in turn
 * is reported failed rather than taking down a fourth. Every trial's outcome is delivered exactly
 * once, whatever happens to the members: a result that arrives for a trial already delivered is
 * dropped. Trials are deterministic, so a rerun elsewhere gives the same files.
 *
 * <p>With no worker in the cluster, {@link #runAll} waits (saying so on the log) until one joins, and
 * fails after the member wait timeout.
 *
 * <p>Each task carries the trial and the sweep's input directory, signed with the driver's cluster secret
 * ({@link ClusterAccess}); each outcome is accepted only when its MAC under the same secret is right. A
 * trial whose task a worker refused, or whose outcome the driver refused (one line on the log), is
 * delivered as failed.
 *
 * <pre>{@code
 * try (TrialExecutor executor = HazelcastTrialExecutor.connect(List.of("127.0.0.1:5701"))) {
 *     executor.runAll(trials, outcome -> writer.write(outcome));
 * }
 * }</pre>
 *
 * <p>On Java 17 the JVM needs the {@code --add-opens}/{@code --add-exports} flags listed in this
 * module's README (the {@code ./bilevel} launcher passes them).
 */
public final class HazelcastTrialExecutor implements TrialExecutor {

    /** How long {@link #connect(List)} lets {@link #runAll} wait for a worker when none is present. */
    public static final Duration DEFAULT_MEMBER_WAIT = Duration.ofMinutes(5);

    /** A trial running on this many lost workers in turn is reported failed. */
    static final int MAX_LOST_ATTEMPTS = 3;

    /** A worker that refused a trial (shutting down, disconnected) gets no new one for this long. */
    private static final long BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final HazelcastInstance instance;
    private final IExecutorService executor;
    private final Duration memberWait;
    private final PrintStream log;
    private final List<String> joinAddresses;
    private final ClusterSecret secret;
    private final Path inputDirectory;

    private HazelcastTrialExecutor(HazelcastInstance instance, List<String> joinAddresses, ClusterSecret secret,
            Path inputDirectory, Duration memberWait, PrintStream log) {
        this.instance = instance;
        this.executor = instance.getExecutorService(ClusterConfigs.EXECUTOR);
        this.joinAddresses = joinAddresses;
        this.secret = secret;
        this.inputDirectory = inputDirectory;
        this.memberWait = memberWait;
        this.log = log;
    }

    /**
     * Joins the cluster as a lite member on loopback, with no secret, the working directory as the sweep's
     * input directory, the default member wait ({@link #DEFAULT_MEMBER_WAIT}) and status lines on
     * {@code System.err}.
     *
     * @param joinAddresses workers to contact, {@code host:port} (or {@code host}, ports 5701–5703);
     *     entries may be comma separated; one reachable worker is enough
     * @return the connected executor; {@link #close} leaves the cluster
     * @throws IllegalArgumentException naming {@code --join} for an empty list or a malformed address
     * @throws IllegalStateException when the member cannot start (no network, …)
     */
    public static HazelcastTrialExecutor connect(List<String> joinAddresses) {
        return connect(joinAddresses, ClusterAccess.loopback(), Path.of(""), DEFAULT_MEMBER_WAIT, System.err);
    }

    /**
     * Joins the cluster as a lite member.
     *
     * @param joinAddresses workers to contact, {@code host:port} (or {@code host}, ports 5701–5703)
     * @param access the address the driver listens on (workers connect back to it) and the cluster secret
     *     that signs its tasks and checks the outcomes
     * @param inputDirectory the sweep's input directory (the sweep spec's): workers refuse trials whose input
     *     files lie outside it; relative to the working directory
     * @param memberWait how long {@link #runAll} waits for a worker when none is present
     * @param log where status lines go (joined, waiting for workers, worker lost, outcome refused, …)
     * @return the connected executor; {@link #close} leaves the cluster
     * @throws IllegalArgumentException naming {@code --join} for an empty list or a malformed address
     * @throws IllegalStateException when the member cannot start
     */
    public static HazelcastTrialExecutor connect(List<String> joinAddresses, ClusterAccess access,
            Path inputDirectory, Duration memberWait, PrintStream log) {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(memberWait, "memberWait");
        Objects.requireNonNull(log, "log");
        List<String> join = checkJoin(joinAddresses);
        Path inputs = inputDirectory.toAbsolutePath().normalize();
        // Port 0: the driver listens on a free port of its choosing; workers learn it when it joins.
        Config config = ClusterConfigs.config(join, 0, true, 0, access, log);
        HazelcastInstance instance;
        try {
            instance = Hazelcast.newHazelcastInstance(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the cluster driver: " + ClusterConfigs.oneLine(e), e);
        }
        HazelcastTrialExecutor out = new HazelcastTrialExecutor(instance, join, access.secret(), inputs, memberWait,
                log);
        List<Member> workers = out.workers();
        log.println("cluster: driver " + ClusterConfigs.describe(instance.getCluster().getLocalMember())
                + " joined '" + ClusterConfigs.CLUSTER_NAME + "': " + ClusterConfigs.plural(workers.size(), "worker")
                + ", " + ClusterConfigs.plural(workers.stream().mapToInt(ClusterConfigs::threadsOf).sum(),
                        "trial thread"));
        return out;
    }

    /**
     * Checks a join list before anything else happens: each entry {@code host} or {@code host:port} (port
     * 1–65535), entries may themselves be comma separated, at least one.
     *
     * @param joinAddresses the addresses as given
     * @return the trimmed addresses
     * @throws IllegalArgumentException naming {@code --join} for an empty list or a malformed address
     */
    public static List<String> checkJoin(List<String> joinAddresses) {
        List<String> join = ClusterConfigs.parseJoin(Objects.requireNonNull(joinAddresses, "joinAddresses"), "--join");
        if (join.isEmpty()) {
            throw new IllegalArgumentException("--join: no address given, expected host:port,… of a worker");
        }
        return join;
    }

    /**
     * Runs every trial on the cluster and delivers each outcome exactly once, from the calling
     * thread. Trials with the same id run once. Calls are serialized.
     *
     * @throws InterruptedException if interrupted while waiting; trials still running on workers
     *     are abandoned (their results are dropped)
     * @throws IllegalStateException when no worker is present for longer than the member wait, or
     *     when this driver's cluster member shut down
     */
    @Override
    public synchronized void runAll(List<TrialSpec> trials, Consumer<TrialOutcome> onOutcome)
            throws InterruptedException {
        Objects.requireNonNull(onOutcome, "onOutcome");
        Map<String, TrialSpec> unique = new LinkedHashMap<>();
        for (TrialSpec trial : trials) {
            unique.putIfAbsent(trial.id(), trial);
        }
        if (unique.isEmpty()) {
            return;
        }
        new SweepRun(unique, onOutcome).run();
    }

    /** Leaves the cluster. Calling it again does nothing. */
    @Override
    public void close() {
        try {
            instance.shutdown();
        } catch (RuntimeException e) {
            // Already gone: nothing left to release.
        }
    }

    /** The workers now in the cluster, in member-list order. */
    private List<Member> workers() {
        List<Member> out = new ArrayList<>();
        for (Member member : instance.getCluster().getMembers()) {
            if (ClusterConfigs.isWorker(member)) {
                out.add(member);
            }
        }
        return out;
    }

    /** The driver's cluster member (tests). */
    HazelcastInstance instance() {
        return instance;
    }

    /** What the Hazelcast threads tell the sweep loop. */
    private sealed interface Event {
    }

    private record Finished(long attempt, SignedOutcome outcome) implements Event {
    }

    private record Failed(long attempt, Throwable error) implements Event {
    }

    private record MemberRemoved(UUID member, String address, boolean worker) implements Event {
    }

    private record MemberAdded(String address, boolean worker) implements Event {
    }

    /** One trial sent to one worker. */
    private record Attempt(TrialSpec spec, UUID member, String address) {
    }

    /** The state of one {@link #runAll} call; used by the calling thread only. */
    private final class SweepRun {

        private final Map<String, TrialSpec> trials;
        private final Consumer<TrialOutcome> onOutcome;
        private final Deque<TrialSpec> pending;
        private final Set<String> delivered = new HashSet<>();
        private final Map<Long, Attempt> inFlight = new HashMap<>();
        private final Map<String, Integer> lostAttempts = new HashMap<>();
        private final Set<UUID> departed = new HashSet<>();
        private final Map<UUID, Long> backoffUntil = new HashMap<>();
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private long nextAttempt;

        SweepRun(Map<String, TrialSpec> trials, Consumer<TrialOutcome> onOutcome) {
            this.trials = trials;
            this.onOutcome = onOutcome;
            this.pending = new ArrayDeque<>(trials.values());
        }

        void run() throws InterruptedException {
            UUID listener = instance.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                    events.add(new MemberAdded(ClusterConfigs.describe(event.getMember()),
                            ClusterConfigs.isWorker(event.getMember())));
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    events.add(new MemberRemoved(event.getMember().getUuid(), ClusterConfigs.describe(event.getMember()),
                            ClusterConfigs.isWorker(event.getMember())));
                }
            });
            try {
                loop();
            } finally {
                removeListener(listener);
                if (!inFlight.isEmpty() && delivered.size() < trials.size()) {
                    log.println("cluster: abandoning " + ClusterConfigs.plural(inFlight.size(), "running trial"));
                }
            }
        }

        private void loop() throws InterruptedException {
            long waitingSince = -1;
            while (delivered.size() < trials.size()) {
                if (!instance.getLifecycleService().isRunning()) {
                    throw new IllegalStateException("the cluster driver shut down with "
                            + ClusterConfigs.plural(trials.size() - delivered.size(), "trial") + " not run");
                }
                List<Member> available = dispatch();
                long now = System.nanoTime();
                if (available.isEmpty() && inFlight.isEmpty()) {
                    if (waitingSince < 0) {
                        waitingSince = now;
                        log.println("cluster: no worker in the cluster; waiting up to " + format(memberWait)
                                + " for one to join (start one with: bilevel worker --join "
                                + String.join(",", joinAddresses) + ")");
                    } else if (now - waitingSince > memberWait.toNanos()) {
                        throw new IllegalStateException("no worker joined the cluster within " + format(memberWait)
                                + " (join addresses " + String.join(",", joinAddresses) + "); "
                                + ClusterConfigs.plural(trials.size() - delivered.size(), "trial") + " not run");
                    }
                } else if (waitingSince >= 0) {
                    waitingSince = -1;
                    log.println("cluster: " + ClusterConfigs.plural(available.size(), "worker") + " present, running");
                }
                Event event = events.poll(1, TimeUnit.SECONDS);
                while (event != null) {
                    handle(event);
                    event = events.poll();
                }
            }
        }

        /** Sends pending trials to workers with free threads; returns the workers that can take trials. */
        private List<Member> dispatch() {
            List<Member> available = new ArrayList<>();
            long now = System.nanoTime();
            for (Member member : workers()) {
                if (departed.contains(member.getUuid())) {
                    continue;
                }
                available.add(member);
                Long until = backoffUntil.get(member.getUuid());
                if (until != null && now - until < 0) {
                    continue;
                }
                int busy = 0;
                for (Attempt attempt : inFlight.values()) {
                    if (attempt.member().equals(member.getUuid())) {
                        busy++;
                    }
                }
                for (int free = ClusterConfigs.threadsOf(member) - busy; free > 0 && !pending.isEmpty(); free--) {
                    submit(pending.pollFirst(), member);
                }
            }
            return available;
        }

        private void submit(TrialSpec spec, Member member) {
            long id = nextAttempt++;
            inFlight.put(id, new Attempt(spec, member.getUuid(), ClusterConfigs.describe(member)));
            try {
                executor.submitToMember(RunTrialTask.sign(spec, inputDirectory, secret), member,
                        new ExecutionCallback<SignedOutcome>() {
                    @Override
                    public void onResponse(SignedOutcome outcome) {
                        events.add(new Finished(id, outcome));
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        events.add(new Failed(id, t));
                    }
                });
            } catch (RuntimeException e) {
                events.add(new Failed(id, e));
            }
        }

        private void handle(Event event) {
            if (event instanceof Finished finished) {
                finished(inFlight.remove(finished.attempt()), finished.outcome());
            } else if (event instanceof Failed failed) {
                Attempt attempt = inFlight.remove(failed.attempt());
                if (attempt == null || delivered.contains(attempt.spec().id())) {
                    return;
                }
                handleFailure(attempt, failed.error());
            } else if (event instanceof MemberRemoved removed) {
                memberGone(removed.member(), removed.address(), "left the cluster", removed.worker(), null);
            } else if (event instanceof MemberAdded added && added.worker()) {
                log.println("cluster: worker " + added.address() + " joined ("
                        + ClusterConfigs.plural(workers().size(), "worker") + ")");
            }
        }

        /**
         * A worker answered: the outcome is delivered when the worker ran the trial and its MAC is right;
         * a refusal or a missing or wrong MAC counts the trial failed (one line on the log for the latter).
         * An answer for an attempt given up for lost is used if the trial is still wanted.
         */
        private void finished(Attempt attempt, SignedOutcome signed) {
            String where = attempt != null ? "worker " + attempt.address() : "a worker given up for lost";
            if (signed.refusal() != null) {
                if (attempt != null) {
                    deliver(attempt.spec().id(), failed(attempt.spec().id(), "refused by " + where + ": "
                            + signed.refusal()));
                }
                return;
            }
            TrialOutcome outcome;
            try {
                outcome = signed.open(secret);
                if (attempt != null && !outcome.id().equals(attempt.spec().id())) {
                    throw new SecurityException("the outcome is for another trial (" + outcome.id() + ")");
                }
            } catch (SecurityException e) {
                String id = attempt != null ? attempt.spec().id() : "?";
                log.println("cluster: refused the outcome of trial " + id + " from " + where + ": " + e.getMessage());
                if (attempt != null) {
                    deliver(id, failed(id, "outcome from " + where + " refused: " + e.getMessage()));
                }
                return;
            }
            if (attempt == null) {
                pending.removeIf(spec -> spec.id().equals(outcome.id()));
            }
            deliver(outcome.id(), outcome);
        }

        private void handleFailure(Attempt attempt, Throwable error) {
            if (!instance.getLifecycleService().isRunning()) {
                pending.addFirst(attempt.spec());
                return; // the loop reports the driver's own shutdown
            }
            if (hasCause(error, MemberLeftException.class) || hasCause(error, TargetNotMemberException.class)
                    || !isMember(attempt.member())) {
                String how = hasCause(error, MemberLeftException.class) ? "left the cluster"
                        : hasCause(error, TargetNotMemberException.class) ? "is no longer a member"
                        : "was lost (" + ClusterConfigs.oneLine(error) + ")";
                memberGone(attempt.member(), attempt.address(), how, true, attempt);
            } else if (hasCause(error, HazelcastInstanceNotActiveException.class)
                    || hasCause(error, TargetDisconnectedException.class)
                    || hasCause(error, RejectedExecutionException.class)) {
                // The worker is shutting down or briefly unreachable: run the trial elsewhere.
                backoffUntil.put(attempt.member(), System.nanoTime() + BACKOFF_NANOS);
                lost(attempt);
            } else {
                deliver(attempt.spec().id(), failed(attempt.spec().id(),
                        "on worker " + attempt.address() + ": " + ClusterConfigs.oneLine(rootCause(error))));
            }
        }

        /**
         * A worker left or died: its running trials (and {@code failed}, when its failure told us)
         * go back to the front of the queue, in their order.
         */
        private void memberGone(UUID member, String address, String how, boolean worker, Attempt failed) {
            boolean first = departed.add(member);
            backoffUntil.remove(member);
            List<Attempt> orphans = new ArrayList<>();
            if (failed != null) {
                orphans.add(failed);
            }
            for (Iterator<Attempt> it = inFlight.values().iterator(); it.hasNext(); ) {
                Attempt attempt = it.next();
                if (attempt.member().equals(member)) {
                    orphans.add(attempt);
                    it.remove();
                }
            }
            for (int i = orphans.size() - 1; i >= 0; i--) {
                lost(orphans.get(i));
            }
            if (worker && (first || !orphans.isEmpty())) {
                long left = workers().stream().filter(m -> !departed.contains(m.getUuid())).count();
                log.println("cluster: worker " + address + " " + how + "; "
                        + (orphans.isEmpty() ? "none of this sweep's trials was running there"
                                : "resubmitting " + ClusterConfigs.plural(orphans.size(), "trial"))
                        + " (" + ClusterConfigs.plural((int) left, "worker") + " left)");
            }
        }

        /** A trial's worker was lost: run it again, or report it failed after too many losses. */
        private void lost(Attempt attempt) {
            String id = attempt.spec().id();
            if (delivered.contains(id)) {
                return;
            }
            int losses = lostAttempts.merge(id, 1, Integer::sum);
            if (losses >= MAX_LOST_ATTEMPTS) {
                deliver(id, failed(id, "lost " + losses + " workers in turn while running this trial (last "
                        + attempt.address() + ")"));
            } else {
                pending.addFirst(attempt.spec());
            }
        }

        private void deliver(String id, TrialOutcome outcome) {
            if (trials.containsKey(id) && delivered.add(id)) {
                onOutcome.accept(outcome);
            }
        }

        private boolean isMember(UUID member) {
            return instance.getCluster().getMembers().stream().anyMatch(m -> m.getUuid().equals(member));
        }

        private void removeListener(UUID listener) {
            try {
                instance.getCluster().removeMembershipListener(listener);
            } catch (RuntimeException e) {
                // The driver already shut down: its listeners went with it.
            }
        }
    }

    /** The outcome of a trial that did not run to an outcome of its own. */
    private static TrialOutcome failed(String id, String error) {
        return new TrialOutcome(id, false, error, Map.of(), 0.0);
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String format(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 60 == 0 && seconds > 0 ? ClusterConfigs.plural((int) (seconds / 60), "minute")
                : ClusterConfigs.plural((int) seconds, "second");
    }
}
