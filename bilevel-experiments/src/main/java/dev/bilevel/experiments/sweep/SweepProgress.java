package dev.bilevel.experiments.sweep;

import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.ProgressReporters;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A sweep's progress on stderr. On an interactive terminal: one overall bar (trials done, failures,
 * elapsed time, ETA) and below it a live line per running trial (its grid values, iterations done, its
 * latest message), redrawn in place four times a second; failures are printed above the bar as they
 * happen. Elsewhere (logs, pipes): plain lines, at each failure, each 10 % of the trials and at least
 * every 30 seconds while trials finish. {@value ProgressReporter#ENV_VAR} = {@code bar}, {@code plain} or
 * {@code off} chooses.
 */
public final class SweepProgress implements SweepListener {

    /** How progress is shown. */
    public enum Mode {
        /** A bar and live lines, redrawn in place with ANSI escapes. */
        LIVE,
        /** Plain lines. */
        PLAIN,
        /** Nothing. */
        SILENT
    }

    private static final long PLAIN_INTERVAL_NANOS = 30_000_000_000L;
    private static final long REDRAW_MILLIS = 250;

    private final PrintStream err;
    private final Mode mode;
    private final LongSupplier clock;
    private final int width;
    private final Map<String, String> labels = new HashMap<>();
    private final Map<String, Slot> running = new LinkedHashMap<>();
    private final List<String> pending = new ArrayList<>();
    private ScheduledExecutorService redraw;
    private int total;
    private int skipped;
    private int toRun;
    private int done;
    private int failed;
    private long startNanos;
    private long lastPlainNanos;
    private int lastPlainDecile;
    private int drawnLines;

    private static final class Slot {
        final String label;
        long total;
        long done;
        String message;

        Slot(String label) {
            this.label = label;
        }
    }

    /**
     * A progress display.
     *
     * @param err where to draw
     * @param mode how
     * @param clock nanosecond clock
     * @param width the widest line to draw
     */
    public SweepProgress(PrintStream err, Mode mode, LongSupplier clock, int width) {
        this.err = err;
        this.mode = mode;
        this.clock = clock;
        this.width = Math.max(40, width);
    }

    /**
     * The display for a person at a console: live when stderr's console is interactive, plain lines
     * otherwise; {@value ProgressReporter#ENV_VAR} overrides.
     *
     * @param err normally {@code System.err}
     * @return the display
     */
    public static SweepProgress console(PrintStream err) {
        String env = System.getenv(ProgressReporter.ENV_VAR);
        String choice = env == null ? "" : env.strip().toLowerCase(Locale.ROOT);
        Mode mode = switch (choice) {
            case "off", "none", "silent", "quiet" -> Mode.SILENT;
            case "plain" -> Mode.PLAIN;
            case "bar" -> Mode.LIVE;
            default -> ProgressReporters.interactiveConsole() ? Mode.LIVE : Mode.PLAIN;
        };
        int columns = 100;
        try {
            String c = System.getenv("COLUMNS");
            if (c != null) {
                columns = Integer.parseInt(c.strip());
            }
        } catch (NumberFormatException e) {
            // keep the default
        }
        return new SweepProgress(err, mode, System::nanoTime, columns - 1);
    }

    /** The display mode. */
    public Mode mode() {
        return mode;
    }

    @Override
    public synchronized void begin(List<SweepSpec.Trial> trials, List<SweepSpec.Trial> run, int threads) {
        for (SweepSpec.Trial t : trials) {
            labels.put(t.id(), t.label());
        }
        total = trials.size();
        toRun = run.size();
        skipped = total - toRun;
        done = 0;
        failed = 0;
        startNanos = clock.getAsLong();
        lastPlainNanos = startNanos;
        lastPlainDecile = 0;
        if (mode == Mode.PLAIN) {
            err.println("sweep: " + total + " trials, " + toRun + " to run" + (skipped > 0 ? " (" + skipped
                    + " already finished)" : ""));
            err.flush();
        } else if (mode == Mode.LIVE && toRun > 0) {
            redraw = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bilevel-sweep-progress");
                t.setDaemon(true);
                return t;
            });
            redraw.scheduleAtFixedRate(this::draw, 0, REDRAW_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void finished(SweepSpec.Trial trial, TrialRecord record) {
        done++;
        if (!record.completed()) {
            failed++;
        }
        running.remove(trial.id());
        String failure = record.completed() ? null
                : "failed: " + trial.label() + ": " + record.error();
        if (mode == Mode.LIVE) {
            if (failure != null) {
                pending.add(failure);
            }
            drawLocked();
        } else if (mode == Mode.PLAIN) {
            long now = clock.getAsLong();
            int decile = toRun == 0 ? 10 : (int) Math.floor(10.0 * done / toRun);
            if (failure != null) {
                err.println("sweep: " + failure);
            }
            if (failure != null || done == toRun || decile > lastPlainDecile || now - lastPlainNanos >= PLAIN_INTERVAL_NANOS) {
                lastPlainDecile = decile;
                lastPlainNanos = now;
                err.println("sweep: " + summary(now) + "; last " + trial.label() + " "
                        + String.format(Locale.ROOT, "%.1fs", record.seconds()));
            }
            err.flush();
        }
    }

    @Override
    public void end() {
        ScheduledExecutorService r;
        synchronized (this) {
            r = redraw;
            redraw = null;
        }
        if (r != null) {
            r.shutdownNow();
            try {
                r.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (mode == Mode.LIVE && toRun > 0) {
                running.clear();
                drawLocked();
                drawnLines = 0; // keep the final bar on screen
            }
        }
    }

    @Override
    public ProgressReporter trialProgress(TrialSpec spec) {
        if (mode == Mode.SILENT || mode == Mode.PLAIN) {
            return ProgressReporter.silent();
        }
        String id = spec.id();
        return new ProgressReporter() {
            @Override
            public void start(String task, long steps) {
                synchronized (SweepProgress.this) {
                    Slot slot = new Slot(labels.getOrDefault(id, task));
                    slot.total = steps;
                    running.put(id, slot);
                }
            }

            @Override
            public void step(long stepsDone, String message) {
                synchronized (SweepProgress.this) {
                    Slot slot = running.get(id);
                    if (slot != null) {
                        slot.done = stepsDone;
                        slot.message = message;
                    }
                }
            }

            @Override
            public void close() {
                // The slot goes when the driver has written the trial (finished).
            }
        };
    }

    private synchronized void draw() {
        drawLocked();
    }

    private void drawLocked() {
        if (mode != Mode.LIVE) {
            return;
        }
        long now = clock.getAsLong();
        List<String> block = new ArrayList<>();
        block.add(fit(bar(now)));
        for (Slot slot : running.values()) {
            StringBuilder line = new StringBuilder("  ").append(slot.label);
            if (slot.total > 0) {
                line.append(String.format(Locale.ROOT, "  %d/%d (%d%%)", slot.done, slot.total,
                        100 * slot.done / slot.total));
            }
            if (slot.message != null && !slot.message.isBlank()) {
                line.append("  ").append(slot.message.strip());
            }
            block.add(fit(line.toString()));
        }
        StringBuilder out = new StringBuilder();
        if (drawnLines > 0) {
            out.append("\033[").append(drawnLines).append('F');
        }
        int lines = 0;
        for (String message : pending) {
            out.append("\033[2K").append(message).append('\n');
            lines++;
        }
        pending.clear();
        for (String line : block) {
            out.append("\033[2K").append(line).append('\n');
            lines++;
        }
        int extra = drawnLines - lines;
        if (extra > 0) {
            for (int i = 0; i < extra; i++) {
                out.append("\033[2K\n");
            }
            out.append("\033[").append(extra).append('F');
        }
        drawnLines = block.size();
        err.print(out);
        err.flush();
    }

    private String bar(long now) {
        int finished = skipped + done;
        int cells = 24;
        int filled = total == 0 ? cells : (int) Math.floor((double) cells * finished / total);
        return "sweep " + finished + "/" + total + " [" + "#".repeat(filled) + "-".repeat(cells - filled) + "] "
                + summary(now);
    }

    /** {@code 12/24 trials (50%), 2 running, 1 failed, elapsed 12.0s, ETA 12.0s}. */
    private String summary(long now) {
        int finished = skipped + done;
        double seconds = (now - startNanos) / 1e9;
        StringBuilder s = new StringBuilder();
        s.append(finished).append('/').append(total).append(" trials (")
                .append(total == 0 ? 100 : 100 * finished / total).append("%)");
        if (!running.isEmpty()) {
            s.append(", ").append(running.size()).append(" running");
        }
        if (failed > 0) {
            s.append(", ").append(failed).append(" failed");
        }
        s.append(", elapsed ").append(ProgressReporters.duration(seconds));
        double progress = done;
        for (Slot slot : running.values()) {
            if (slot.total > 0) {
                progress += Math.min(1.0, (double) slot.done / slot.total);
            }
        }
        if (toRun > 0 && done < toRun && progress > 0 && seconds > 0) {
            s.append(", ETA ").append(ProgressReporters.duration(seconds * (toRun - progress) / progress));
        }
        return s.toString();
    }

    private String fit(String line) {
        return line.length() <= width ? line : line.substring(0, width - 1) + "…";
    }


}
