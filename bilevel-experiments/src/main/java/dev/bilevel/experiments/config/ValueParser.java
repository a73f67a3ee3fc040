package dev.bilevel.experiments.config;

import dev.bilevel.experiments.DoubleText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns raw values (text from a YAML scalar or a {@code key=value} override, or Java objects from
 * command-line options) into the typed, validated value a {@link ConfigKey} stores.
 *
 * <p>Text is parsed the same way wherever it comes from, so {@code samples: 1e3} in a file and
 * {@code samples=1e3} on the command line mean the same. Numbers are plain decimals with an optional
 * exponent ({@code 0.003}, {@code 3e-3}, {@code -1.5E+2}); integer keys accept a number written with a
 * fraction or exponent when its value is a whole number ({@code 1e6}). Booleans are {@code true} or
 * {@code false} (any case). For nullable keys the text {@code null}, {@code ~} or the empty string
 * means null.
 */
final class ValueParser {

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Set<String> NON_FINITE =
            Set.of("nan", ".nan", "inf", "+inf", "-inf", ".inf", "+.inf", "-.inf", "infinity", "+infinity",
                    "-infinity");
    private static final Set<String> NULL_TEXT = Set.of("", "null", "~");

    private ValueParser() {
    }

    /**
     * Parses text for {@code key}.
     *
     * @param key the key
     * @param text the raw text, or {@code null} for an explicit null (YAML {@code key:} with no value)
     * @param origin where the text came from, appended to error messages, or {@code null}
     * @return the typed value ({@code null} only for nullable keys)
     * @throws ConfigException if the text does not parse or violates a constraint
     */
    static Object fromText(ConfigKey key, String text, String origin) {
        if (text == null || (key.nullable() && NULL_TEXT.contains(text.strip().toLowerCase(Locale.ROOT)))) {
            return checkNull(key, origin);
        }
        return switch (key.type()) {
            case REAL -> checkReal(key, parseReal(key, text, origin), origin);
            case INTEGER, LONG -> parseInteger(key, text, origin);
            case BOOLEAN -> parseBoolean(key, text, origin);
            case STRING -> text;
            case CHOICE -> checkChoice(key, text, origin);
        };
    }

    /**
     * Converts a Java object (from a command-line option, {@link ResolvedConfig#with}, or a default) for
     * {@code key}. A {@link String} is parsed like {@link #fromText}; numbers must fit the type exactly
     * (an {@code Integer} is fine for a real key, a {@code Double} 2.0 for an integer key, 2.5 is not).
     *
     * @param key the key
     * @param value the value, possibly {@code null}
     * @param origin where the value came from, appended to error messages, or {@code null}
     * @return the typed value
     * @throws ConfigException if the value has the wrong type or violates a constraint
     */
    static Object fromObject(ConfigKey key, Object value, String origin) {
        if (value == null) {
            return checkNull(key, origin);
        }
        if (value instanceof CharSequence text) {
            return fromText(key, text.toString(), origin);
        }
        switch (key.type()) {
            case REAL -> {
                if (value instanceof Number n && !(value instanceof BigDecimal) && !(value instanceof BigInteger)) {
                    double x = n.doubleValue();
                    if (!Double.isFinite(x)) {
                        throw error(key, "expected a finite number, got " + DoubleText.format(x), origin);
                    }
                    return checkReal(key, x, origin);
                }
                if (value instanceof BigDecimal || value instanceof BigInteger) {
                    return fromText(key, value.toString(), origin);
                }
            }
            case INTEGER, LONG -> {
                if (value instanceof Integer || value instanceof Long || value instanceof Short
                        || value instanceof Byte) {
                    return checkInteger(key, BigInteger.valueOf(((Number) value).longValue()), origin);
                }
                if (value instanceof BigInteger b) {
                    return checkInteger(key, b, origin);
                }
                if (value instanceof Double || value instanceof Float) {
                    double x = ((Number) value).doubleValue();
                    if (!Double.isFinite(x) || x != Math.rint(x)) {
                        throw error(key, "expected an integer, got " + DoubleText.format(x), origin);
                    }
                    return checkInteger(key, new BigDecimal(x).toBigIntegerExact(), origin);
                }
                if (value instanceof BigDecimal d) {
                    return fromText(key, d.toString(), origin);
                }
            }
            case BOOLEAN -> {
                if (value instanceof Boolean b) {
                    return b;
                }
            }
            case STRING -> {
                if (value instanceof Number || value instanceof Boolean) {
                    return value.toString();
                }
            }
            case CHOICE -> {
                if (value instanceof Number || value instanceof Boolean) {
                    return checkChoice(key, value.toString(), origin);
                }
            }
            default -> throw new AssertionError(key.type());
        }
        throw error(key, "expected " + expected(key) + ", got " + describe(value), origin);
    }

