package dev.bilevel.experiments.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress as plain lines, for logs and non-interactive consoles:
 *
 * <pre>
 * train: started, 200 steps
 * train: 20/200 (10%), 41.7/s, elapsed 0.5s, ETA 4.3s, V_L=-0.74
 * ...
 * train: done, 200/200 in 4.8s
 * </pre>
 *
 * A line is printed when progress crosses the next multiple of 10 %, and otherwise at least every 30
 * seconds while steps are reported (so an unknown total still shows signs of life).
 */
final class PlainProgressReporter implements ProgressReporter {

    static final long INTERVAL_NANOS = 30_000_000_000L;

    private final PrintStream err;
    private final LongSupplier nanoClock;
    private String task;
    private long total;
    private long startNanos;
    private long lastPrintNanos;
    private long lastDecile;
    private long lastDone;

    PlainProgressReporter(PrintStream err, LongSupplier nanoClock) {
        this.err = err;
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized void start(String task, long total) {
        close();
        this.task = task;
        this.total = Math.max(total, 0);
        this.startNanos = nanoClock.getAsLong();
        this.lastPrintNanos = startNanos;
        this.lastDecile = 0;
        this.lastDone = 0;
        err.println(task + ": started" + (this.total > 0 ? ", " + this.total + " steps" : ""));
        err.flush();
    }

    @Override
    public synchronized void step(long done, String message) {
        if (task == null) {
            return;
        }
        long now = nanoClock.getAsLong();
        lastDone = done;
        boolean print = now - lastPrintNanos >= INTERVAL_NANOS;
        if (total > 0) {
            long decile = Math.max(0, Math.min(10, (long) Math.floor(10.0 * done / total)));
            if (decile > lastDecile) {
                lastDecile = decile;
                print = true;
            }
        }
        if (print) {
            lastPrintNanos = now;
            err.println(line(done, now, message));
            err.flush();
        }
    }

    @Override
    public synchronized void close() {
        if (task == null) {
            return;
        }
        double seconds = (nanoClock.getAsLong() - startNanos) / 1e9;
        err.println(task + (total > 0 && lastDone < total ? ": stopped at " : ": done, ") + lastDone
                + (total > 0 ? "/" + total : "") + " in " + ProgressReporters.duration(seconds));
        err.flush();
        task = null;
    }

    private String line(long done, long now, String message) {
        double seconds = (now - startNanos) / 1e9;
        StringBuilder out = new StringBuilder(task).append(": ").append(done);
        if (total > 0) {
            out.append('/').append(total).append(" (").append((long) Math.floor(100.0 * done / total)).append("%)");
        }
        if (seconds > 0 && done > 0) {
            double rate = done / seconds;
            out.append(", ").append(rate >= 1 ? String.format(Locale.ROOT, "%.1f/s", rate)
                    : ProgressReporters.duration(1 / rate) + " each");
        }
        out.append(", elapsed ").append(ProgressReporters.duration(seconds));
        if (total > 0 && done > 0 && done < total && seconds > 0) {
            out.append(", ETA ").append(ProgressReporters.duration(seconds * (total - done) / done));
        }
        if (message != null && !message.isBlank()) {
            out.append(", ").append(message.strip());
        }
        return out.toString();
    }

}
