package dev.bilevel.experiments.config;

import dev.bilevel.experiments.DoubleText;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a {@link ResolvedConfig} as canonical YAML: every key in schema declaration order, dotted keys
 * nested into mappings by prefix (a prefix's mapping appears where its first key was declared), two
 * spaces of indentation, {@code \n} line ends.
 *
 * <p>Scalars: reals with {@link DoubleText#format(double)} (reads back to the same double, same text on
 * every JDK), integers in
 * decimal, booleans {@code true}/{@code false}, null as {@code null}; strings plain when that cannot be
 * misread ({@code four-rooms}, {@code docs/x.json}) and double-quoted with escapes otherwise
 * ({@code "true"}, {@code "0.1"}, {@code "a b"}, {@code ""}).
 */
final class YamlConfigWriter {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./+\\-]*");
    private static final Set<String> RESERVED = Set.of("true", "false", "yes", "no", "on", "off", "y", "n",
            "null", "nan", "inf", "infinity");

    private YamlConfigWriter() {
    }

    static String write(ResolvedConfig config) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (ConfigKey key : config.schema().keys()) {
            insert(tree, key.name().split("\\."), 0, config.value(key.name()));
        }
        StringBuilder out = new StringBuilder();
        write(tree, 0, out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void insert(Map<String, Object> node, String[] path, int i, Object value) {
        if (i == path.length - 1) {
            node.put(path[i], new Leaf(value));
            return;
        }
        Map<String, Object> child =
                (Map<String, Object>) node.computeIfAbsent(path[i], k -> new LinkedHashMap<String, Object>());
        insert(child, path, i + 1, value);
    }

    @SuppressWarnings("unchecked")
    private static void write(Map<String, Object> node, int depth, StringBuilder out) {
        for (Map.Entry<String, Object> e : node.entrySet()) {
            out.append("  ".repeat(depth)).append(e.getKey()).append(':');
            if (e.getValue() instanceof Leaf leaf) {
                out.append(' ').append(scalar(leaf.value())).append('\n');
            } else {
                out.append('\n');
                write((Map<String, Object>) e.getValue(), depth + 1, out);
            }
        }
    }

    /** Boxes leaf values so that a null value is distinguishable from a missing child mapping. */
    private record Leaf(Object value) {
    }

    static String scalar(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double d) {
            return DoubleText.format(d);
        }
        if (value instanceof String s) {
            return string(s);
        }
        return value.toString(); // Integer, Long, Boolean
    }

    private static String string(String s) {
        if (PLAIN.matcher(s).matches() && !RESERVED.contains(s.toLowerCase(Locale.ROOT))) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    // Control characters and the line/paragraph separators YAML treats as line breaks.
                    if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
