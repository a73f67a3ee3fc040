package dev.bilevel.experiments.run;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;

/** How {@link ProgressReporter#console(PrintStream)} chooses an implementation, and shared console helpers. */
public final class ProgressReporters {

    private ProgressReporters() {
    }

    /**
     * Chooses by {@code envValue} ({@code plain}, {@code bar}, {@code off}), else by whether the console
     * is interactive.
     */
    static ProgressReporter forConsole(PrintStream err, String envValue, boolean interactive) {
        String mode = envValue == null ? "" : envValue.strip().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "off", "none", "silent", "quiet" -> ProgressReporter.silent();
            case "plain" -> ProgressReporter.plain(err);
            case "bar" -> new ConsoleProgressBar(err, 0);
            default -> interactive ? new ConsoleProgressBar(err, 0) : ProgressReporter.plain(err);
        };
    }

    /**
     * Whether a person is watching a terminal. On Java 17 {@link System#console()} is null unless stdin
     * and stdout are a terminal; from Java 22 it exists more often and {@code Console.isTerminal()}
     * (looked up reflectively) says it.
     */
    public static boolean interactiveConsole() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // Java < 22: a non-null console is a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** {@code 4.3s}, {@code 2m05s}, {@code 3h07m}. */
    public static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
