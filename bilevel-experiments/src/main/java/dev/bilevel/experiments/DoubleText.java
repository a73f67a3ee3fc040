package dev.bilevel.experiments;

import tools.jackson.core.io.NumberOutput;

/**
 * Doubles as text for every file this module writes: the shortest decimal that reads back (with
 * {@link Double#parseDouble}, Python's {@code float}, any correct parser) as the very same double, in
 * the layout of {@link Double#toString(double)}: {@code 0.1}, {@code 1.0E-4}, {@code 1.0E23},
 * {@code -0.0}, {@code NaN}, {@code Infinity}.
 *
 * <p>Why not {@code Double.toString} itself: on Java 17 it sometimes prints more digits than needed
 * ({@code 1e23} as {@code 9.999999999999999E22}, about 0.3 % of random doubles); Java 19 fixed that.
 * Both read back exactly, but files, and the config hashes used as trial ids, would then differ between
 * JDKs. This uses the same algorithm as Java 19+ (Schubfach, as shipped in jackson-core), so the text is
 * identical on every JDK and equals {@code Double.toString} from Java 19 on.
 */
public final class DoubleText {

    private DoubleText() {
    }

    /**
     * Formats {@code x}.
     *
     * @param x any double
     * @return the shortest exact text
     */
    public static String format(double x) {
        return NumberOutput.toString(x, true);
    }
}
