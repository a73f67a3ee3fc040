package dev.bilevel.experiments.sweep;

import dev.bilevel.experiments.run.ProgressReporter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.concurrent.ExecutionException;

/**
 * Runs trials on threads of this process, one single-threaded trial per thread ({@link TrialRunner}), by
 * default one thread per available processor. A trial's results do not depend on the thread count or
 * on what runs beside it. A trial that throws anything, even an {@link Error} such as a stack
 * overflow, becomes a failed outcome; an exception thrown by {@code onOutcome} (the driver could not
 * write) stops the sweep and is rethrown.
 */
public final class LocalTrialExecutor implements TrialExecutor {

    private final int threads;
    private final Function<TrialSpec, ProgressReporter> progress;
    private final ExecutorService pool;

    /**
     * An executor with one thread per available processor and no per-trial progress.
     */
    public LocalTrialExecutor() {
        this(defaultThreads(), spec -> ProgressReporter.silent());
    }

    /**
     * An executor.
     *
     * @param threads trials at once, at least 1
     * @param progress where each trial reports its progress (called on the trial's thread)
     */
    public LocalTrialExecutor(int threads, Function<TrialSpec, ProgressReporter> progress) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads: " + threads + " must be ≥ 1");
        }
        this.threads = threads;
        this.progress = Objects.requireNonNull(progress, "progress");
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "bilevel-trial-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(threads, factory);
    }

    /** One per available processor. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** How many trials run at once. */
    public int threads() {
        return threads;
    }

    @Override
    public void runAll(List<TrialSpec> trials, Consumer<TrialOutcome> onOutcome) throws InterruptedException {
        List<Future<?>> futures = new ArrayList<>();
        for (TrialSpec spec : trials) {
            futures.add(pool.submit(() -> {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                onOutcome.accept(runOne(spec));
            }));
        }
        try {
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    for (Future<?> other : futures) {
                        other.cancel(true);
                    }
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } catch (InterruptedException e) {
            for (Future<?> other : futures) {
                other.cancel(true);
            }
            throw e;
        }
    }

    private TrialOutcome runOne(TrialSpec spec) {
        long start = System.nanoTime();
        try (ProgressReporter reporter = progress.apply(spec)) {
            return TrialRunner.run(spec, reporter);
        } catch (Throwable t) { // a trial must never take the sweep down with it
            String message = t.getMessage() == null ? t.getClass().getSimpleName()
                    : t.getClass().getSimpleName() + ": " + t.getMessage();
            return new TrialOutcome(spec.id(), false, message, Map.of(), (System.nanoTime() - start) / 1e9);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
