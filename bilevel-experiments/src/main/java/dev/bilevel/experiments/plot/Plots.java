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
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts written as PNG and SVG: XChart line charts with error bars ({@link #chart}), learning curves
 * with mean ± band ({@link #bandChart}), and any Java2D drawing ({@link #write(Painter, int, int, Path,
 * String)}). Rendering is off-screen; run with {@code -Djava.awt.headless=true} on machines without a
 * display (the {@code bilevel} launcher does).
 */
public final class Plots {

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
    public record Series(String name, double[] x, double[] y, double[] error, boolean dashed) {
    }

    /**
     * A chart of the given lines. Points that a logarithmic axis cannot show (zero, negative) and
     * non-finite points are left out; on a logarithmic y axis an error bar is shortened to 90% of its
     * point's value so that its lower end stays on the chart. Lines left without points are dropped. A
     * dashed line takes the colour of the solid line listed before it.
     */
    public static XYChart chart(String title, String xTitle, String yTitle, boolean logX, boolean logY, List<Series> lines) {
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
     * One learning curve: a mean line with a shaded band of ± one standard error around it.
     *
     * @param name legend entry
     * @param x abscissae, increasing
     * @param mean the mean over seeds
     * @param se the standard error over seeds (NaN or 0 where unknown: no band there)
     * @param reference a value to draw as a dashed line of the same colour over the reference range
     *     (the paper's number), or NaN for none
     */
    public record Band(String name, double[] x, double[] mean, double[] se, double reference) {
    }

    /**
     * Learning curves with mean ± SE bands, one colour per curve, in the order given. Non-finite points
     * are left out. Reference values, when given, are dashed lines of the curve's colour from
     * {@code referenceFromX} to the largest abscissa (for instance over the window a table reports).
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
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setMarkerSize(0);
        Color[] palette = chart.getStyler().getSeriesColors();
        double maxX = Double.NEGATIVE_INFINITY;
        for (Band band : bands) {
            for (double x : band.x()) {
                if (Double.isFinite(x)) {
                    maxX = Math.max(maxX, x);
                }
            }
        }
        // Bands first, so that every mean line is drawn over every band.
        for (int pass = 0; pass < 3; pass++) {
            for (int b = 0; b < bands.size(); b++) {
                Band band = bands.get(b);
                Color c = palette[b % palette.length];
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
                    area.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 60));
                    area.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 0));
                    area.setShowInLegend(false);
                } else if (pass == 1) {
                    XYSeries line = chart.addSeries(band.name(), xs, ys);
                    line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    line.setMarker(SeriesMarkers.NONE);
                    line.setLineColor(c);
                    line.setLineWidth(1.5f);
                } else if (Double.isFinite(band.reference()) && Double.isFinite(maxX)) {
                    double from = Double.isFinite(referenceFromX) ? Math.min(referenceFromX, maxX) : xs.get(0);
                    XYSeries ref = chart.addSeries(band.name() + " (reference)", new double[] {from, maxX},
                            new double[] {band.reference(), band.reference()});
                    ref.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    ref.setMarker(SeriesMarkers.NONE);
                    ref.setLineColor(c);
                    ref.setLineStyle(new BasicStroke(2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10.0f,
                            new float[] {6.0f, 4.0f}, 0.0f));
                    ref.setShowInLegend(false);
                }
            }
        }
        return chart;
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
