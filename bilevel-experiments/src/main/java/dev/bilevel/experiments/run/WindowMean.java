package dev.bilevel.experiments.run;

/** The mean of the non-NaN values added (a summary's last-window mean; evaluation-free rows hold NaN). */
public final class WindowMean {

    private double sum;
    private int count;

    /** Adds {@code v} unless it is NaN. */
    public void add(double v) {
        if (!Double.isNaN(v)) {
            sum += v;
            count++;
        }
    }

    /** The mean so far, NaN when nothing was added. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }
}
