package dev.bilevel.experiments.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a YAML config file into flat {@code dotted.key -> raw text} entries, following
 * {@code extends:} to base files first. Knows nothing of any schema: checking keys and values is
 * {@link ConfigSchema}'s job.
 *
 * <p>Scalars are kept as their text (a YAML {@code 0.10} stays {@code "0.10"}) so that file values and
 * command-line overrides are parsed by the same rules ({@link ValueParser}).
 */
final class YamlConfigReader {

    /** How a value was written. */
    enum Shape {
        /** A scalar; {@link Entry#text()} holds its text. */
        SCALAR,
        /** An explicit null ({@code key:} with nothing after it, or {@code null}). */
        NULL,
        /** A sequence, which no key accepts. */
        LIST
    }

    /**
     * One flattened value.
     *
     * @param key the dotted key
     * @param text the scalar text, {@code null} unless {@link Shape#SCALAR}
     * @param shape how it was written
     * @param origin {@code config file X, line N}, for messages
     */
    record Entry(String key, String text, Shape shape, String origin) {
    }

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Pattern MARK_LINE = Pattern.compile("in reader, line (\\d+)");

    private YamlConfigReader() {
    }

    /**
     * Reads {@code file} and, before it, the chain of files it extends.
     *
     * @param file the config file as the user named it
     * @return the entries of the most basic file first, then of each file extending it; within a
     *     file, in file order
     * @throws ConfigException if a file is missing, unreadable or malformed, if {@code extends} forms a
     *     cycle, or if a file sets a key twice
     */
    static List<Entry> read(Path file) {
        List<Entry> out = new ArrayList<>();
        read(file, null, new ArrayList<>(), out);
        return out;
    }

    private static void read(Path file, Path extendedBy, List<Path> chain, List<Entry> out) {
        Path identity = file.toAbsolutePath().normalize();
        if (chain.contains(identity)) {
            String cycle = chain.subList(chain.indexOf(identity), chain.size()).stream()
                    .map(p -> p.getFileName().toString()).collect(Collectors.joining(" -> "));
            throw new ConfigException("config file " + extendedBy + ": 'extends' cycle " + cycle + " -> "
                    + identity.getFileName());
        }
        chain.add(identity);
        String text = readText(file, extendedBy);
        List<Entry> entries = new ArrayList<>();
        String base = parse(file, text, entries);
        if (base != null) {
            Path parent = file.getParent();
            Path basePath = (parent == null ? Path.of(base) : parent.resolve(base)).normalize();
            read(basePath, file, chain, out);
        }
        chain.remove(chain.size() - 1);
        out.addAll(entries);
    }

    private static String readText(Path file, Path extendedBy) {
        String where = "config file " + file + ": ";
        String suffix = extendedBy == null ? "" : " (extended by " + extendedBy + ")";
        if (Files.isDirectory(file)) {
            throw new ConfigException(where + "is a directory" + suffix);
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(null, where + "not found" + suffix, e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(null, where + "permission denied" + suffix, e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(null, where + "not UTF-8 text" + suffix, e);
        } catch (IOException e) {
            throw new ConfigException(null, where + "cannot read (" + e.getMessage() + ")" + suffix, e);
        }
    }

    /** Parses one file's text into {@code entries}; returns its {@code extends} value or {@code null}. */
    private static String parse(Path file, String text, List<Entry> entries) {
        String[] base = {null};
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null; // empty file, or comments only
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException("config file " + file
                        + ": expected a mapping of keys to values at the top level");
            }
            readMapping(file, p, "", entries, base);
            if (p.nextToken() != null) {
                throw new ConfigException("config file " + file + ": expected a single YAML document");
            }
        } catch (JacksonException e) {
            throw malformed(file, e);
        }
        checkDuplicates(file, entries);
        return base[0];
    }

    private static void readMapping(Path file, JsonParser p, String prefix, List<Entry> entries, String[] base) {
        for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            int line = p.currentTokenLocation().getLineNr();
            String origin = "config file " + file + ", line " + line;
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            JsonToken value = p.nextToken();
            if (prefix.isEmpty() && name.equals(ConfigSchema.EXTENDS)) {
                if (value == JsonToken.VALUE_STRING) {
                    base[0] = p.getString();
                } else if (value != JsonToken.VALUE_NULL) {
                    p.skipChildren();
                    throw new ConfigException(ConfigSchema.EXTENDS, ConfigSchema.EXTENDS
                            + ": expected the path of a config file (" + origin + ")");
                }
                continue;
            }
            switch (value) {
                case START_OBJECT -> readMapping(file, p, key, entries, base);
                case START_ARRAY -> {
                    p.skipChildren();
                    entries.add(new Entry(key, null, Shape.LIST, origin));
                }
                case VALUE_NULL -> entries.add(new Entry(key, null, Shape.NULL, origin));
                default -> entries.add(new Entry(key, p.getString(), Shape.SCALAR, origin));
            }
        }
    }

    private static void checkDuplicates(Path file, List<Entry> entries) {
        Map<String, Entry> seen = new HashMap<>();
        for (Entry e : entries) {
            Entry earlier = seen.putIfAbsent(e.key(), e);
            if (earlier != null) {
                throw new ConfigException(e.key(), e.key() + ": given twice (config file " + file + ", lines "
                        + lineOf(earlier) + " and " + lineOf(e) + ")");
            }
        }
    }

    private static String lineOf(Entry e) {
        return e.origin().substring(e.origin().lastIndexOf(' ') + 1);
    }

    /**
     * {@code config file X: malformed YAML at line N: problem}, using the parser's problem mark (the
     * last "in reader, line N" of a SnakeYAML message) and its unindented message lines.
     */
    private static ConfigException malformed(Path file, JacksonException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        int line = -1;
        Matcher m = MARK_LINE.matcher(message);
        while (m.find()) {
            line = Integer.parseInt(m.group(1));
        }
        if (line < 0 && e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            line = e.getLocation().getLineNr();
        }
        String problem = message.lines()
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(String::strip)
                .collect(Collectors.joining(", "));
        if (problem.isEmpty()) {
            problem = message.strip();
        }
        return new ConfigException(null, "config file " + file + ": malformed YAML"
                + (line > 0 ? " at line " + line : "") + ": " + problem, e);
    }
}
