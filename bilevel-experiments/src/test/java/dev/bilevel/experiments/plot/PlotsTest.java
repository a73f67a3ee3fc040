package dev.bilevel.experiments.plot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.experiments.aggregate.ProblemProfile;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.DrawnTicks;

/** What the reader of a learning-curve figure sees: legend, ticks, colours, bands. */
class PlotsTest {

    private static double[] iterations(int n) {
        return IntStream.range(0, n).asDoubleStream().toArray();
    }

    private static XYSeries series(XYChart chart, String name) {
        return chart.getSeriesCollection().stream().filter(s -> s.getName().equals(name)).findFirst().orElse(null);
    }

    private static Plots.Band band(String method, int n, double level, Plots.Reference reference) {
        double[] x = iterations(n);
        double[] mean = new double[n];
        double[] se = new double[n];
        for (int i = 0; i < n; i++) {
            mean[i] = level * i / (n - 1.0);
            se[i] = 0.05;
        }
        return new Plots.Band(method, Palette.method(method), x, mean, se, reference);
    }

    @Test
    void thePapersValueHasItsOwnLegendEntryInTheCurvesColour() {
        XYChart chart = Plots.bandChart("t", "iteration", "objective",
                List.of(band("bchg", 500, 0.5, new Plots.Reference("paper: BC-HG 0.55", 0.55)),
                        band("naive", 500, 0.1, null)), 400);
        XYSeries paper = series(chart, "paper: BC-HG 0.55");
        assertThat(paper).isNotNull();
        assertThat(paper.isShowInLegend()).isTrue();
        assertThat(paper.getLineColor()).isEqualTo(Palette.VERMILLION);
        assertThat(paper.getXData()).containsExactly(400, 499);
        assertThat(series(chart, "bchg").isShowInLegend()).isTrue();
        assertThat(series(chart, "bchg ± SE").isShowInLegend()).isFalse();
    }

    @Test
    void theIterationAxisEndsOnALabelledTickAtOrJustBeyondTheLastIteration() {
        for (int n : new int[] {500, 2000, 10000}) {
            XYChart chart = Plots.bandChart("t", "iteration", "objective", List.of(band("bchg", n, 0.5, null)), n);
            List<String> ticks = DrawnTicks.x(chart);
            assertThat(chart.getStyler().getXAxisMax()).isEqualTo(n);
            assertThat(ticks.get(0)).isEqualTo("0");
            assertThat(ticks.get(ticks.size() - 1)).isEqualTo(String.format("%,d", n));
        }
        XYChart run = Plots.curveChart("t", "iteration", "objective",
                List.of(new Plots.Curve("run", Palette.ordinal(0), iterations(10000), iterations(10000))), 100);
        List<String> ticks = DrawnTicks.x(run);
        assertThat(ticks.get(ticks.size() - 1)).isEqualTo("10,000");
    }

    @Test
    void roundNumbersAtOrJustBeyondTheLastIteration() {
        assertThat(AxisBounds.roundUp(9999)).isEqualTo(10000);
        assertThat(AxisBounds.roundUp(1999)).isEqualTo(2000);
        assertThat(AxisBounds.roundUp(499)).isEqualTo(500);
        assertThat(AxisBounds.roundUp(450)).isEqualTo(500);
        assertThat(AxisBounds.roundUp(2000)).isEqualTo(2000);
        assertThat(AxisBounds.roundUp(2001)).isEqualTo(3000);
        assertThat(AxisBounds.roundUp(7)).isEqualTo(7);
    }

    @Test
    void theValueAxisLabelsZeroWhereTheCurvesTouchOrCrossIt() {
        // DiscreteToy R1: returns from about 0.3 up to 27, touching 0 from above.
        XYChart touching = Plots.bandChart("t", "iteration", "return",
                List.of(new Plots.Band("bchg/false", Palette.method("bchg/false"), iterations(3),
                        new double[] {0.3, 14, 27}, new double[] {0.1, 1, 0.2}, null)), 0);
        assertThat(DrawnTicks.y(touching)).contains("0");
        XYChart crossing = Plots.bandChart("t", "iteration", "objective",
                List.of(new Plots.Band("bchg", Palette.method("bchg"), iterations(3),
                        new double[] {-0.73, 0.1, 0.37}, new double[] {0, 0, 0}, null)), 0);
        assertThat(DrawnTicks.y(crossing)).contains("0");
        XYChart away = Plots.bandChart("t", "iteration", "return",
                List.of(new Plots.Band("bchg", Palette.method("bchg"), iterations(3),
                        new double[] {20, 25, 27}, new double[] {0, 0, 0}, null)), 0);
        assertThat(away.getStyler().getYAxisMin()).isNull();
    }

