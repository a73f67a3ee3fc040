package dev.bilevel.experiments.run;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * An animated one-line bar (me.tongfei progressbar) with percentage, rate and ETA, redrawn in place;
 * for interactive terminals. ASCII style, so it renders in any terminal encoding.
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
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .showSpeed()
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
            bar.setExtraMessage(" " + message.strip()); // the renderer puts no space before it
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
