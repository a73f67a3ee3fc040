package dev.bilevel.experiments.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The keys a job accepts, with types, constraints, defaults and descriptions; resolves a
 * {@link ResolvedConfig} from a YAML file, command-line options and {@code key=value} overrides.
 *
 * <pre>{@code
 * ConfigSchema schema = ConfigSchema.builder()
 *     .string("problem", "four-rooms", "problem name")
 *     .choice("method", "bchg", List.of("bchg", "naive"), "leader method")
 *     .real("reg_lambda", 0.003, Bound.POSITIVE, "follower temperature")
 *     .integer("samples", 100, 1, Integer.MAX_VALUE, "trajectories per leader step")
 *     .longInt("seed", 0L, "master seed")
 *     .realOrNull("follower.tolerance", Bound.POSITIVE, "solver tolerance; null for the solver's own")
 *     .build();
 * ResolvedConfig config = schema.resolve(Path.of("run.yaml"), List.of("seed=3"), Map.of("samples", 50));
 * }</pre>
 *
 * <h2>Keys</h2>
 * Keys are snake_case, possibly dotted for nesting ({@code follower.solver}). In a YAML file a dotted key
 * may be written nested ({@code follower: {solver: newton}}) or flat ({@code follower.solver: newton}).
 * A key cannot be both a value and the prefix of other keys.
 *
 * <h2>Precedence</h2>
 * Later sources win, key by key: <b>defaults &lt; file &lt; command-line options &lt; {@code key=value}
 * overrides</b>. Within the file, a file named by {@code extends:} is applied first and the extending file
 * overrides it; within the overrides, a later one wins. Every value is validated as it is applied, so a
 * bad value is an error even if a later source would replace it.
 *
 * <h2>Errors</h2>
 * Every problem with user input (unknown key, bad value, malformed override, missing or malformed file)
 * is a {@link ConfigException} with a one-line message naming the key. Problems in the caller's code
 * (an undeclared key in {@code cliValues}) are {@link IllegalArgumentException}s.
 */
public final class ConfigSchema {

    /** The reserved top-level key of a config file naming a base file, relative to the file. */
    public static final String EXTENDS = "extends";

    private final List<ConfigKey> keys;
    private final Map<String, ConfigKey> byName;

