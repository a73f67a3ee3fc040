package dev.bilevel.experiments.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Where the axes of a learning-curve chart end, so that the reader finds a labelled tick at each end of the run and at
 * zero. XChart puts ticks at the multiples of a step of 1, 2 or 5 times a power of ten and labels those inside the
 * axis. The iteration axis therefore runs from 0 to a round number {@code c·10ᵉ} at or just beyond the last
 * iteration ({@link #roundUp}), which every step up to {@code 10ᵉ} divides: 9,999 iterations end on a 10,000 tick,
 * 1,999 on 2,000, 499 on 500. The value axis starts (or ends) at 0 when the data come within
 * {@value #TOUCH_SHARE} of their span of 0; when they cross it, 0 is a multiple of the step and labelled anyway.
 *
 * <p>When every abscissa of a chart is equally spaced (every iteration of a run), XChart instead puts ticks only at
 * every k-th abscissa, which misses the end (484 on a 500-iteration run). The first series of the chart is therefore
 * a hidden one through the axis's two ends, the far end first, which keeps the abscissae from looking equally
 * spaced.
 */
final class AxisBounds {

    /** The name of the hidden series through the axis ends. */
    static final String ENDS = "axis ends";
    /** How close to 0, as a share of the data's span, counts as touching it. */
    static final double TOUCH_SHARE = 0.05;

    private AxisBounds() {
    }

    /**
     * The smallest {@code c·10ᵉ ≥ v} with {@code c} a whole number from 1 to 10 and {@code 10ᵉ ≤ v}: 1,999 → 2,000,
     * 9,999 → 10,000, 450 → 500, 2,000 → 2,000, 2,001 → 3,000.
     *
     * @param v a positive number
     * @return the round number
     */
    static double roundUp(double v) {
        double power = Math.pow(10, Math.floor(Math.log10(v)));
        return Math.ceil(v / power - 1e-9) * power;
    }

    /**
     * Sets the chart's axis ends for data in the given ranges (finite, as drawn), before any series is added.
     *
     * @param chart the chart
     * @param minX the smallest abscissa
     * @param maxX the largest abscissa
     * @param minY the smallest ordinate (band edges and reference lines included)
     * @param maxY the largest ordinate
     */
    static void fit(XYChart chart, double minX, double maxX, double minY, double maxY) {
        double start = minX;
        double end = maxX;
        if (minX >= 0 && maxX > 0) {
            start = 0.0;
            end = roundUp(maxX);
            chart.getStyler().setXAxisMin(start).setXAxisMax(end);
        }
        XYSeries ends = chart.addSeries(ENDS, new double[] {end, start}, new double[] {minY, minY});
        ends.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        ends.setMarker(SeriesMarkers.NONE);
        ends.setShowInLegend(false);
        double span = maxY - minY;
        if (minY > 0 && minY <= TOUCH_SHARE * span) {
            chart.getStyler().setYAxisMin(0.0);
        } else if (maxY < 0 && -maxY <= TOUCH_SHARE * span) {
            chart.getStyler().setYAxisMax(0.0);
        }
    }
}
