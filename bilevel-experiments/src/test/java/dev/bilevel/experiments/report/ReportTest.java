package dev.bilevel.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.experiments.aggregate.Aggregate;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.sweep.LocalTrialExecutor;
import dev.bilevel.experiments.sweep.Shard;
import dev.bilevel.experiments.sweep.Sweep;
import dev.bilevel.experiments.sweep.SweepDirectory;
import dev.bilevel.experiments.sweep.SweepListener;
import dev.bilevel.experiments.sweep.SweepLock;
import dev.bilevel.experiments.sweep.SweepSpec;
import dev.bilevel.problems.fourrooms.FourRooms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of a small real FourRooms sweep (two methods, two settings, two seeds, 40 iterations). */
class ReportTest {

    @TempDir
    static Path dir;

    private static Aggregate aggregate;
    private static Path index;

    @BeforeAll
    static void sweepAggregateReport() throws Exception {
        System.setProperty("java.awt.headless", "true");
        sweep(dir, """
                title: report test
                problem: four-rooms
                method: [bchg, naive]
                samples: [100, 200]
                iterations: 40
                seeds: 2
                """);
        aggregate = Aggregate.compute(dir, "DIR", new Aggregate.Options(null, null, 10, null, null));
        index = Report.write(aggregate, new Report.Options("Report <test>", 5, "made by a test"));
    }

    /** Runs a sweep into {@code out}; every trial completes. */
    private static void sweep(Path out, String yaml) throws InterruptedException {
        SweepSpec spec = SweepSpec.parse(yaml, "sweep spec test", Path.of("."));
        SweepDirectory directory = SweepDirectory.open(out, "--out");
        try (LocalTrialExecutor executor = new LocalTrialExecutor(2, s -> ProgressReporter.silent());
                SweepLock lock = Sweep.lock(spec, directory, Shard.ALL, waiting -> { })) {
            Sweep.Result result = Sweep.run(spec, directory, lock, executor, false, SweepListener.SILENT,
                    List.of("sweep"));
            assertThat(result.allCompleted()).isTrue();
        }
    }

    @Test
    void pageHoldsTablesBesideThePaperAndEmbeddedFigures() throws Exception {
        assertThat(index).isEqualTo(dir.resolve("report/index.html"));
        String html = Files.readString(index);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>Report &lt;test&gt;</title>")
                .contains("made by a test")
                .contains("<th colspan=\"2\">BC-HG</th>", "<th colspan=\"2\">Naive-PGD</th>")
                .contains("0.545 ± 0.009") // the paper's BC-HG at λ = 0.003, 100 samples
                .contains("<th title=\"grid points compared\">candidates</th>") // as selected.csv calls it
                .contains("“Budget left unspent”")
                // Mustache's HTML escaping writes = as &#61;
                .contains("<h3>λ &#61; 0.003, samples &#61; 100</h3>", "<h3>λ &#61; 0.003, samples &#61; 200</h3>")
                .contains("8 trials completed of 8, 0 failed")
                .contains("data:image/png;base64,")
                .contains("href=\"figures/curves-reg_lambda-0.003_samples-100.svg\"")
                .contains("href=\"figures/incentives-reg_lambda-0.003_samples-200.svg\"")
                .doesNotContain("http://", "https://"); // self-contained: nothing fetched
        // Every method ran seeds 0 and 1: each setting compares its methods with the paired t-test.
        String comparisons = html.substring(html.indexOf("<h2>Method comparisons</h2>"), html.indexOf("</table>",
                html.indexOf("<h2>Method comparisons</h2>")));
        assertThat(comparisons).contains("<th>95 % CI</th>", "<th>Hedges' g</th>", "best of the setting", "<td>paired</td>");
        assertThat(comparisons.split("best of the setting", -1)).hasSize(3); // one best per setting
        assertThat(comparisons).doesNotContain("Welch");
        for (String base : List.of("curves-reg_lambda-0.003_samples-100", "incentives-reg_lambda-0.003_samples-100",
                "curves-reg_lambda-0.003_samples-200", "incentives-reg_lambda-0.003_samples-200")) {
            Path png = dir.resolve("report/figures/" + base + ".png");
            byte[] bytes = Files.readAllBytes(png);
            assertThat(bytes).hasSizeGreaterThan(1000);
            assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
            assertThat(Files.readString(dir.resolve("report/figures/" + base + ".svg"))).contains("<svg");
        }
    }

