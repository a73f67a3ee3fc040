package dev.bilevel.experiments.sweep;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * What running one trial produced, wherever it ran: its status and the files of its run directory,
 * for the driver to write.
 *
 * @param id the trial id
 * @param completed whether the run finished (false: it threw, diverged or its config was rejected)
 * @param error the failure message, {@code null} when completed
 * @param files the run directory's files by name ({@code config.yaml}, {@code metrics.csv}, …);
 *     a failed trial keeps what it wrote before failing
 * @param seconds wall-clock seconds the trial ran
 */
public record TrialOutcome(String id, boolean completed, String error, Map<String, byte[]> files, double seconds)
        implements Serializable {

    public TrialOutcome {
        Objects.requireNonNull(id, "id");
        files = Map.copyOf(files);
    }
}
