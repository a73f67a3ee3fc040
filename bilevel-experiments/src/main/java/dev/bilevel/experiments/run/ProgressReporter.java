package dev.bilevel.experiments.run;

import java.io.PrintStream;

/**
 * Reports the progress of a long task (training iterations, sweep trials) to a person watching; never
 * to stdout, which belongs to the program's results.
 *
 * <p>One task at a time: {@link #start} begins a task (finishing any task still open), {@link #step}
 * reports how far it is, {@link #close} finishes it. A reporter can run several tasks one after the
 * other. Implementations are thread-safe.
 *
 * <pre>{@code
 * try (ProgressReporter progress = ProgressReporter.console(System.err)) {
 *     progress.start("four-rooms bchg", iterations);
 *     for (int i = 1; i <= iterations; i++) {
 *         ...
 *         progress.step(i, "V_L=" + objective);
 *     }
 * }
 * }</pre>
 */
public interface ProgressReporter extends AutoCloseable {

    /**
     * The environment variable that overrides {@link #console(PrintStream)}'s choice: {@code plain}
     * (periodic lines), {@code bar} (a progress bar even when the console does not look interactive),
     * {@code off} (nothing). Any other value, or none, means automatic.
     */
    String ENV_VAR = "BILEVEL_PROGRESS";

    /**
     * Begins a task.
     *
     * @param task a short name shown with every report
     * @param total the number of steps, or 0 (or less) if unknown
     */
    void start(String task, long total);

    /**
     * Reports progress of the current task; ignored when no task is open.
     *
     * @param done steps done so far (absolute, not an increment)
     * @param message a short status such as the current objective, or {@code null}
     */
    void step(long done, String message);

    /**
     * Reports progress of the current task without a message.
     *
     * @param done steps done so far
     */
    default void step(long done) {
        step(done, null);
    }

    /** Finishes the current task, if any. Calling it again does nothing. */
    @Override
    void close();

    /**
     * The reporter for a person at a console: an animated progress bar with rate and ETA when
     * {@code err} is an interactive terminal ({@link System#console()} is not null), otherwise plain
     * lines, one per 10% of progress and at least every 30 seconds, which read well in log files.
     * {@value #ENV_VAR} overrides the choice.
     *
     * @param err where to write, normally {@code System.err}
     * @return the reporter
     */
    static ProgressReporter console(PrintStream err) {
        return ProgressReporters.forConsole(err, System.getenv(ENV_VAR), ProgressReporters.interactiveConsole());
    }

    /**
     * Plain progress lines (one per 10% of progress, at least every 30 seconds), whatever the console.
     *
     * @param err where to write
     * @return the reporter
     */
    static ProgressReporter plain(PrintStream err) {
        return new PlainProgressReporter(err, System::nanoTime);
    }

    /**
     * A reporter that reports nothing (tests, library use, {@code --quiet}).
     *
     * @return the reporter
     */
    static ProgressReporter silent() {
        return SilentProgressReporter.INSTANCE;
    }
}
