package dev.bilevel.core.math;

/**
 * Linear and quadratic forms in a stacked vector {@code z = [x; a]} whose two parts live in separate arrays (a state
 * and an action, each at an offset), so callers in hot loops never copy them together. Matrices are flat row-major
 * {@code double[]}; the sums run in increasing index, {@code x} before {@code a}.
 */
public final class StackedForms {

    private StackedForms() {
    }

    /**
     * Writes {@code G·[x; a]}.
     *
     * @param gain {@code G}, {@code rows × (n + l)} row-major
     * @param rows the rows of {@code G}
     * @param n the length of {@code x}
     * @param l the length of {@code a}
     * @param x the first part, from {@code xOffset}
     * @param xOffset where it starts
     * @param a the second part, from {@code aOffset}
     * @param aOffset where it starts
     * @param out receives {@code rows} entries from {@code outOffset}
     * @param outOffset where to write
     */
    public static void affine(double[] gain, int rows, int n, int l, double[] x, int xOffset, double[] a,
            int aOffset, double[] out, int outOffset) {
        int d = n + l;
        for (int r = 0; r < rows; r++) {
            double sum = 0.0;
            for (int j = 0; j < n; j++) {
                sum += gain[r * d + j] * x[xOffset + j];
            }
            for (int k = 0; k < l; k++) {
                sum += gain[r * d + n + k] * a[aOffset + k];
            }
            out[outOffset + r] = sum;
        }
    }

    /**
     * @param form {@code M}, {@code (n + l) × (n + l)} row-major
     * @param n the length of {@code x}
     * @param l the length of {@code a}
     * @param x the first part, from {@code xOffset}
     * @param xOffset where it starts
     * @param a the second part, from {@code aOffset}
     * @param aOffset where it starts
     * @return {@code zᵀMz} at {@code z = [x; a]}
     */
    public static double quadratic(double[] form, int n, int l, double[] x, int xOffset, double[] a, int aOffset) {
        int d = n + l;
        double sum = 0.0;
        for (int i = 0; i < d; i++) {
            double zi = i < n ? x[xOffset + i] : a[aOffset + i - n];
            double row = 0.0;
            for (int j = 0; j < d; j++) {
                row += form[i * d + j] * (j < n ? x[xOffset + j] : a[aOffset + j - n]);
            }
            sum += zi * row;
        }
        return sum;
    }
}
