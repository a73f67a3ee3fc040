package dev.bilevel.experiments.config;

/** The type of a config key's value, and the Java type a {@link ResolvedConfig} stores it as. */
public enum ValueType {
    /** A finite {@code double}, optionally constrained by a {@link Bound}. */
    REAL("real"),
    /** An {@code int} within {@code [min, max]}. */
    INTEGER("integer"),
    /** A {@code long} within {@code [min, max]}; use for seeds. */
    LONG("long"),
    /** Any string. */
    STRING("string"),
    /** One string out of a fixed set. */
    CHOICE("choice"),
    /** {@code true} or {@code false}. */
    BOOLEAN("boolean");

    private final String label;

    ValueType(String label) {
        this.label = label;
    }

    /**
     * The lower-case word used in messages and in {@link ConfigSchema#describe()}.
     *
     * @return the label, e.g. {@code real}
     */
    public String label() {
        return label;
    }
}
