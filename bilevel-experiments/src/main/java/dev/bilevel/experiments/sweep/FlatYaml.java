package dev.bilevel.experiments.sweep;

import dev.bilevel.experiments.config.ConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A YAML mapping read as flat entries: nested mappings become dotted keys ({@code follower: {rounds: 5}}
 * is {@code follower.rounds}), scalars keep their text as written ({@code 0.10} stays {@code "0.10"}, so
 * values are parsed by the config rules, not YAML's), and a key may hold a list of scalars. Used for sweep
 * specs, whose keys may be lists (grid axes), and to read the {@code config.yaml} of finished trials.
 */
public final class FlatYaml {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Pattern MARK_LINE = Pattern.compile("line (\\d+)");

    /**
     * One key.
     *
     * @param key the dotted key
     * @param values the scalar texts: one for a scalar, the items of a list; {@code null} stands for a
     *     YAML null
     * @param list whether the value was written as a list
     * @param line the line of the key in the text (1-based)
     */
    public record Entry(String key, List<String> values, boolean list, int line) {

        /** Keeps the values (nulls allowed) unmodifiable. */
        public Entry {
            values = Collections.unmodifiableList(new ArrayList<>(values));
        }

        /**
         * The scalar text.
         *
         * @return the text, or {@code null} for a YAML null
         * @throws IllegalStateException for a list
         */
        public String scalar() {
            if (list) {
                throw new IllegalStateException(key + " is a list");
            }
            return values.get(0);
        }
    }

    private FlatYaml() {
    }

    /**
     * Reads a YAML document whose top level is a mapping.
     *
     * @param text the document
     * @param source what to call it in messages ({@code sweep spec x.yaml})
     * @return the entries in document order
     * @throws ConfigException {@code SOURCE: malformed YAML at line N: …}, for a top level that is not a
     *     mapping, a list holding mappings or lists, or a key given twice
     */
    public static List<Entry> parse(String text, String source) {
        List<Entry> entries = new ArrayList<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return entries;
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException(source + ": expected a mapping of keys to values at the top level");
            }
            readMapping(p, "", entries, source);
            if (p.nextToken() != null) {
                throw new ConfigException(source + ": expected a single YAML document");
            }
        } catch (JacksonException e) {
            String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            int line = -1;
            Matcher m = MARK_LINE.matcher(message);
            while (m.find()) {
                line = Integer.parseInt(m.group(1));
            }
            if (line < 0 && e.getLocation() != null) {
                line = e.getLocation().getLineNr();
            }
            String problem = message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                    .map(String::strip).reduce((a, b) -> a + ", " + b).orElse(message.strip());
            throw new ConfigException(null, source + ": malformed YAML" + (line > 0 ? " at line " + line : "")
                    + ": " + problem, e);
        }
        Map<String, Entry> seen = new HashMap<>();
        for (Entry e : entries) {
            Entry earlier = seen.putIfAbsent(e.key(), e);
            if (earlier != null) {
                throw new ConfigException(e.key(), e.key() + ": given twice (" + source + ", lines " + earlier.line()
                        + " and " + e.line() + ")");
            }
        }
        return entries;
    }

    private static void readMapping(JsonParser p, String prefix, List<Entry> entries, String source) {
        for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            int line = p.currentTokenLocation().getLineNr();
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            JsonToken value = p.nextToken();
            switch (value) {
                case START_OBJECT -> readMapping(p, key, entries, source);
                case START_ARRAY -> {
                    List<String> items = new ArrayList<>();
                    for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken()) {
                        if (item == JsonToken.START_OBJECT || item == JsonToken.START_ARRAY) {
                            throw new ConfigException(key, key + ": list items must be plain values, got a "
                                    + (item == JsonToken.START_OBJECT ? "mapping" : "list") + " (" + source
                                    + ", line " + line + ")");
                        }
                        items.add(item == JsonToken.VALUE_NULL ? null : p.getString());
                    }
                    entries.add(new Entry(key, items, true, line));
                }
                case VALUE_NULL -> entries.add(new Entry(key, Collections.singletonList(null), false, line));
                default -> entries.add(new Entry(key, List.of(p.getString()), false, line));
            }
        }
    }
}
