package dev.bilevel.experiments.run;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * An animated one-line bar (me.tongfei progressbar), redrawn in place, in the fixed layout of {@link ProgressLine}
 * (short label, bar, count, percentage, time left, then the job's message in what room is left); for interactive
 * terminals.
 */
final class ConsoleProgressBar implements ProgressReporter {

    private final PrintStream err;
    private final int maxWidth;
    private ProgressBar bar;

    /**
     * @param err where to draw
     * @param maxWidth the widest line to draw, or 0 to ask the terminal
     */
    ConsoleProgressBar(PrintStream err, int maxWidth) {
        this.err = err;
        this.maxWidth = maxWidth;
    }

    @Override
    public synchronized void start(String task, long total) {
        close();
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total > 0 ? total : -1) // -1: indefinite
                .setUpdateIntervalMillis(250)
                .setRenderer(new ProgressLine())
                .setConsumer(maxWidth > 0 ? new ConsoleProgressBarConsumer(err, maxWidth)
                        : new ConsoleProgressBarConsumer(err))
                .build();
    }

    @Override
    public synchronized void step(long done, String message) {
        if (bar == null) {
            return;
        }
        bar.stepTo(done);
        if (message != null) {
            bar.setExtraMessage(message.strip());
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
