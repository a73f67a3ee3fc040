package dev.bilevel.experiments.sweep;

import java.io.Serializable;
import java.util.Objects;

/**
 * One trial of a sweep, in a form that can cross a process boundary: the problem and its full
 * resolved config (seed included) as YAML.
 *
 * @param id the stable trial id, {@code ResolvedConfig.stableHash()} of the config
 * @param problem the problem name ({@code four-rooms}, …)
 * @param configYaml the resolved config, as {@code ResolvedConfig.toYaml()} writes it
 */
public record TrialSpec(String id, String problem, String configYaml) implements Serializable {

    public TrialSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(configYaml, "configYaml");
    }
}
