package dev.bilevel.experiments.diagnose;

import dev.bilevel.experiments.run.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts written as PNG and SVG with XChart. Rendering is off-screen; run with
 * {@code -Djava.awt.headless=true} on machines without a display (the {@code bilevel} launcher does).
 */
final class Plots {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private Plots() {
    }

    /**
     * One line.
     *
     * @param name legend entry
     * @param x abscissae
     * @param y ordinates
     * @param error symmetric error bars, or {@code null}
     * @param dashed draw a dashed line
     */
    record Series(String name, double[] x, double[] y, double[] error, boolean dashed) {
    }

    /**
     * A chart of the given lines. Points that a logarithmic axis cannot show (zero, negative) and
     * non-finite points are left out; on a logarithmic y axis an error bar is shortened to 90% of its
     * point's value so that its lower end stays on the chart. Lines left without points are dropped. A
     * dashed line takes the colour of the solid line listed before it.
     */
    static XYChart chart(String title, String xTitle, String yTitle, boolean logX, boolean logY, List<Series> lines) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(logX).setYAxisLogarithmic(logY).setErrorBarsColorSeriesColor(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setMarkerSize(7);
        double low = Double.POSITIVE_INFINITY;
        double high = 0.0;
        Color[] palette = chart.getStyler().getSeriesColors();
        int colour = -1;
        for (Series line : lines) {
            // A dashed line is a companion of the solid line before it and shares its colour.
            if (!line.dashed() || colour < 0) {
                colour++;
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> es = new ArrayList<>();
            for (int i = 0; i < line.x().length; i++) {
                double x = line.x()[i];
                double y = line.y()[i];
                if (!Double.isFinite(x) || !Double.isFinite(y) || (logX && x <= 0.0) || (logY && y <= 0.0)) {
                    continue;
                }
                double e = line.error() == null || !Double.isFinite(line.error()[i]) ? 0.0 : line.error()[i];
                if (logY) {
                    e = Math.min(e, 0.9 * y);
                }
                xs.add(x);
                ys.add(y);
                low = Math.min(low, y);
                high = Math.max(high, y);
                es.add(e);
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries series = line.error() == null ? chart.addSeries(line.name(), xs, ys)
                    : chart.addSeries(line.name(), xs, ys, es);
            series.setMarker(SeriesMarkers.CIRCLE);
            Color c = palette[colour % palette.length];
            series.setLineColor(c);
            series.setMarkerColor(c);
            if (line.dashed()) {
                series.setLineStyle(SeriesLines.DASH_DASH);
            }
        }
        // Within two decades, label the intermediate ticks of a log axis too; wider ranges would crowd them.
        chart.getStyler().setYAxisLogarithmicDecadeOnly(!(logY && high < 100 * low));
        return chart;
    }

    /**
     * Writes {@code base.png} and {@code base.svg} into {@code dir}, each atomically.
     *
     * @return the two files
     * @throws UncheckedIOException if rendering or writing fails
     */
    static List<Path> write(XYChart chart, Path dir, String base) {
        Path png = dir.resolve(base + ".png");
        Path svg = dir.resolve(base + ".svg");
        try {
            AtomicFiles.write(png, ChartEncoder.getBytes(chart, "png"));
            AtomicFiles.write(svg, ChartEncoder.getBytes(chart, "svg"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render " + base + ": " + e.getMessage(), e);
        }
        return List.of(png, svg);
    }
}
