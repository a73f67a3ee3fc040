package org.knowm.xchart.internal.chartpart;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * The tick labels XChart draws on a chart's axes. XChart computes them while it paints and keeps them to itself, so
 * this test helper lives in its package: it paints the chart off-screen and keeps the labels XChart would draw, those
 * inside the axis.
 */
public final class DrawnTicks {

    private DrawnTicks() {
    }

    /**
     * The labels of the x axis, left to right.
     *
     * @param chart the chart
     * @return the labels drawn
     */
    public static List<String> x(XYChart chart) {
        BitmapEncoder.getBufferedImage(chart);
        Axis_<?, ?> axis = ((AxesChart<?, ?>) chart).getXAxis();
        return inside(axis, axis.getBounds().getWidth());
    }

    /**
     * The labels of the y axis, bottom to top.
     *
     * @param chart the chart
     * @return the labels drawn
     */
    public static List<String> y(XYChart chart) {
        BitmapEncoder.getBufferedImage(chart);
        Axis_<?, ?> axis = ((AxesChart<?, ?>) chart).getYAxis();
        return inside(axis, axis.getBounds().getHeight());
    }

    private static List<String> inside(Axis_<?, ?> axis, double length) {
        AxisTickCalculator ticks = axis.getAxisTickCalculator();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < ticks.getTickLabels().size(); i++) {
            double at = ticks.getTickLocations().get(i);
            if (ticks.getTickLabels().get(i) != null && at > 0 && at < length) {
                labels.add(ticks.getTickLabels().get(i));
            }
        }
        return labels;
    }
}
