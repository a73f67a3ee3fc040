package dev.bilevel.experiments.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One key a {@link ConfigSchema} accepts. Declare keys with {@link ConfigSchema.Builder}; this record is
 * what {@link ConfigSchema#keys()} hands back.
 *
 * @param name snake_case name, possibly dotted for nesting ({@code follower.solver}); each segment
 *     matches {@code [a-z][a-z0-9_]*}
 * @param type the value type
 * @param defaultValue the default, stored as the Java type of {@code type} ({@code Double},
 *     {@code Integer}, {@code Long}, {@code String}, {@code Boolean}); {@code null} only when nullable
 * @param nullable whether the value may be {@code null} (unset); nullable keys default to {@code null}
 * @param bound the interval for {@link ValueType#REAL} keys; {@code null} for every other type
 * @param min the smallest allowed value for {@link ValueType#INTEGER} and {@link ValueType#LONG} keys
 *     (0 for other types)
 * @param max the largest allowed value for integer keys (0 for other types)
 * @param choices the allowed values of a {@link ValueType#CHOICE} key; empty for other types
 * @param description one line for {@link ConfigSchema#describe()}
 */
public record ConfigKey(String name, ValueType type, Object defaultValue, boolean nullable, Bound bound,
        long min, long max, List<String> choices, String description) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    /**
     * Validates the declaration, including that the default satisfies the key's own constraints.
     *
     * @param name the key name
     * @param type the value type
     * @param defaultValue the default ({@code null} exactly when nullable)
     * @param nullable whether the value may be null
     * @param bound the interval of a real key, else {@code null}
     * @param min the smallest value of an integer key, else 0
     * @param max the largest value of an integer key, else 0
     * @param choices the values of a choice key, else empty
     * @param description one line for listings
     * @throws IllegalArgumentException on a malformed declaration (a programming error)
     */
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("config key '" + name
                    + "' must be snake_case segments separated by dots, e.g. follower.reg_lambda");
        }
        if (name.equals(ConfigSchema.EXTENDS)) {
            throw new IllegalArgumentException("'" + ConfigSchema.EXTENDS + "' is reserved for config files");
        }
        choices = List.copyOf(choices);
        if ((type == ValueType.REAL) != (bound != null)) {
            throw new IllegalArgumentException(name + ": a bound is given for real keys and only for them");
        }
        if (type == ValueType.INTEGER || type == ValueType.LONG) {
            long lo = type == ValueType.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE;
            long hi = type == ValueType.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
            if (min > max || min < lo || max > hi) {
                throw new IllegalArgumentException(name + ": bad range [" + min + ", " + max + "]");
            }
        } else if (min != 0 || max != 0) {
            throw new IllegalArgumentException(name + ": min and max are for integer keys only");
        }
        if ((type == ValueType.CHOICE) == choices.isEmpty()) {
            throw new IllegalArgumentException(name + ": choices are given for choice keys and only for them");
        }
        if (type == ValueType.CHOICE && choices.stream().distinct().count() != choices.size()) {
            throw new IllegalArgumentException(name + ": duplicate choices " + choices);
        }
        if (nullable && defaultValue != null) {
            throw new IllegalArgumentException(name + ": nullable keys default to null");
        }
        if (!nullable) {
            if (defaultValue == null) {
                throw new IllegalArgumentException(name + ": a default is required");
            }
            Object checked;
            try {
                checked = ValueParser.fromObject(new ConfigKey(name, type, null, true, bound, min, max, choices,
                        description), defaultValue, null);
            } catch (ConfigException e) {
                throw new IllegalArgumentException("bad default: " + e.getMessage(), e);
            }
            if (!checked.equals(defaultValue)) {
                throw new IllegalArgumentException(name + ": default " + defaultValue + " must be a "
                        + checked.getClass().getSimpleName());
            }
        }
    }

    /**
     * The type and its constraint in words, as shown by {@link ConfigSchema#describe()}: {@code real > 0},
     * {@code integer in [1, 10]}, {@code one of bchg, naive}, with {@code " or null"} for nullable keys.
     *
     * @return the description
     */
    public String typeDescription() {
        String text = switch (type) {
            case REAL -> bound.equals(Bound.FINITE) ? "real" : "real " + bound.describe();
            case INTEGER, LONG -> type.label() + rangeSuffix();
            case CHOICE -> "one of " + String.join(", ", choices);
            case STRING, BOOLEAN -> type.label();
        };
        return nullable ? text + " or null" : text;
    }

    /** {@code " >= 1"}, {@code " <= 5"}, {@code " in [1, 10]"}, or empty for the type's whole range. */
    private String rangeSuffix() {
        long lo = type == ValueType.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long hi = type == ValueType.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (min != lo && max != hi) {
            return " in [" + min + ", " + max + "]";
        }
        if (min != lo) {
            return " >= " + min;
        }
        if (max != hi) {
            return " <= " + max;
        }
        return "";
    }
}
