package dev.bilevel.experiments.config;

import dev.bilevel.experiments.DoubleText;

/**
 * An interval constraint on a {@link ValueType#REAL} key. Every real key must be finite in any case;
 * a bound narrows that further.
 *
 * @param lower the lower end, {@code Double.NEGATIVE_INFINITY} for none
 * @param lowerInclusive whether {@code lower} itself is allowed
 * @param upper the upper end, {@code Double.POSITIVE_INFINITY} for none
 * @param upperInclusive whether {@code upper} itself is allowed
 */
public record Bound(double lower, boolean lowerInclusive, double upper, boolean upperInclusive) {

    /** Any finite number. */
    public static final Bound FINITE =
            new Bound(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);
    /** {@code x > 0}. */
    public static final Bound POSITIVE = greaterThan(0);
    /** {@code x >= 0}. */
    public static final Bound NON_NEGATIVE = atLeast(0);

    /**
     * Validates the ends.
     *
     * @param lower the lower end, {@code Double.NEGATIVE_INFINITY} for none
     * @param lowerInclusive whether {@code lower} itself is allowed
     * @param upper the upper end, {@code Double.POSITIVE_INFINITY} for none
     * @param upperInclusive whether {@code upper} itself is allowed
     * @throws IllegalArgumentException if an end is NaN or the interval is empty
     */
    public Bound {
        if (Double.isNaN(lower) || Double.isNaN(upper)) {
            throw new IllegalArgumentException("bound ends must not be NaN");
        }
        if (lower > upper || (lower == upper && !(lowerInclusive && upperInclusive))) {
            throw new IllegalArgumentException("empty bound " + describe(lower, lowerInclusive, upper, upperInclusive));
        }
    }

    /**
     * {@code a <= x <= b}.
     *
     * @param a lower end
     * @param b upper end
     * @return the bound
     */
    public static Bound closed(double a, double b) {
        return new Bound(a, true, b, true);
    }

    /**
     * {@code a <= x < b}, e.g. a discount factor in {@code [0, 1)}.
     *
     * @param a lower end (included)
     * @param b upper end (excluded)
     * @return the bound
     */
    public static Bound closedOpen(double a, double b) {
        return new Bound(a, true, b, false);
    }

    /**
     * {@code x >= a}.
     *
     * @param a lower end (included)
     * @return the bound
     */
    public static Bound atLeast(double a) {
        return new Bound(a, true, Double.POSITIVE_INFINITY, false);
    }

    /**
     * {@code x > a}.
     *
     * @param a lower end (excluded)
     * @return the bound
     */
    public static Bound greaterThan(double a) {
        return new Bound(a, false, Double.POSITIVE_INFINITY, false);
    }

    /**
     * {@code x <= b}.
     *
     * @param b upper end (included)
     * @return the bound
     */
    public static Bound atMost(double b) {
        return new Bound(Double.NEGATIVE_INFINITY, false, b, true);
    }

    /**
     * {@code x < b}.
     *
     * @param b upper end (excluded)
     * @return the bound
     */
    public static Bound lessThan(double b) {
        return new Bound(Double.NEGATIVE_INFINITY, false, b, false);
    }

    /**
     * Whether {@code x} is finite and inside the interval.
     *
     * @param x the value
     * @return {@code true} if allowed
     */
    public boolean contains(double x) {
        if (!Double.isFinite(x)) {
            return false;
        }
        boolean aboveLower = lowerInclusive ? x >= lower : x > lower;
        boolean belowUpper = upperInclusive ? x <= upper : x < upper;
        return aboveLower && belowUpper;
    }

    /**
     * The condition in words, as used after "must be": {@code > 0}, {@code >= 0}, {@code in [0, 1)}, or
     * {@code finite} for {@link #FINITE}.
     *
     * @return the description
     */
    public String describe() {
        return describe(lower, lowerInclusive, upper, upperInclusive);
    }

    private static String describe(double lower, boolean lowerInclusive, double upper, boolean upperInclusive) {
        boolean hasLower = lower != Double.NEGATIVE_INFINITY;
        boolean hasUpper = upper != Double.POSITIVE_INFINITY;
        if (hasLower && hasUpper) {
            return "in " + (lowerInclusive ? "[" : "(") + format(lower) + ", " + format(upper)
                    + (upperInclusive ? "]" : ")");
        }
        if (hasLower) {
            return (lowerInclusive ? ">= " : "> ") + format(lower);
        }
        if (hasUpper) {
            return (upperInclusive ? "<= " : "< ") + format(upper);
        }
        return "finite";
    }

    /** Integral ends print without ".0" ({@code > 0}); others with {@link DoubleText#format(double)}. */
    static String format(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        return DoubleText.format(x);
    }
}