    @Test
    void valuesAreEscapedAndTheSameSweepGivesTheSameBytes(@TempDir Path out) throws Exception {
        // A setting value (the problem file's name) and the title and note, each holding < & and ".
        Path file = Files.copy(Path.of("../docs/examples/matching-game.json"), out.resolve("game <1> & \"two\".json"));
        Path sweepDir = out.resolve("sweep");
        sweep(sweepDir, """
                problem: problem-file
                file: '%s'
                method: naive
                iterations: 20
                seeds: 1
                """.formatted(file.toAbsolutePath()));
        Report.Options options = new Report.Options("Title <i> & \"q\"", null, "note <b> & \"r\"");
        Path page = Report.write(Aggregate.compute(sweepDir, "DIR", Aggregate.Options.DEFAULTS), options);
        String html = Files.readString(page);
        assertThat(html).contains("<title>Title &lt;i&gt; &amp; &quot;q&quot;</title>",
                "<h1>Title &lt;i&gt; &amp; &quot;q&quot;</h1>", "<p>note &lt;b&gt; &amp; &quot;r&quot;</p>",
                "game &lt;1&gt; &amp; &quot;two&quot;.json</td>")
                .doesNotContain("<i>", "<b> &", "<1>", "& \"");
        // Again from the same sweep directory: the same page, byte for byte (figures included).
        Report.write(Aggregate.compute(sweepDir, "DIR", Aggregate.Options.DEFAULTS), options);
        assertThat(Files.readString(page)).isEqualTo(html);
    }

    @Test
    void greedyPathWalksFromStartToGoalThroughNeighbouringCells() {
        Aggregate.Seed seed = aggregate.points().get(0).seeds().get(0);
        FourRoomsFigures.Panel panel = FourRoomsFigures.panel(dir.resolve(seed.dir()), "t", seed.score());
        assertThat(panel).isNotNull();
        List<Integer> path = panel.path();
        assertThat(path.get(0)).isEqualTo(FourRooms.START);
        assertThat(panel.reachesGoal()).isTrue();
        assertThat(panel.budget()).matches("budget left unspent: \\d+% of 0\\.2");
        assertThat(path.get(path.size() - 1)).isEqualTo(FourRooms.GOAL);
        assertThat(path).doesNotHaveDuplicates();
        for (int k = 1; k < path.size(); k++) {
            int a = path.get(k - 1);
            int b = path.get(k);
            assertThat(Math.abs(FourRooms.row(a) - FourRooms.row(b)) + Math.abs(FourRooms.column(a) - FourRooms.column(b)))
                    .isEqualTo(1);
        }
        // The incentives are the penalties the run wrote, one per cell.
        assertThat(panel.incentiveByState()).hasSize(FourRooms.STATES);
        assertThat(java.util.Arrays.stream(panel.incentiveByState()).max().getAsDouble()).isLessThanOrEqualTo(0.0);
        assertThat(java.util.Arrays.stream(panel.incentiveByState()).min().getAsDouble()).isLessThan(0.0);
    }

    @Test
    void longSettingsGiveShortDistinctFileNames() {
        assertThat(Report.slug(Map.of("samples", "100"))).isEqualTo("samples-100");
        String deep = "/a" + "/directory".repeat(20);
        String one = Report.slug(Map.of("file", deep + "/one.json"));
        String two = Report.slug(Map.of("file", deep + "/two.json"));
        assertThat(one).hasSize(Report.MAX_SLUG).matches("[A-Za-z0-9._-]+").isNotEqualTo(two);
        assertThat(one.substring(0, 40)).isEqualTo(two.substring(0, 40));
    }
}
