package dev.bilevel.experiments.diagnose;

import dev.bilevel.experiments.stats.SampleStat;

/**
 * How repeated estimates {@code ĝ_1 … ĝ_R} of one estimator at one budget compare with the exact
 * hypergradient {@code g}. Relative quantities divide by {@code ‖g‖} (or {@code ‖g‖²}) and are NaN when
 * {@code g = 0}.
 *
 * <p>The parts add up: {@code relativeMse = bias² + (R − 1)/R · normalizedVariance}, the usual
 * mean-squared-error decomposition with the unbiased covariance estimate.
 *
 * @param cosine mean over repeats of {@code cos(ĝ_r, g)} ({@code 0} for an estimate that is exactly zero)
 * @param relativeError mean of {@code ‖ĝ_r − g‖/‖g‖}
 * @param bias {@code ‖ḡ − g‖/‖g‖} with {@code ḡ} the mean estimate; even an unbiased estimator shows
 *     about {@link #biasFloor()} here
 * @param biasFloor {@code √(tr Σ̂/R)/‖g‖}: the root-mean-square size of {@code ‖ḡ − E ĝ‖/‖g‖}, the
 *     noise level below which {@link #bias()} is indistinguishable from zero
 * @param totalVariance {@code tr Σ̂}, the trace of the sample covariance over repeats (divisor
 *     {@code R − 1}; NaN for one repeat), in the gradient's units squared
 * @param normalizedVariance {@code tr Σ̂ / ‖g‖²}
 * @param relativeMse mean of {@code ‖ĝ_r − g‖²/‖g‖²}
 */
public record Accuracy(SampleStat cosine, SampleStat relativeError, double bias, double biasFloor,
        double totalVariance, double normalizedVariance, double relativeMse) {

    /**
     * Summarises repeated estimates.
     *
     * @param exact the exact hypergradient {@code g}
     * @param estimates {@code R ≥ 1} estimates, each of {@code g}'s length
     * @return the summary
     */
    public static Accuracy of(double[] exact, double[][] estimates) {
        int repeats = estimates.length;
        if (repeats == 0) {
            throw new IllegalArgumentException("estimates: need at least one");
        }
        int d = exact.length;
        // With g = 0 every relative quantity is undefined: dividing by NaN keeps them NaN (not ∞).
        double norm2 = dot(exact, exact) > 0.0 ? dot(exact, exact) : Double.NaN;
        double norm = Math.sqrt(norm2);
        double[] cosines = new double[repeats];
        double[] errors = new double[repeats];
        double[] mean = new double[d];
        double mse = 0.0;
        for (int r = 0; r < repeats; r++) {
            double[] e = estimates[r];
            if (e.length != d) {
                throw new IllegalArgumentException("estimates[" + r + "]: expected " + d + " entries, got " + e.length);
            }
            double en = Math.sqrt(dot(e, e));
            cosines[r] = Double.isNaN(norm) ? Double.NaN : en == 0.0 ? 0.0 : dot(e, exact) / (en * norm);
            double err2 = 0.0;
            for (int j = 0; j < d; j++) {
                double diff = e[j] - exact[j];
                err2 += diff * diff;
                mean[j] += e[j] / repeats;
            }
            errors[r] = Math.sqrt(err2) / norm;
            mse += err2 / norm2 / repeats;
        }
        double bias2 = 0.0;
        for (int j = 0; j < d; j++) {
            bias2 += (mean[j] - exact[j]) * (mean[j] - exact[j]);
        }
        double trace = Double.NaN;
        if (repeats > 1) {
            trace = 0.0;
            for (double[] e : estimates) {
                for (int j = 0; j < d; j++) {
                    trace += (e[j] - mean[j]) * (e[j] - mean[j]);
                }
            }
            trace /= repeats - 1;
        }
        return new Accuracy(SampleStat.of(cosines), SampleStat.of(errors), Math.sqrt(bias2) / norm,
                Math.sqrt(trace / repeats) / norm, trace, trace / norm2, mse);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
