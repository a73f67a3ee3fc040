package dev.bilevel.experiments.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.method.TabularEstimators.Kind;
import dev.bilevel.problems.json.RandomProblems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticsFilesTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void diagnosticsTablesAndPlots() throws IOException {
        DiagnosticProblem problem = DiagnosticProblem.of("tiny", RandomProblems.configurableMdp(9, 6, 2, 3, 0.8, 0.5));
        EstimatorDiagnostics.Report report = EstimatorDiagnostics.run(problem, new EstimatorDiagnostics.Settings(
                List.of(Kind.BCHG, Kind.HPGD_MC, Kind.ZERO_ORDER), List.of(5, 50), 3, 50, true, 0.1, 0.1, 0),
                ProgressReporter.silent());
        List<Path> files = DiagnosticsFiles.write(report, dir);

        assertThat(files.stream().map(p -> p.getFileName().toString()).toList()).containsExactly("diagnostics.csv",
                "diagnostics.md", "cosine.png", "cosine.svg", "relative_error.png", "relative_error.svg");
        assertPlot("cosine");
        assertPlot("relative_error");
        List<String> csv = Files.readAllLines(dir.resolve("diagnostics.csv"));
        assertThat(csv).hasSize(1 + 6);
        assertThat(csv.get(0)).startsWith("problem,dimension,estimator,critic,episodes,repeats");
        int columns = csv.get(0).split(",").length;
        assertThat(csv).allSatisfy(line -> assertThat(line.split(",", -1)).hasSize(columns));
        assertThat(csv.get(1)).startsWith("tiny,3,bchg,exact,5,3,50,0,");
        assertThat(csv).anySatisfy(line -> assertThat(line).contains(",zero-order,").contains(",objective-evaluations,"));
        String md = Files.readString(dir.resolve("diagnostics.md"));
        assertThat(md).contains("## Estimator diagnostics: tiny", "| bchg | 5 |", "| hpgd-mc | 50 |",
                "| zero-order | 50 | 100 evals |");
        assertThat(md).isEqualTo(DiagnosticsFiles.markdown(report));
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }

    @Test
    void scalingTablesAndPlots() throws IOException {
        DimensionScaling.Settings settings = new DimensionScaling.Settings(List.of(Kind.BCHG), 10, 2, 50, true, 0.1,
                0.1, 0, false, 0.003, List.of(2, 20, 200), 8, 2, 0.8, 0.3);
        List<DimensionScaling.Row> rows = DimensionScaling.run(settings, ProgressReporter.silent());
        List<Path> files = DiagnosticsFiles.writeScaling(rows, dir);

        assertThat(files.stream().map(p -> p.getFileName().toString()).toList()).containsExactly("scaling.csv",
                "scaling.md", "time_per_sample.png", "time_per_sample.svg", "scaling_cosine.png", "scaling_cosine.svg");
        assertPlot("time_per_sample");
        assertPlot("scaling_cosine");
        List<String> csv = Files.readAllLines(dir.resolve("scaling.csv"));
        assertThat(csv).hasSize(1 + 3);
        assertThat(csv.get(1)).startsWith("random,random-d2,2,8,2,bchg,10,2,");
        assertThat(Files.readString(dir.resolve("scaling.md"))).contains("| random-d200 | 200 | 8×2 | bchg |");
    }

    private void assertPlot(String base) throws IOException {
        byte[] png = Files.readAllBytes(dir.resolve(base + ".png"));
        assertThat(png.length).isGreaterThan(1000);
        assertThat(java.util.Arrays.copyOf(png, 4)).isEqualTo(PNG_MAGIC);
        String svg = Files.readString(dir.resolve(base + ".svg"), StandardCharsets.UTF_8);
        assertThat(svg.strip()).startsWith("<?xml").contains("<svg").endsWith("</svg>");
    }
}
