package dev.bilevel.experiments.sweep;

import dev.bilevel.experiments.ExperimentInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Operating-system locks on byte ranges of a sweep directory's lock file, {@code DIR/.lock}, so that
 * processes sharing the directory never run a trial twice or clear each other's work. The locks go with
 * the process: one killed, even by {@code kill -9}, holds none.
 *
 * <ul>
 *   <li><b>Index</b> (exclusive, brief): held while a driver checks and writes {@code sweep.yaml} and
 *       {@code trials.csv} and while it takes its shard, so that those steps of two drivers never
 *       interleave.</li>
 *   <li><b>Shard</b> (exclusive, for the whole run): one per shard {@code i/n}; an unsharded sweep is shard
 *       {@code 1/1}. A second driver of the same shard <em>waits</em> for it, then finds the first driver's
 *       trials finished and skips them. Since only the holder writes the shard's trials, whatever
 *       {@code .staging/} holds for them when the lock is taken was left by a dead process.</li>
 *   <li><b>Shard count</b> (shared, for the whole run): drivers of shards {@code i/n} and {@code j/n}
 *       run side by side; a driver whose count differs from a running one's (say {@code 1/2} beside
 *       {@code 1/3}, or an unsharded run beside a sharded one) would share trials with it and is
 *       refused.</li>
 *   <li><b>Aggregate</b> (exclusive): held by {@code aggregate} while it writes {@code aggregate/} and
 *       {@code report/}; a second one waits.</li>
 * </ul>
 *
 * <p>Locks are polled ({@link FileChannel#tryLock}), so a wait also works between two drivers in one JVM,
 * where the operating system does not tell them apart (there a shared lock held twice counts as held).
 */
public final class SweepLock implements AutoCloseable {

    /** The lock file inside a sweep directory. */
    public static final String FILE = ".lock";

    private static final long INDEX = 0;
    private static final long AGGREGATE = 1;
    private static final long COUNTS = 16; // byte COUNTS + n: shard count n (n < 2^31)
    private static final long COUNTS_END = COUNTS + Integer.MAX_VALUE + 1L;
    private static final long SHARDS = 1L << 32; // byte SHARDS + n(n−1)/2 + i − 1: shard i/n
    private static final long POLL_MILLIS = 50;

    private final FileChannel channel;
    private final Shard shard;
    private FileLock index;
    private FileLock count;
    private FileLock held;

    private SweepLock(FileChannel channel, Shard shard) {
        this.channel = channel;
        this.shard = shard;
    }

    /**
     * Takes the locks of one driver: the index (until {@link #releaseIndex()}), the shard and the shard count
     * (until {@link #close()}). Waits while another process runs the same shard.
     *
     * @param dir the sweep directory
     * @param label how the user named it ({@code --out}), for messages
     * @param shard the driver's shard ({@link Shard#ALL} when unsharded)
     * @param onWait told once, with a console line, when the driver has to wait
     * @return the locks, index included
     * @throws ExperimentInputException if a driver with another shard count is running on the directory
     * @throws UncheckedIOException if the lock file cannot be opened or locked
     * @throws IllegalStateException if interrupted while waiting (the interrupt flag is set again)
     */
    public static SweepLock driver(Path dir, String label, Shard shard, Consumer<String> onWait) {
        SweepLock lock = open(dir, shard);
        try {
            boolean told = false;
            while (true) {
                lock.index = lock.await(INDEX, 1, false);
                if (!lock.free(COUNTS + 1, shard.count() - 1L) || !lock.free(COUNTS + shard.count() + 1,
                        COUNTS_END - COUNTS - shard.count() - 1)) {
                    throw new ExperimentInputException((shard.count() > 1 ? "--shard " + shard : label) + ": "
                            + dir + " is being swept with another shard count; shards of one directory must "
                            + "all use the same n (wait for the other sweep, or use another " + label + ")");
                }
                lock.count = lock.tryLock(COUNTS + shard.count(), 1, true);
                lock.held = lock.count == null ? null : lock.tryLock(shardPosition(shard), 1, false);
                if (lock.held != null) {
                    return lock;
                }
                release(lock.count);
                release(lock.index);
                if (!told) {
                    onWait.accept("waiting for the lock on " + dir + " held by another sweep"
                            + (shard.count() > 1 ? " of shard " + shard : ""));
                    told = true;
                }
                pause();
            }
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Takes the aggregate lock, waiting while another {@code aggregate} of the directory writes.
     *
     * @param dir the sweep directory
     * @return the lock
     * @throws UncheckedIOException if the lock file cannot be opened or locked
     */
    public static SweepLock aggregate(Path dir) {
        SweepLock lock = open(dir, null);
        try {
            lock.held = lock.await(AGGREGATE, 1, false);
            return lock;
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /** The shard a driver's lock is for; {@code null} for the aggregate lock. */
    public Shard shard() {
        return shard;
    }

    /** Lets other drivers check and write the sweep's index again (the shard stays locked). */
    public void releaseIndex() {
        release(index);
        index = null;
    }

    /** Releases every lock this object holds. */
    @Override
    public void close() {
        try {
            channel.close(); // releases every lock taken through it
        } catch (IOException e) {
            // the process's locks go with it in any case
        }
    }

    private static SweepLock open(Path dir, Shard shard) {
        Path file = dir.resolve(FILE);
        try {
            return new SweepLock(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), shard);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the lock file " + file + ": " + e.getMessage(), e);
        }
    }

    private static long shardPosition(Shard shard) {
        long n = shard.count();
        return SHARDS + n * (n - 1) / 2 + shard.index() - 1;
    }

    private FileLock await(long position, long size, boolean shared) {
        while (true) {
            FileLock lock = tryLock(position, size, shared);
            if (lock != null) {
                return lock;
            }
            pause();
        }
    }

    /** Whether no other process holds any lock in the range (an empty range is free). */
    private boolean free(long position, long size) {
        if (size <= 0) {
            return true;
        }
        FileLock probe = tryLock(position, size, false);
        release(probe);
        return probe != null;
    }

    private FileLock tryLock(long position, long size, boolean shared) {
        try {
            return channel.tryLock(position, size, shared);
        } catch (OverlappingFileLockException e) {
            return null; // held by another driver in this JVM
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + FILE + ": " + e.getMessage(), e);
        }
    }

    private static void release(FileLock lock) {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release a lock on " + FILE + ": " + e.getMessage(), e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sweep's lock", e);
        }
    }
}
