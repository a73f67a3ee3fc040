package dev.bilevel.experiments.config;

import java.util.Locale;
import java.util.function.Function;

/** Parsing of enum constants by their config identifiers, with one error format for every choice. */
public final class Identifiers {

    private Identifiers() {
    }

    /**
     * The usual config identifier of an enum constant: its name in lower case, {@code _} written {@code -}
     * ({@code VALUE_LSTD} → {@code value-lstd}).
     */
    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} whose identifier ({@link #of}) equals {@code value}.
     *
     * @throws IllegalArgumentException as {@link #parse(Object[], Function, String, String, String)}
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String value, String field, String what) {
        return parse(type.getEnumConstants(), Identifiers::of, value, field, what);
    }

    /**
     * The constant whose identifier equals {@code value}.
     *
     * @param values the constants, in the order the error lists them
     * @param id each constant's identifier
     * @param value the text to parse
     * @param field the config key, named in the error
     * @param what what the constants are ("method", "critic target"), named in the error
     * @throws IllegalArgumentException {@code "FIELD: unknown WHAT 'VALUE', expected a, b or c"}
     */
    public static <E> E parse(E[] values, Function<E, String> id, String value, String field, String what) {
        for (E e : values) {
            if (id.apply(e).equals(value)) {
                return e;
            }
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                expected.append(i == values.length - 1 ? " or " : ", ");
            }
            expected.append(id.apply(values[i]));
        }
        throw new IllegalArgumentException(field + ": unknown " + what + " '" + value + "', expected " + expected);
    }
}
