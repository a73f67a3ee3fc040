package dev.bilevel.cli;

import dev.bilevel.experiments.DoubleText;

/**
 * A one-line JSON object writer for command output: strings, integers, doubles (shortest
 * round-tripping form, the same on every JDK: {@link DoubleText}) and double arrays. Non-finite numbers
 * are written as {@code null}.
 */
final class JsonOutput {

    private final StringBuilder out = new StringBuilder("{");

    JsonOutput field(String name, String value) {
        key(name);
        quote(value);
        return this;
    }

    JsonOutput field(String name, long value) {
        key(name);
        out.append(value);
        return this;
    }

    JsonOutput field(String name, double value) {
        key(name);
        number(value);
        return this;
    }

    JsonOutput field(String name, double[] values) {
        key(name);
        out.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            number(values[i]);
        }
        out.append(']');
        return this;
    }

    private void key(String name) {
        if (out.length() > 1) {
            out.append(',');
        }
        quote(name);
        out.append(':');
    }

    private void number(double v) {
        out.append(Double.isFinite(v) ? DoubleText.format(v) : "null");
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out + "}";
    }
}
