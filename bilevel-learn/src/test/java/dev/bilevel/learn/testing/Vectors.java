package dev.bilevel.learn.testing;

import java.util.List;

/** Small vector and sample-statistics helpers for tests. */
public final class Vectors {

    private Vectors() {
    }

    public static double dot(double[] a, double[] b) {
        double sum = 0.0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    public static double cosine(double[] a, double[] b) {
        return dot(a, b) / (norm(a) * norm(b));
    }

    public static double[] minus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    public static double maxAbs(double[] a) {
        double m = 0.0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** {@code ‖a − b‖ / ‖b‖}. */
    public static double relativeError(double[] a, double[] b) {
        return norm(minus(a, b)) / norm(b);
    }

    /** Componentwise sample mean of equally long vectors. */
    public static double[] mean(List<double[]> samples) {
        double[] m = new double[samples.get(0).length];
        for (double[] s : samples) {
            for (int j = 0; j < m.length; j++) {
                m[j] += s[j];
            }
        }
        for (int j = 0; j < m.length; j++) {
            m[j] /= samples.size();
        }
        return m;
    }

    /** Componentwise standard error of the mean, {@code sd/√n} with the unbiased sample variance. */
    public static double[] standardError(List<double[]> samples) {
        double[] m = mean(samples);
        double[] var = new double[m.length];
        for (double[] s : samples) {
            for (int j = 0; j < m.length; j++) {
                double dev = s[j] - m[j];
                var[j] += dev * dev;
            }
        }
        int n = samples.size();
        for (int j = 0; j < m.length; j++) {
            var[j] = Math.sqrt(var[j] / (n - 1) / n);
        }
        return var;
    }
}
