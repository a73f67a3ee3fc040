package dev.bilevel.experiments.job;

import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One benchmark experiment ({@code four-rooms}, {@code discrete-toy}, …): a config schema and a
 * single-threaded run from a resolved config and seed to a run directory. {@code bilevel run} and
 * sweeps go through this interface only, so every problem gets the same run-directory layout
 * ({@code config.yaml}, {@code metrics.csv} with {@code iteration} and {@code leader_objective},
 * {@code summary.json}) and the same guarantees: the same config gives identical files, whatever
 * runs beside it.
 */
public interface ExperimentJob {

    /** The problem name, the value of the {@code problem} config key and of {@code bilevel run PROBLEM}. */
    String problem();

    /** Every key a run of this problem accepts, with defaults. */
    ConfigSchema schema();

    /**
     * Fills in defaults that depend on other keys (tuned learning rates, …) and checks cross-key
     * constraints.
     *
     * @throws IllegalArgumentException naming the key, when keys contradict each other
     */
    ResolvedConfig complete(ResolvedConfig config);

    /**
     * The config keys that name input files, with the keys recording their content's hash (see
     * {@link InputFile}): commands resolve relative paths in config files and sweep specs against the file's
     * directory, and sweeps refuse to continue into a directory whose trials ran on other content.
     *
     * @return the input files; none by default
     */
    default List<InputFile> inputFiles() {
        return List.of();
    }

    /** A short directory name for the run ({@code METHOD-…-seedS}), used when no output is given. */
    String runName(ResolvedConfig config);

    /** One line describing the run, for the console. */
    String describe(ResolvedConfig config);

    /**
     * The few lines the console prints when a run ends: what the summary's headline numbers are, briefly. By
     * default the leader objective at the start and the end and its mean over the last window of iterations, and
     * what that objective is.
     *
     * @param summary the summary the run returned
     * @return lines without line ends, each short enough for an 80-column terminal where the numbers allow
     */
    default List<String> closingLines(Map<String, Object> summary) {
        String meaning = String.valueOf(summary.get("leader_objective_meaning"));
        int aside = meaning.indexOf(" (");
        if (aside >= 0 && meaning.length() - aside <= 24) {
            aside = -1; // a short aside, such as the metric's name in the reference, stays
        }
        return List.of(String.format(Locale.ROOT, "leader objective %.4f -> %.4f (mean over the last %s: %.4f)",
                summary.get("leader_objective_initial"), summary.get("leader_objective_final"),
                summary.get("last_window"), summary.get("leader_objective_last_window")),
                "  (" + (aside < 0 ? meaning : meaning.substring(0, aside)) + ")");
    }

    /**
     * Runs the experiment described by a completed config.
     *
     * @param config a config from {@link #complete}
     * @param directory where to write, or {@code null} to write nothing
     * @param progress progress sink
     * @return the summary (also written as {@code summary.json}); it holds
     *     {@code leader_objective_last_window}, the number the benchmark's tables report
     * @throws ArithmeticException when the run diverges; files written so far are kept
     */
    Map<String, Object> run(ResolvedConfig config, RunDirectory directory, ProgressReporter progress);
}