    @Test
    void aMethodKeepsItsColourWhateverIsDrawnBesideIt() {
        XYChart three = Plots.bandChart("a", "iteration", "objective",
                List.of(band("bchg", 100, 0.5, null), band("hpgd-mc", 100, 0.2, null), band("naive", 100, 0, null)), 0);
        XYChart two = Plots.bandChart("b", "iteration", "objective",
                List.of(band("naive", 100, 0, null), band("hpgd-mc", 100, 0.2, null)), 0);
        for (String method : List.of("naive", "hpgd-mc")) {
            assertThat(series(two, method).getLineColor())
                    .isEqualTo(series(three, method).getLineColor());
        }
    }

    @Test
    void diagnosticLinesTakeTheirMethodsColourOrTheNextInOrder() {
        double[] x = {1, 2};
        XYChart chart = Plots.chart("t", "x", "y", false, false, List.of(
                new Plots.Series("naive", x, x, null, false, Palette.method("naive")),
                new Plots.Series("a", x, x, null, false, null),
                new Plots.Series("a marginal", x, x, null, true, null),
                new Plots.Series("b", x, x, null, false, null)));
        assertThat(series(chart, "naive").getLineColor()).isEqualTo(Palette.REDDISH_PURPLE);
        assertThat(series(chart, "a").getLineColor()).isEqualTo(Palette.ordinal(0));
        assertThat(series(chart, "a marginal").getLineColor()).isEqualTo(Palette.ordinal(0));
        assertThat(series(chart, "b").getLineColor()).isEqualTo(Palette.ordinal(1));
    }

    @Test
    void everyProblemsMethodsHaveDistinctColoursAndNoneIsPaleYellow() {
        for (String problem : List.of("four-rooms", "discrete-toy", "lqr-game", "thermal", "problem-file",
                "guided")) {
            List<Color> colours = new ArrayList<>();
            for (String method : ProblemProfile.forProblem(problem).methods().keySet()) {
                colours.add(Palette.method(method));
            }
            assertThat(colours).as(problem).doesNotHaveDuplicates().doesNotContain(new Color(0xF0, 0xE4, 0x42));
        }
    }

    @Test
    void chartsAreOnWhiteWithLightBandsAndThickLines() {
        XYChart chart = Plots.bandChart("t", "iteration", "objective", List.of(band("bchg", 100, 0.5, null)), 0);
        assertThat(chart.getStyler().getChartBackgroundColor()).isEqualTo(Color.WHITE);
        assertThat(chart.getStyler().getPlotBackgroundColor()).isEqualTo(Color.WHITE);
        assertThat(series(chart, "bchg ± SE").getFillColor().getAlpha()).isLessThanOrEqualTo(48);
        assertThat(series(chart, "bchg").getLineWidth()).isGreaterThanOrEqualTo(2f);
    }

    @Test
    void aSingleRunsCurveShowsItsValuesUnderItsRollingMean() {
        double[] y = new double[1000];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 2 == 0 ? 1 : -1;
        }
        XYChart chart = Plots.curveChart("t", "iteration", "objective",
                List.of(new Plots.Curve("leader objective", Palette.ordinal(0), iterations(1000), y)), 10);
        assertThat(chart.getSeriesCollection().stream().map(XYSeries::getName).toList()).containsExactly("axis ends",
                "leader objective, each iteration",
                "leader objective, rolling mean of 10");
        double[] mean = series(chart, "leader objective, rolling mean of 10").getYData();
        assertThat(mean[mean.length - 1]).isZero();
        assertThat(series(chart, "leader objective, each iteration").getLineColor().getAlpha())
                .isLessThan(255);
    }
}
