package dev.bilevel.experiments.aggregate;

import dev.bilevel.experiments.config.ConfigException;
import dev.bilevel.experiments.sweep.FlatYaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What aggregation and reports need to know about a problem, read from the resource
 * {@code dev/bilevel/experiments/aggregate/PROBLEM.profile.yaml} (see {@code four-rooms.profile.yaml}):
 * which metric is the objective and which way is better, the default selection rule and window, which
 * config keys name the method and the setting, display names, keys that hold file paths, and the paper's numbers
 * ({@link PaperValues}). A problem without a profile gets {@link #generic(String)}. Adding a problem to the
 * reports takes a profile file, and optionally a paper table, and no code.
 *
 * @param problem the problem name
 * @param title a title for reports
 * @param objective the {@code metrics.csv} column that tables report and selection ranks
 * @param objectiveLabel how to call it on axes
 * @param maximize whether larger is better
 * @param xColumn the column that counts iterations (the curves' abscissa)
 * @param rule the default selection rule
 * @param window the default last-window length (rows)
 * @param rolling the default rolling-mean window of plotted curves (1: none)
 * @param methodKeys the config keys that name the method ({@code method}; several, such as
 *     {@code [method, off_policy]}, make the method id their values joined by {@code /}:
 *     {@code naive/true})
 * @param settingKeys the config keys that make a setting (one table row, one figure); the other keys
 *     that vary are hyperparameters selected over
 * @param keyLabels display names of keys
 * @param methods display names of methods, in display order
 * @param paper the paper's numbers (possibly none)
 * @param paperSource where the paper's numbers come from, or {@code null}
 * @param fileKeys the config keys whose values are file paths: tables and figures show the file's name (the CSV
 *     and JSON files keep the whole path)
 */
public record ProblemProfile(String problem, String title, String objective, String objectiveLabel, boolean maximize,
        String xColumn, SelectionRule rule, int window, int rolling, List<String> methodKeys, List<String> settingKeys,
        Map<String, String> keyLabels, Map<String, String> methods, PaperValues paper, String paperSource,
        List<String> fileKeys) {

    private static final String RESOURCE_DIR = "/dev/bilevel/experiments/aggregate/";

    /** Copies the collections. */
    public ProblemProfile {
        settingKeys = List.copyOf(settingKeys);
        methodKeys = List.copyOf(methodKeys);
        fileKeys = List.copyOf(fileKeys);
        keyLabels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keyLabels));
        methods = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(methods));
    }

    /**
     * The profile of a problem: its resource, or the generic defaults.
     *
     * @param problem the problem name
     * @return the profile
     */
    public static ProblemProfile forProblem(String problem) {
        String name = RESOURCE_DIR + problem + ".profile.yaml";
        try (InputStream in = ProblemProfile.class.getResourceAsStream(name)) {
            if (in == null) {
                return generic(problem);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "profile " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Defaults for a problem without a profile: objective {@code leader_objective}, larger is better, the
     * mean of the last 1,000 rows, method key {@code method}, no setting keys, no paper values.
     *
     * @param problem the problem name
     * @return the profile
     */
    public static ProblemProfile generic(String problem) {
        return new ProblemProfile(problem, problem, "leader_objective", "leader objective", true, "iteration",
                SelectionRule.LAST_WINDOW_MEAN, 1000, 1, List.of("method"), List.of(), Map.of(), Map.of(),
                PaperValues.NONE, null, List.of());
    }

    /**
     * Parses a profile.
     *
     * @param text the YAML
     * @param source its name for messages
     * @return the profile
     */
    static ProblemProfile parse(String text, String source) {
        Map<String, FlatYaml.Entry> entries = new LinkedHashMap<>();
        for (FlatYaml.Entry e : FlatYaml.parse(text, source)) {
            entries.put(e.key(), e);
        }
        String problem = scalar(entries, "problem", null, source);
        ProblemProfile g = generic(problem);
        Map<String, String> keyLabels = new LinkedHashMap<>();
        Map<String, String> methods = new LinkedHashMap<>();
        for (FlatYaml.Entry e : entries.values()) {
            if (e.key().startsWith("key_labels.")) {
                keyLabels.put(e.key().substring("key_labels.".length()), e.scalar());
            } else if (e.key().startsWith("methods.")) {
                methods.put(e.key().substring("methods.".length()), e.scalar());
            }
        }
        List<String> settingKeys = entries.containsKey("setting_keys")
                ? new ArrayList<>(entries.get("setting_keys").values()) : List.of();
        String paperFile = scalar(entries, "paper", null, source);
        PaperValues paper = paperFile == null ? PaperValues.NONE : PaperValues.resource(RESOURCE_DIR + paperFile);
        return new ProblemProfile(problem, scalar(entries, "title", problem, source),
                scalar(entries, "objective", g.objective(), source),
                scalar(entries, "objective_label", g.objectiveLabel(), source),
                Boolean.parseBoolean(scalar(entries, "maximize", "true", source).toLowerCase(Locale.ROOT)),
                scalar(entries, "x_column", g.xColumn(), source),
                SelectionRule.parse(scalar(entries, "rule", g.rule().id(), source), source + " rule"),
                Integer.parseInt(scalar(entries, "window", "1000", source)),
                Integer.parseInt(scalar(entries, "rolling", "1", source)),
                entries.containsKey("method_key") ? entries.get("method_key").values() : g.methodKeys(), settingKeys,
                keyLabels, methods, paper,
                scalar(entries, "paper_source", null, source),
                entries.containsKey("file_keys") ? entries.get("file_keys").values() : List.of());
    }

    /**
     * How to show a key: its label, or the key itself.
     *
     * @param key a config key
     * @return the label
     */
    public String keyLabel(String key) {
        return keyLabels.getOrDefault(key, key);
    }

    /**
     * How to show a key's value in tables and figures: a file key's value by the file's name, any other as it is.
     *
     * @param key a config key
     * @param value its value, as text
     * @return the label
     */
    public String valueLabel(String key, String value) {
        if (value == null || !fileKeys.contains(key)) {
            return value;
        }
        try {
            Path name = Path.of(value).getFileName();
            return name == null ? value : name.toString();
        } catch (InvalidPathException e) {
            return value;
        }
    }

    /**
     * How to show a setting's values, in order ({@link #valueLabel}).
     *
     * @param setting values by key
     * @return the labels
     */
    public List<String> valueLabels(Map<String, String> setting) {
        List<String> out = new ArrayList<>();
        setting.forEach((k, v) -> out.add(valueLabel(k, v)));
        return out;
    }

    /**
     * How to show a method: its name, or the id itself.
     *
     * @param id a method id
     * @return the name
     */
    public String methodLabel(String id) {
        return methods.getOrDefault(id, id);
    }

    /**
     * The position of a method in the display order (unknown methods after the known ones).
     *
     * @param id a method id
     * @return the rank
     */
    public int methodRank(String id) {
        int i = 0;
        for (String m : methods.keySet()) {
            if (m.equals(id)) {
                return i;
            }
            i++;
        }
        return Integer.MAX_VALUE;
    }

    private static String scalar(Map<String, FlatYaml.Entry> entries, String key, String fallback, String source) {
        FlatYaml.Entry e = entries.get(key);
        if (e == null || e.scalar() == null) {
            if (fallback == null && key.equals("problem")) {
                throw new ConfigException(key, source + ": problem is missing");
            }
            return fallback;
        }
        return e.scalar();
    }
}