    /** The exception for a problem with {@code key}'s value: {@code key: problem (origin)}. */
    static ConfigException error(ConfigKey key, String problem, String origin) {
        return error(key.name(), problem, origin);
    }

    /** The exception for a problem with the value of {@code keyName}: {@code key: problem (origin)}. */
    static ConfigException error(String keyName, String problem, String origin) {
        return new ConfigException(keyName, keyName + ": " + problem + (origin == null ? "" : " (" + origin + ")"));
    }

    /** "a number", "an integer", ... for messages. */
    static String expected(ConfigKey key) {
        return switch (key.type()) {
            case REAL -> "a number";
            case INTEGER, LONG -> "an integer";
            case BOOLEAN -> "true or false";
            case STRING -> "a string";
            case CHOICE -> "one of " + String.join(", ", key.choices());
        };
    }

    /** Shows a rejected Java value: numbers and booleans as themselves, containers by kind. */
    static String describe(Object value) {
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof Collection<?> || value.getClass().isArray()) {
            return "a list";
        }
        if (value instanceof Double d) {
            return DoubleText.format(d);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return "a " + value.getClass().getSimpleName();
    }

    /** Shows rejected text: numbers bare ({@code 1.5}), anything else quoted ({@code "abc"}). */
    static String quote(String text) {
        return NUMBER.matcher(text).matches() ? text : "\"" + text + "\"";
    }

    private static Object checkNull(ConfigKey key, String origin) {
        if (!key.nullable()) {
            throw error(key, "a value is required, got null", origin);
        }
        return null;
    }

    private static double parseReal(ConfigKey key, String text, String origin) {
        String t = text.strip();
        if (NUMBER.matcher(t).matches()) {
            double x = Double.parseDouble(t);
            if (Double.isFinite(x)) {
                return x;
            }
            throw error(key, "expected a finite number, got " + t, origin);
        }
        if (NON_FINITE.contains(t.toLowerCase(Locale.ROOT))) {
            throw error(key, "expected a finite number, got " + t, origin);
        }
        throw error(key, "expected a number, got " + quote(text), origin);
    }

    private static double checkReal(ConfigKey key, double x, String origin) {
        if (!key.bound().contains(x)) {
            throw error(key, DoubleText.format(x) + " must be " + key.bound().describe(), origin);
        }
        return x;
    }

    private static Object parseInteger(ConfigKey key, String text, String origin) {
        String t = text.strip();
        if (!NUMBER.matcher(t).matches()) {
            throw error(key, "expected an integer, got " + quote(text), origin);
        }
        BigDecimal d;
        try {
            d = new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException | ArithmeticException e) {
            throw error(key, "expected an integer, got " + quote(text), origin);
        }
        if (d.signum() == 0) {
            return checkInteger(key, BigInteger.ZERO, origin);
        }
        d = d.stripTrailingZeros();
        if (d.scale() > 0) {
            throw error(key, "expected an integer, got " + t, origin);
        }
        // Far outside any long: report without materialising a huge BigInteger (1e999999999).
        if (d.precision() - d.scale() > 40) {
            throw error(key, t + " must be " + rangeConstraint(key, d.signum() < 0), origin);
        }
        return checkInteger(key, d.toBigIntegerExact(), origin);
    }

    private static Object checkInteger(ConfigKey key, BigInteger value, String origin) {
        boolean below = value.compareTo(BigInteger.valueOf(key.min())) < 0;
        boolean above = value.compareTo(BigInteger.valueOf(key.max())) > 0;
        if (below || above) {
            throw error(key, value + " must be " + rangeConstraint(key, below), origin);
        }
        return key.type() == ValueType.INTEGER ? (Object) value.intValueExact() : (Object) value.longValueExact();
    }

    /** What an out-of-range integer violates: the declared interval, or the one end it crossed. */
    private static String rangeConstraint(ConfigKey key, boolean below) {
        long typeMin = key.type() == ValueType.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long typeMax = key.type() == ValueType.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (key.min() != typeMin && key.max() != typeMax) {
            return "in [" + key.min() + ", " + key.max() + "]";
        }
        return below ? ">= " + key.min() : "<= " + key.max();
    }

    private static Boolean parseBoolean(ConfigKey key, String text, String origin) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("true")) {
            return Boolean.TRUE;
        }
        if (t.equals("false")) {
            return Boolean.FALSE;
        }
        throw error(key, "expected true or false, got " + quote(text), origin);
    }

    private static String checkChoice(ConfigKey key, String text, String origin) {
        if (key.choices().contains(text)) {
            return text;
        }
        throw error(key, "unknown value '" + text + "', expected one of " + String.join(", ", key.choices()),
                origin);
    }
}
