package dev.bilevel.experiments.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The completion marker of a trial directory, {@code trial.json}: written last, inside the directory
 * before it is renamed into place, so a trial directory that exists is whole. It records how the trial
 * ended; the run's own files ({@code config.yaml}, {@code metrics.csv}, …) are beside it, byte for byte as
 * the run wrote them. Its {@code provenance} ({@link dev.bilevel.experiments.run.Provenance#toMap}: build,
 * JVM, OS, the driver's command line, the trial's start, end and wall time) is absent from markers written
 * before it existed; they read with {@code provenance} {@code null}.
 *
 * @param id the full trial id
 * @param status {@link #COMPLETED} or {@link #FAILED}
 * @param error the failure message, {@code null} when completed
 * @param label the trial's grid values ({@code method=bchg samples=100 seed=2})
 * @param seconds wall-clock seconds the run took
 * @param files the run's files, sorted
 * @param provenance where the trial's numbers came from, or {@code null} for an older marker
 */
public record TrialRecord(String id, String status, String error, String label, double seconds, List<String> files,
        Map<String, Object> provenance) {

    /** The trial ran to the end. */
    public static final String COMPLETED = "completed";
    /** The trial threw, diverged or was rejected; {@link #error()} says why. */
    public static final String FAILED = "failed";

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** Validates the status and copies the file list and the provenance. */
    public TrialRecord {
        Objects.requireNonNull(id, "id");
        if (!COMPLETED.equals(status) && !FAILED.equals(status)) {
            throw new IllegalArgumentException("status must be completed or failed, got " + status);
        }
        files = List.copyOf(files);
        provenance = provenance == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** Whether the trial ran to the end. */
    public boolean completed() {
        return COMPLETED.equals(status);
    }

    /** The marker as JSON text, ending with a newline. */
    public String toJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("status", status);
        map.put("error", error);
        map.put("label", label);
        map.put("seconds", Double.isFinite(seconds) ? seconds : null);
        map.put("files", files);
        if (provenance != null) {
            map.put("provenance", provenance);
        }
        return JSON.writeValueAsString(map) + "\n";
    }

    /**
     * Reads a marker.
     *
     * @param json the text of {@code trial.json}
     * @return the record, or {@code null} if the text is not a valid marker
     */
    public static TrialRecord parse(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject() || !node.path("id").isString() || !node.path("status").isString()) {
                return null;
            }
            List<String> files = new ArrayList<>();
            for (JsonNode f : node.path("files")) {
                files.add(f.asString());
            }
            JsonNode error = node.path("error");
            JsonNode label = node.path("label");
            JsonNode seconds = node.path("seconds");
            JsonNode provenance = node.path("provenance");
            Map<String, Object> origin = null;
            if (provenance.isObject()) {
                origin = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : provenance.properties()) {
                    origin.put(e.getKey(), JSON.treeToValue(e.getValue(), Object.class));
                }
            }
            return new TrialRecord(node.get("id").asString(), node.get("status").asString(),
                    error.isString() ? error.asString() : null, label.isString() ? label.asString() : "",
                    seconds.isNumber() ? seconds.asDouble() : Double.NaN, files, origin);
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }
}
