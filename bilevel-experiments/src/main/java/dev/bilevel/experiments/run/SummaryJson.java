package dev.bilevel.experiments.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code summary.json} format: one JSON object, pretty-printed with two-space indentation, keys in
 * the map's iteration order (use a {@link java.util.LinkedHashMap}), doubles written like
 * {@link dev.bilevel.experiments.DoubleText#format(double)} (shortest exact text, the same on every
 * JDK), and NaN or infinite numbers (anywhere, also inside lists, arrays and records) written as
 * {@code null}, since JSON has no such numbers.
 */
final class SummaryJson {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER) // Schubfach: shortest digits on every JDK
            .disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private SummaryJson() {
    }

    /**
     * Formats the summary.
     *
     * @param summary the values
     * @return the JSON text, ending with a newline
     */
    static String write(Map<String, ?> summary) {
        JsonNode tree = JSON.valueToTree(summary);
        return JSON.writeValueAsString(nonFiniteToNull(tree)) + "\n";
    }

    /**
     * The {@code status} a summary records.
     *
     * @param text the summary
     * @return its status, or the empty string when it has none
     */
    static String status(String text) {
        return JSON.readTree(text).path("status").asString("");
    }

    /**
     * Adds entries to a summary's text: existing keys keep their place and take the new value, new keys go last.
     *
     * @param existing the summary as written, or {@code null} for none
     * @param entries the entries to add
     * @return the merged JSON text, ending with a newline
     */
    static String merge(String existing, Map<String, ?> entries) {
        ObjectNode tree = existing == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(existing);
        JsonNode added = nonFiniteToNull(JSON.valueToTree(entries));
        added.properties().forEach(e -> tree.set(e.getKey(), e.getValue()));
        return JSON.writeValueAsString(tree) + "\n";
    }

    private static JsonNode nonFiniteToNull(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>(object.propertyNames());
            for (String name : names) {
                JsonNode child = object.get(name);
                if (isNonFinite(child)) {
                    object.putNull(name);
                } else {
                    nonFiniteToNull(child);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (isNonFinite(array.get(i))) {
                    array.setNull(i);
                } else {
                    nonFiniteToNull(array.get(i));
                }
            }
        }
        return node;
    }

    private static boolean isNonFinite(JsonNode node) {
        return node.isFloatingPointNumber() && !node.isBigDecimal() && !Double.isFinite(node.doubleValue());
    }
}
