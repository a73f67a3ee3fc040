package dev.bilevel.experiments.plot;

import dev.bilevel.experiments.run.AtomicFiles;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts written as PNG and SVG: XChart line charts with error bars ({@link #chart}), learning curves
 * with mean ± band ({@link #bandChart}), single runs' learning curves with their rolling mean
 * ({@link #curveChart}), and any Java2D drawing ({@link #write(Painter, int, int, Path,
 * String)}). Rendering is off-screen; run with {@code -Djava.awt.headless=true} on machines without a
 * display (the {@code bilevel} launcher does).
 */
public final class Plots {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    /** Opacity of a ± SE band: light, so that overlapping bands stay readable. */
    private static final int BAND_ALPHA = 40;
    /** Opacity of a run's per-iteration values under their rolling mean. */
    private static final int VALUES_ALPHA = 90;
    private static final float LINE_WIDTH = 2.5f;
    /** The most points a run's curve is drawn with. */
    private static final int MAX_CURVE_POINTS = 1000;

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
     * @param colour its colour ({@link Palette#method} for a method), or {@code null} for the next of
     *     {@link Palette#ordinal}
     */
    public record Series(String name, double[] x, double[] y, double[] error, boolean dashed, Color colour) {
    }

    /**
     * A chart of the given lines. Points that a logarithmic axis cannot show (zero, negative) and
     * non-finite points are left out; on a logarithmic y axis an error bar is shortened to 90% of its
     * point's value so that its lower end stays on the chart. Lines left without points are dropped. A
     * dashed line without a colour of its own takes the colour of the solid line listed before it; solid lines
     * without one take the {@link Palette#ordinal} colours in order.
     */
    public static XYChart chart(String title, String xTitle, String yTitle, boolean logX, boolean logY, List<Series> lines) {
        XYChart chart = newChart(title, xTitle, yTitle);
        chart.getStyler().setXAxisLogarithmic(logX).setYAxisLogarithmic(logY).setErrorBarsColorSeriesColor(true);
        chart.getStyler().setMarkerSize(7);
        double low = Double.POSITIVE_INFINITY;
        double high = 0.0;
        int next = 0;
        Color previous = Palette.ordinal(0);
        for (Series line : lines) {
            // A dashed line is a companion of the solid line before it and shares its colour.
            Color c = line.colour() != null ? line.colour()
                    : line.dashed() && next > 0 ? previous : Palette.ordinal(next++);
            previous = c;
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
            series.setLineColor(c);
            series.setMarkerColor(c);
            series.setLineWidth(LINE_WIDTH);
            if (line.dashed()) {
                series.setLineStyle(dashed());
            }
        }
        // Within two decades, label the intermediate ticks of a log axis too; wider ranges would crowd them.
        chart.getStyler().setYAxisLogarithmicDecadeOnly(!(logY && high < 100 * low));
        return chart;
    }

    /**
     * A value drawn as a dashed horizontal line with its own legend entry (the paper's number).
     *
     * @param label the legend entry, which says whose number it is: {@code paper: BC-HG 0.545}
     * @param value the value
     */
    public record Reference(String label, double value) {
    }

    /**
     * One learning curve: a mean line with a shaded band of ± one standard error around it.
     *
     * @param name legend entry
     * @param colour the line's colour ({@link Palette#method} for a method, so that it keeps it in every figure)
     * @param x abscissae, increasing
     * @param mean the mean over seeds
     * @param se the standard error over seeds (NaN or 0 where unknown: no band there)
     * @param reference a value to draw as a dashed line of the same colour over the reference range, or
     *     {@code null} for none
     */
    public record Band(String name, Color colour, double[] x, double[] mean, double[] se, Reference reference) {
    }

    /**
     * Learning curves with mean ± SE bands, each in its own colour. Non-finite points are left out. The bands are
     * light and drawn first, so that every mean line lies over every band. Reference values, when given, are dashed
     * lines of the curve's colour from {@code referenceFromX} to the largest abscissa (for instance over the window a
     * table reports), each with its legend entry. The iteration axis ends on a labelled round number at or just
     * beyond the last abscissa, and the value axis shows 0 when the curves reach it ({@link AxisBounds}).
     *
     * @param title chart title
     * @param xTitle x axis title
     * @param yTitle y axis title
     * @param bands the curves
     * @param referenceFromX where reference lines start
     * @return the chart
     */
    public static XYChart bandChart(String title, String xTitle, String yTitle, List<Band> bands,
            double referenceFromX) {
        XYChart chart = newChart(title, xTitle, yTitle);
        Range range = new Range();
        for (Band band : bands) {
            for (int i = 0; i < band.x().length; i++) {
                double e = Double.isFinite(band.se()[i]) ? band.se()[i] : 0.0;
                range.add(band.x()[i], band.mean()[i] - e);
                range.add(band.x()[i], band.mean()[i] + e);
                if (band.reference() != null) {
                    range.add(band.x()[i], band.reference().value());
                }
            }
        }
        if (range.hasData()) {
            AxisBounds.fit(chart, range.minX, range.maxX, range.minY, range.maxY);
        }
        // Bands first, so that every mean line is drawn over every band.
        for (int pass = 0; pass < 3; pass++) {
            for (Band band : bands) {
                Color c = band.colour();
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                List<Double> lows = new ArrayList<>();
                for (int i = 0; i < band.x().length; i++) {
                    double x = band.x()[i];
                    double y = band.mean()[i];
                    if (!Double.isFinite(x) || !Double.isFinite(y)) {
                        continue;
                    }
                    double e = Double.isFinite(band.se()[i]) ? band.se()[i] : 0.0;
                    xs.add(x);
                    ys.add(pass == 0 ? y + e : y);
                    lows.add(y - e);
                }
                if (xs.isEmpty()) {
                    continue;
                }
                if (pass == 0) {
                    List<Double> px = new ArrayList<>(xs);
                    List<Double> py = new ArrayList<>(ys);
                    for (int i = xs.size() - 1; i >= 0; i--) {
                        px.add(xs.get(i));
                        py.add(lows.get(i));
                    }
                    XYSeries area = chart.addSeries(band.name() + " ± SE", px, py);
                    area.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                    area.setMarker(SeriesMarkers.NONE);
                    area.setFillColor(Palette.translucent(c, BAND_ALPHA));
                    area.setLineColor(Palette.translucent(c, 0));
                    area.setShowInLegend(false);
                } else if (pass == 1) {
                    line(chart, band.name(), xs, ys, c, LINE_WIDTH);
                } else if (band.reference() != null && Double.isFinite(band.reference().value()) && range.hasData()) {
                    double from = Double.isFinite(referenceFromX) ? Math.min(referenceFromX, range.maxX) : xs.get(0);
                    double value = band.reference().value();
                    XYSeries ref = line(chart, band.reference().label(), List.of(from, range.maxX),
                            List.of(value, value), c, LINE_WIDTH);
                    ref.setLineStyle(dashed());
                }
            }
        }
        return chart;
    }

    /**
     * A learning curve as recorded: one value per iteration.
     *
     * @param name legend entry
     * @param colour its colour
     * @param x abscissae (iterations), increasing
     * @param y the values
     */
    public record Curve(String name, Color colour, double[] x, double[] y) {
    }

    /**
     * Learning curves of single runs: each as a thin see-through line of every recorded value under a thick line of
     * its rolling mean, in the curve's colour. With one curve the legend names both lines ({@code NAME, each
     * iteration} and {@code NAME, rolling mean of N}); with several it names the rolling means only. A window of 1
     * draws the values alone, thick. Non-finite points are left out, and curves are thinned to
     * {@value #MAX_CURVE_POINTS} points. The axes end as in {@link #bandChart}.
     *
     * @param title chart title
     * @param xTitle x axis title
     * @param yTitle y axis title
     * @param curves the curves
     * @param window the rolling-mean window, at least 1
     * @return the chart
     */
    public static XYChart curveChart(String title, String xTitle, String yTitle, List<Curve> curves, int window) {
        XYChart chart = newChart(title, xTitle, yTitle);
        Range range = new Range();
        for (Curve curve : curves) {
            for (int i = 0; i < curve.x().length; i++) {
                range.add(curve.x()[i], curve.y()[i]);
            }
        }
        if (range.hasData()) {
            AxisBounds.fit(chart, range.minX, range.maxX, range.minY, range.maxY);
        }
        boolean single = curves.size() == 1;
        // Every curve's values first, so that every rolling mean is drawn over them.
        for (int pass = window > 1 ? 0 : 1; pass < 2; pass++) {
            for (Curve curve : curves) {
                double[] y = pass == 0 ? curve.y() : Curves.rollingMean(curve.y(), window);
                double[][] thin = Curves.thin(MAX_CURVE_POINTS, curve.x(), y);
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int i = 0; i < thin[0].length; i++) {
                    if (Double.isFinite(thin[0][i]) && Double.isFinite(thin[1][i])) {
                        xs.add(thin[0][i]);
                        ys.add(thin[1][i]);
                    }
                }
                if (xs.isEmpty()) {
                    continue;
                }
                if (pass == 0) {
                    XYSeries values = line(chart, curve.name() + ", each iteration", xs, ys,
                            Palette.translucent(curve.colour(), VALUES_ALPHA), 1.0f);
                    values.setShowInLegend(single);
                } else {
                    line(chart, window > 1 ? curve.name() + ", rolling mean of " + window : curve.name(), xs, ys,
                            curve.colour(), LINE_WIDTH);
                }
            }
        }
        return chart;
    }

    /** A chart on white with light grid lines and the legend on the right. */
    private static XYChart newChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setPlotGridLinesColor(new Color(0xE0, 0xE0, 0xE0));
        chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
                .setLegendBackgroundColor(Color.WHITE).setPlotBorderColor(Color.GRAY)
                .setLegendBorderColor(Color.LIGHT_GRAY).setLegendPosition(Styler.LegendPosition.OutsideE)
                .setMarkerSize(0);
        return chart;
    }

    private static XYSeries line(XYChart chart, String name, List<Double> xs, List<Double> ys, Color colour,
            float width) {
        XYSeries series = chart.addSeries(name, xs, ys);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(colour);
        series.setLineWidth(width);
        return series;
    }

    private static BasicStroke dashed() {
        return new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10.0f,
                new float[] {7.0f, 5.0f}, 0.0f);
    }

    /** The extent of the finite points drawn. */
    private static final class Range {
        private double minX = Double.POSITIVE_INFINITY;
        private double maxX = Double.NEGATIVE_INFINITY;
        private double minY = Double.POSITIVE_INFINITY;
        private double maxY = Double.NEGATIVE_INFINITY;

        void add(double x, double y) {
            if (Double.isFinite(x) && Double.isFinite(y)) {
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
        }

        boolean hasData() {
            return minX <= maxX;
        }
    }

    /** Draws a picture with Java2D, for {@link #write(Painter, int, int, Path, String)}. */
    @FunctionalInterface
    public interface Painter {

        /**
         * Draws onto a white canvas.
         *
         * @param g the graphics, of a bitmap or of a vector document
         * @param width canvas width in pixels
         * @param height canvas height in pixels
         */
        void paint(Graphics2D g, int width, int height);
    }

    /**
     * Writes {@code base.png} (a bitmap) and {@code base.svg} (vector, through VectorGraphics2D as XChart
     * does) of one drawing into {@code dir}, each atomically.
     *
     * @param painter the drawing
     * @param width canvas width in pixels
     * @param height canvas height in pixels
     * @param dir an existing directory
     * @param base the file name without extension
     * @return the two files
     * @throws UncheckedIOException if writing fails
     */
    public static List<Path> write(Painter painter, int width, int height, Path dir, String base) {
        Path png = dir.resolve(base + ".png");
        Path svg = dir.resolve(base + ".svg");
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            painter.paint(g, width, height);
        } finally {
            g.dispose();
        }
        VectorGraphics2D vector = new VectorGraphics2D();
        vector.setColor(Color.WHITE);
        vector.fillRect(0, 0, width, height);
        painter.paint(vector, width, height);
        try {
            ByteArrayOutputStream pngBytes = new ByteArrayOutputStream();
            ImageIO.write(image, "png", pngBytes);
            AtomicFiles.write(png, pngBytes.toByteArray());
            ByteArrayOutputStream svgBytes = new ByteArrayOutputStream();
            new SVGProcessor().getDocument(vector.getCommands(), new PageSize(0.0, 0.0, width, height))
                    .writeTo(svgBytes);
            AtomicFiles.write(svg, svgBytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render " + base + ": " + e.getMessage(), e);
        }
        return List.of(png, svg);
    }

    /**
     * Writes {@code base.png} and {@code base.svg} into {@code dir}, each atomically.
     *
     * @return the two files
     * @throws UncheckedIOException if rendering or writing fails
     */
    public static List<Path> write(XYChart chart, Path dir, String base) {
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
