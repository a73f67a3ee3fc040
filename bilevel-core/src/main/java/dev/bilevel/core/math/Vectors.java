package dev.bilevel.core.math;

/** Small operations on flat vectors. */
public final class Vectors {

    private Vectors() {
    }

    /**
     * The cosine of the angle between two vectors, {@code a·b/(‖a‖‖b‖)}.
     *
     * @param a a vector
     * @param b a vector of the same length
     * @return the cosine, in {@code [−1, 1]} up to rounding; NaN when either vector is zero
     * @throws IllegalArgumentException when the lengths differ
     */
    public static double cosine(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of lengths " + a.length + " and " + b.length);
        }
        double dot = 0.0;
        double aa = 0.0;
        double bb = 0.0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return aa == 0.0 || bb == 0.0 ? Double.NaN : dot / Math.sqrt(aa * bb);
    }
}
