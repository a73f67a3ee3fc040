package dev.bilevel.experiments.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A validated configuration: one value for every key of its {@link ConfigSchema}. Immutable; build
 * one with {@link ConfigSchema#resolve} or {@link ConfigSchema#defaults()}, change one with
 * {@link #with(String, Object)}.
 *
 * <p>Typed getters throw {@link IllegalArgumentException} when the key is undeclared, has another type,
 * or (for the non-optional getters) is nullable: those are programming errors, not user errors.
 * {@link #longInt} also reads integer keys and {@link #string} also reads choice keys.
 *
 * <p>Two configs are equal when their schemas are equal and every value is equal (reals compared with
 * {@link Double#equals}, so bit for bit).
 */
public final class ResolvedConfig {

    private final ConfigSchema schema;
    private final Map<String, Object> values;

    /** Takes already validated values, in any order; stores them in declaration order. */
    ResolvedConfig(ConfigSchema schema, Map<String, Object> values) {
        this.schema = schema;
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (ConfigKey key : schema.keys()) {
            ordered.put(key.name(), values.get(key.name()));
        }
        this.values = Collections.unmodifiableMap(ordered);
    }

    /**
     * The schema this configuration follows.
     *
     * @return the schema
     */
    public ConfigSchema schema() {
        return schema;
    }

    /**
     * A real key's value.
     *
     * @param key a non-nullable {@link ValueType#REAL} key
     * @return the value
     */
    public double real(String key) {
        return (Double) required(key, ValueType.REAL, "optionalReal");
    }

    /**
     * An integer key's value.
     *
     * @param key a non-nullable {@link ValueType#INTEGER} key
     * @return the value
     */
    public int integer(String key) {
        return (Integer) required(key, ValueType.INTEGER, "optionalInteger");
    }

    /**
     * A long (or integer) key's value.
     *
     * @param key a non-nullable {@link ValueType#LONG} or {@link ValueType#INTEGER} key
     * @return the value
     */
    public long longInt(String key) {
        return ((Number) required(key, ValueType.LONG, "optionalLong")).longValue();
    }

    /**
     * A string or choice key's value.
     *
     * @param key a non-nullable {@link ValueType#STRING} or {@link ValueType#CHOICE} key
     * @return the value
     */
    public String string(String key) {
        return (String) required(key, ValueType.STRING, "optionalString");
    }

    /**
     * A boolean key's value.
     *
     * @param key a non-nullable {@link ValueType#BOOLEAN} key
     * @return the value
     */
    public boolean bool(String key) {
        return (Boolean) required(key, ValueType.BOOLEAN, null);
    }

    /**
     * A real key's value, empty when null.
     *
     * @param key a {@link ValueType#REAL} key, nullable or not
     * @return the value, or empty
     */
    public OptionalDouble optionalReal(String key) {
        Object v = typed(key, ValueType.REAL);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of((Double) v);
    }

    /**
     * An integer key's value, empty when null.
     *
     * @param key a {@link ValueType#INTEGER} key, nullable or not
     * @return the value, or empty
     */
    public OptionalInt optionalInteger(String key) {
        Object v = typed(key, ValueType.INTEGER);
        return v == null ? OptionalInt.empty() : OptionalInt.of((Integer) v);
    }

    /**
     * A long (or integer) key's value, empty when null.
     *
     * @param key a {@link ValueType#LONG} or {@link ValueType#INTEGER} key, nullable or not
     * @return the value, or empty
     */
    public OptionalLong optionalLong(String key) {
        Object v = typed(key, ValueType.LONG);
        return v == null ? OptionalLong.empty() : OptionalLong.of(((Number) v).longValue());
    }

    /**
     * A string or choice key's value, empty when null.
     *
     * @param key a {@link ValueType#STRING} or {@link ValueType#CHOICE} key, nullable or not
     * @return the value, or empty
     */
    public Optional<String> optionalString(String key) {
        return Optional.ofNullable((String) typed(key, ValueType.STRING));
    }

    /**
     * A key's value as stored: {@code Double}, {@code Integer}, {@code Long}, {@code String},
     * {@code Boolean}, or {@code null}.
     *
     * @param key a declared key
     * @return the value
     */
    public Object value(String key) {
        return values.get(declared(key).name());
    }

    /**
     * A copy with one value changed, validated like a command-line option value.
     *
     * @param key the key; an undeclared key is a {@link ConfigException} with a suggestion, since keys
     *     here often come from user input (sweep axes)
     * @param value the new value: a typed Java value, {@code null} for a nullable key, or a string
     *     parsed like an override
     * @return the modified copy
     * @throws ConfigException if the key is unknown or the value is invalid
     */
    public ResolvedConfig with(String key, Object value) {
        ConfigKey k = schema.require(key, null);
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, ValueParser.fromObject(k, value, null));
        return new ResolvedConfig(schema, copy);
    }

    /**
     * The values in declaration order.
     *
     * @return an unmodifiable map (values may be {@code null} for nullable keys)
     */
    public Map<String, Object> asMap() {
        return values;
    }

    /**
     * The canonical YAML text: every key in declaration order, dotted keys nested into mappings,
     * reals written as the shortest text that reads back exactly ({@link dev.bilevel.experiments.DoubleText},
     * the same on every JDK). {@link ConfigSchema#resolve} of this text gives
     * back an equal config.
     *
     * @return the YAML document, ending with a newline
     */
    public String toYaml() {
        return YamlConfigWriter.write(this);
    }

    /**
     * SHA-256 of the UTF-8 bytes of {@link #toYaml()}, as 64 lower-case hex digits. Equal configs have
     * equal hashes; adding a key to the schema changes every hash.
     *
     * @return the hex digest
     */
    public String stableHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(toYaml().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private ConfigKey declared(String key) {
        return schema.key(key).orElseThrow(() -> new IllegalArgumentException("undeclared config key '" + key + "'"));
    }

    private Object typed(String key, ValueType type) {
        ConfigKey k = declared(key);
        boolean ok = k.type() == type
                || (type == ValueType.LONG && k.type() == ValueType.INTEGER)
                || (type == ValueType.STRING && k.type() == ValueType.CHOICE);
        if (!ok) {
            throw new IllegalArgumentException("config key '" + key + "' is " + k.type().label() + ", not "
                    + type.label());
        }
        return values.get(key);
    }

    private Object required(String key, ValueType type, String optionalGetter) {
        Object v = typed(key, type);
        if (schema.key(key).orElseThrow().nullable()) {
            throw new IllegalArgumentException("config key '" + key + "' is nullable; read it with "
                    + optionalGetter);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolvedConfig other && schema.equals(other.schema) && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, values);
    }

    /** The values as {@code {key=value, ...}}, for debugging. */
    @Override
    public String toString() {
        return values.toString();
    }
}
