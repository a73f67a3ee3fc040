package dev.bilevel.experiments.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * What learning curves go through before they are drawn: a rolling mean, and thinning to a number of points a
 * figure can show.
 */
public final class Curves {

    private Curves() {
    }

    /**
     * The rolling-mean window a run's curve gets when none is asked for: 1% of its iterations (100 for 10,000), at
     * least 1 (none).
     *
     * @param iterations the number of recorded iterations
     * @return the window
     */
    public static int defaultWindow(int iterations) {
        return Math.max(1, iterations / 100);
    }

    /**
     * Rolling mean over {@code window} values, expanding at the start; NaNs are skipped.
     *
     * @param v the values
     * @param window the window (1 or less: a copy)
     * @return the means, one per value
     */
    public static double[] rollingMean(double[] v, int window) {
        if (window <= 1) {
            return v.clone();
        }
        double[] out = new double[v.length];
        double sum = 0.0;
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i])) {
                sum += v[i];
                n++;
            }
            if (i >= window && !Double.isNaN(v[i - window])) {
                sum -= v[i - window];
                n--;
            }
            out[i] = n == 0 ? Double.NaN : sum / n;
        }
        return out;
    }

    /**
     * Every k-th row (and the last) of equally long columns, so that at most {@code maxPoints} + 1 rows remain.
     *
     * @param maxPoints how many rows to aim for
     * @param columns the columns, of one length
     * @return the kept rows of each column, in the order given
     */
    public static double[][] thin(int maxPoints, double[]... columns) {
        int length = columns[0].length;
        int stride = Math.max(1, (length + maxPoints - 1) / maxPoints);
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < length; i += stride) {
            keep.add(i);
        }
        if (length > 0 && keep.get(keep.size() - 1) != length - 1) {
            keep.add(length - 1);
        }
        double[][] out = new double[columns.length][keep.size()];
        for (int c = 0; c < columns.length; c++) {
            for (int k = 0; k < keep.size(); k++) {
                out[c][k] = columns[c][keep.get(k)];
            }
        }
        return out;
    }
}