    private ConfigSchema(List<ConfigKey> keys) {
        this.keys = List.copyOf(keys);
        Map<String, ConfigKey> map = new LinkedHashMap<>();
        for (ConfigKey key : keys) {
            if (map.put(key.name(), key) != null) {
                throw new IllegalArgumentException("config key '" + key.name() + "' declared twice");
            }
        }
        for (String name : map.keySet()) {
            for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
                if (map.containsKey(name.substring(0, dot))) {
                    throw new IllegalArgumentException("config key '" + name.substring(0, dot)
                            + "' is both a value and the prefix of '" + name + "'");
                }
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /**
     * Starts a declaration.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The declared keys in declaration order.
     *
     * @return an unmodifiable list
     */
    public List<ConfigKey> keys() {
        return keys;
    }

    /**
     * Looks a key up.
     *
     * @param name the key name
     * @return the key, or empty if not declared
     */
    public Optional<ConfigKey> key(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Whether a key is declared.
     *
     * @param name the key name
     * @return {@code true} if declared
     */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * The configuration with every key at its default.
     *
     * @return the defaults
     */
    public ResolvedConfig defaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : keys) {
            values.put(key.name(), key.defaultValue());
        }
        return new ResolvedConfig(this, values);
    }

    /**
     * The scalar value a config file (with the files it extends) gives {@code key}, without
     * validating anything else: how a command learns which schema applies (e.g. {@code problem}).
     *
     * @param file the YAML config file
     * @param key a top-level or dotted key
     * @return the value as written, or empty when the file does not set it
     * @throws ConfigException if a file is missing, unreadable or malformed
     */
    public static Optional<String> peek(Path file, String key) {
        String value = null;
        for (YamlConfigReader.Entry entry : YamlConfigReader.read(file)) {
            if (entry.key().equals(key) && entry.shape() == YamlConfigReader.Shape.SCALAR) {
                value = entry.text();
            }
        }
        return Optional.ofNullable(value);
    }

    /**
     * Resolves defaults, then the file (if any), then the overrides.
     *
     * @param yamlFileOrNull a YAML config file, or {@code null} for none
     * @param overrides {@code key=value} strings, applied in order; {@code null} for none
     * @return the validated configuration
     * @throws ConfigException on any problem with the file or the overrides
     * @see #resolve(Path, List, Map)
     */
    public ResolvedConfig resolve(Path yamlFileOrNull, List<String> overrides) {
        return resolve(yamlFileOrNull, overrides, Map.of());
    }

    /**
     * Resolves defaults &lt; file &lt; command-line option values &lt; {@code key=value} overrides.
     *
     * <p>{@code overrides} are strings {@code key=value}: the key is everything before the first
     * {@code =} (surrounding blanks removed), the value everything after it, parsed by the key's type
     * like a YAML scalar ({@code lr=1e-3}, {@code verbose=true}, {@code name=four rooms}; for a
     * nullable key {@code tol=null} or {@code tol=} means null).
     *
     * @param yamlFileOrNull a YAML config file, or {@code null} for none
     * @param overrides {@code key=value} strings, applied in order; {@code null} for none
     * @param cliValues values of the command-line options the user actually gave, keyed by config key:
     *     typed Java values ({@code Double}, {@code Integer}, {@code Long}, {@code Boolean},
     *     {@code String}, or {@code null} for a nullable key), or strings parsed like overrides; applied in
     *     the map's iteration order; {@code null} for none
     * @return the validated configuration
     * @throws ConfigException on any problem with the file, an option value or an override
     * @throws IllegalArgumentException if {@code cliValues} names an undeclared key (a programming error)
     */
    public ResolvedConfig resolve(Path yamlFileOrNull, List<String> overrides, Map<String, ?> cliValues) {
        Map<String, Object> values = new LinkedHashMap<>(defaults().asMap());
        if (yamlFileOrNull != null) {
            for (YamlConfigReader.Entry entry : YamlConfigReader.read(yamlFileOrNull)) {
                applyFileEntry(values, entry);
            }
        }
        if (cliValues != null) {
            for (Map.Entry<String, ?> e : cliValues.entrySet()) {
                ConfigKey key = byName.get(e.getKey());
                if (key == null) {
                    throw new IllegalArgumentException("command-line value for undeclared config key '"
                            + e.getKey() + "'");
                }
                values.put(key.name(), ValueParser.fromObject(key, e.getValue(), null));
            }
        }
        if (overrides != null) {
            for (String override : overrides) {
                int eq = override.indexOf('=');
                String name = eq < 0 ? "" : override.substring(0, eq).strip();
                if (name.isEmpty()) {
                    throw new ConfigException(null, "override '" + override + "' is malformed, expected key=value");
                }
                ConfigKey key = require(name, null);
                values.put(name, ValueParser.fromText(key, override.substring(eq + 1), null));
            }
        }
        return new ResolvedConfig(this, values);
    }

    private void applyFileEntry(Map<String, Object> values, YamlConfigReader.Entry entry) {
        ConfigKey key = byName.get(entry.key());
        if (key == null) {
            // A group prefix given as null ("follower:" with every child commented out) sets nothing.
            boolean isGroup = byName.keySet().stream().anyMatch(n -> n.startsWith(entry.key() + "."));
            if (isGroup && entry.shape() == YamlConfigReader.Shape.NULL) {
                return;
            }
            if (isGroup) {
                throw ValueParser.error(entry.key(), "expected a mapping of its keys ("
                        + byName.keySet().stream().filter(n -> n.startsWith(entry.key() + "."))
                                .collect(Collectors.joining(", ")) + ")", entry.origin());
            }
            // A mapping under a value key ("problem: {name: x}") flattens to "problem.name".
            for (int dot = entry.key().lastIndexOf('.'); dot > 0; dot = entry.key().lastIndexOf('.', dot - 1)) {
                ConfigKey parent = byName.get(entry.key().substring(0, dot));
                if (parent != null) {
                    throw ValueParser.error(parent, "expected " + ValueParser.expected(parent) + ", got a mapping",
                            entry.origin());
                }
            }
            key = require(entry.key(), entry.origin()); // throws: unknown key, with a suggestion
        }
        Object value = switch (entry.shape()) {
            case SCALAR -> ValueParser.fromText(key, entry.text(), entry.origin());
            case NULL -> ValueParser.fromText(key, null, entry.origin());
            case LIST -> throw ValueParser.error(key, "expected " + ValueParser.expected(key) + ", got a list",
                    entry.origin());
        };
        values.put(key.name(), value);
    }

    /**
     * The declared key {@code name}, or a {@link ConfigException} with a suggestion.
     *
     * @param name the key as the user wrote it
     * @param origin where it was written (for messages), or {@code null}
     */
    ConfigKey require(String name, String origin) {
        ConfigKey key = byName.get(name);
        if (key != null) {
            return key;
        }
        String suggestion = KeySuggestions.suggest(name, byName.keySet())
                .map(s -> " (did you mean '" + s + "'?)").orElse("");
        throw new ConfigException(name, "unknown config key '" + name + "'"
                + (origin == null ? "" : " in " + origin) + suggestion);
    }

    /**
     * A table of the keys for {@code --help}-style listings: columns key, type, default, description,
     * one row per key in declaration order, separated by two spaces, ending with a newline.
     *
     * @return the table
     */
    public String describe() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"key", "type", "default", "description"});
        for (ConfigKey key : keys) {
            rows.add(new String[] {key.name(), key.typeDescription(),
                    YamlConfigWriter.scalar(key.defaultValue()), key.description()});
        }
        int[] width = new int[3];
        for (String[] row : rows) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < width.length; c++) {
                line.append(row[c]).append(" ".repeat(width[c] - row[c].length() + 2));
            }
            line.append(row[3]);
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigSchema other && keys.equals(other.keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }

    @Override
    public String toString() {
        return "ConfigSchema" + byName.keySet();
    }

    /**
     * Declares keys one by one, in the order {@link ResolvedConfig#toYaml()} and {@link #describe()} list
     * them. Declaration mistakes (a bad name, a default outside its own bounds) throw
     * {@link IllegalArgumentException}.
     */
    public static final class Builder {

        private final List<ConfigKey> keys = new ArrayList<>();

        private Builder() {
        }

        /**
         * Declares a real key with any finite value.
         *
         * @param name the key
         * @param defaultValue the default
         * @param description one line for listings
         * @return this builder
         */
        public Builder real(String name, double defaultValue, String description) {
            return real(name, defaultValue, Bound.FINITE, description);
        }

        /**
         * Declares a real key.
         *
         * @param name the key
         * @param defaultValue the default, which must satisfy {@code bound}
         * @param bound the allowed interval
         * @param description one line for listings
         * @return this builder
         */
        public Builder real(String name, double defaultValue, Bound bound, String description) {
            return add(new ConfigKey(name, ValueType.REAL, defaultValue, false, Objects.requireNonNull(bound),
                    0, 0, List.of(), description));
        }

        /**
         * Declares a nullable real key (default {@code null}); read it with {@link ResolvedConfig#optionalReal}.
         *
         * @param name the key
         * @param bound the allowed interval for non-null values
         * @param description one line for listings
         * @return this builder
         */
        public Builder realOrNull(String name, Bound bound, String description) {
            return add(new ConfigKey(name, ValueType.REAL, null, true, Objects.requireNonNull(bound), 0, 0,
                    List.of(), description));
        }

        /**
         * Declares an int key with any value.
         *
         * @param name the key
         * @param defaultValue the default
         * @param description one line for listings
         * @return this builder
         */
        public Builder integer(String name, int defaultValue, String description) {
            return integer(name, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE, description);
        }

        /**
         * Declares an int key within {@code [min, max]}.
         *
         * @param name the key
         * @param defaultValue the default, within the range
         * @param min the smallest allowed value
         * @param max the largest allowed value
         * @param description one line for listings
         * @return this builder
         */
        public Builder integer(String name, int defaultValue, int min, int max, String description) {
            return add(new ConfigKey(name, ValueType.INTEGER, defaultValue, false, null, min, max, List.of(),
                    description));
        }

        /**
         * Declares a nullable int key within {@code [min, max]} (default {@code null}); read it with
         * {@link ResolvedConfig#optionalInteger}.
         *
         * @param name the key
         * @param min the smallest allowed value
         * @param max the largest allowed value
         * @param description one line for listings
         * @return this builder
         */
        public Builder integerOrNull(String name, int min, int max, String description) {
            return add(new ConfigKey(name, ValueType.INTEGER, null, true, null, min, max, List.of(), description));
        }

        /**
         * Declares a long key with any value (seeds).
         *
         * @param name the key
         * @param defaultValue the default
         * @param description one line for listings
         * @return this builder
         */
        public Builder longInt(String name, long defaultValue, String description) {
            return longInt(name, defaultValue, Long.MIN_VALUE, Long.MAX_VALUE, description);
        }

        /**
         * Declares a long key within {@code [min, max]}.
         *
         * @param name the key
         * @param defaultValue the default, within the range
         * @param min the smallest allowed value
         * @param max the largest allowed value
         * @param description one line for listings
         * @return this builder
         */
        public Builder longInt(String name, long defaultValue, long min, long max, String description) {
            return add(new ConfigKey(name, ValueType.LONG, defaultValue, false, null, min, max, List.of(),
                    description));
        }

        /**
         * Declares a nullable long key within {@code [min, max]} (default {@code null}); read it with
         * {@link ResolvedConfig#optionalLong}.
         *
         * @param name the key
         * @param min the smallest allowed value
         * @param max the largest allowed value
         * @param description one line for listings
         * @return this builder
         */
        public Builder longIntOrNull(String name, long min, long max, String description) {
            return add(new ConfigKey(name, ValueType.LONG, null, true, null, min, max, List.of(), description));
        }

        /**
         * Declares a string key.
         *
         * @param name the key
         * @param defaultValue the default
         * @param description one line for listings
         * @return this builder
         */
        public Builder string(String name, String defaultValue, String description) {
            return add(new ConfigKey(name, ValueType.STRING, Objects.requireNonNull(defaultValue), false, null, 0, 0,
                    List.of(), description));
        }

        /**
         * Declares a nullable string key (default {@code null}); read it with
         * {@link ResolvedConfig#optionalString}.
         *
         * @param name the key
         * @param description one line for listings
         * @return this builder
         */
        public Builder stringOrNull(String name, String description) {
            return add(new ConfigKey(name, ValueType.STRING, null, true, null, 0, 0, List.of(), description));
        }

        /**
         * Declares a key whose value is one of a fixed set of strings; read it with
         * {@link ResolvedConfig#string}.
         *
         * @param name the key
         * @param defaultValue the default, one of {@code choices}
         * @param choices the allowed values, in the order messages list them
         * @param description one line for listings
         * @return this builder
         */
        public Builder choice(String name, String defaultValue, List<String> choices, String description) {
            return add(new ConfigKey(name, ValueType.CHOICE, Objects.requireNonNull(defaultValue), false, null, 0, 0,
                    choices, description));
        }

        /**
         * Declares a boolean key.
         *
         * @param name the key
         * @param defaultValue the default
         * @param description one line for listings
         * @return this builder
         */
        public Builder bool(String name, boolean defaultValue, String description) {
            return add(new ConfigKey(name, ValueType.BOOLEAN, defaultValue, false, null, 0, 0, List.of(),
                    description));
        }

        /**
         * Adds an already built key (for schemas assembled from parts).
         *
         * @param key the key
         * @return this builder
         */
        public Builder add(ConfigKey key) {
            keys.add(Objects.requireNonNull(key));
            return this;
        }

        /**
         * Declares a group of keys that several schemas share, in place.
         *
         * @param group declares its keys on the builder it is given and returns it
         * @return this builder
         */
        public Builder with(UnaryOperator<Builder> group) {
            return Objects.requireNonNull(group.apply(this), "group");
        }

        /**
         * Finishes the declaration.
         *
         * @return the schema
         * @throws IllegalArgumentException if a key is declared twice or is both a value and a prefix
         */
        public ConfigSchema build() {
            return new ConfigSchema(keys);
        }
    }
}
