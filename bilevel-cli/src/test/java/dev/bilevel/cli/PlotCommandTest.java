package dev.bilevel.cli;

import static dev.bilevel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A run draws its own learning curve; {@code bilevel plot} overlays several. */
class PlotCommandTest {

    @TempDir
    static Path dir;

    private static Path bchg;
    private static Path naive;

    @BeforeAll
    static void twoRuns() {
        bchg = dir.resolve("bchg");
        naive = dir.resolve("naive");
        assertThat(run("run", "four-rooms", "--iterations", "200", "--out", bchg.toString()).status()).isZero();
        assertThat(run("run", "four-rooms", "--method", "naive", "--iterations", "200", "--out", naive.toString())
                .status()).isZero();
    }

    private static void assertPng(Path png) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).hasSizeGreaterThan(1000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    void aRunDrawsItsLearningCurveWhenItEnds() throws IOException {
        assertPng(bchg.resolve("curve.png"));
        assertThat(Files.readString(bchg.resolve("curve.svg"))).contains("<svg");
        assertThat(Files.readAllLines(bchg.resolve("metrics.csv"))).hasSize(201);
    }

    @Test
    void plotOverlaysRunsUnderTheirLabels() throws IOException {
        Path out = dir.resolve("both.png");
        CliRun r = run("plot", bchg.toString(), naive.toString(), "--label", "BC-HG", "--label", "Naive-PGD",
                "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out, "wrote " + dir.resolve("both.svg"));
        assertPng(out);
        assertThat(Files.readString(dir.resolve("both.svg"))).contains("<svg");

        Path byName = dir.resolve("names.png");
        assertThat(run("plot", bchg.toString(), naive.toString(), "--out", byName.toString()).status()).isZero();
        assertThat(Files.readAllBytes(byName)).as("the legend differs").isNotEqualTo(Files.readAllBytes(out));
        Path gradient = dir.resolve("gradient.png");
        assertThat(run("plot", bchg.toString(), naive.toString(), "--rolling", "1", "--metric", "gradient_norm",
                "--out", gradient.toString()).status()).isZero();
        assertPng(gradient);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "RUN_DIR|missing-dir|--out|x.png",
        "RUN_DIR|empty-dir|--out|x.png",
        "--metric|bchg|--metric|no_such_column",
        "--label|bchg|--label|one",
        "--out|bchg|--out|x.jpg",
        "--rolling|bchg|--rolling|0"})
    void badInputIsOneLineNamingItAndWritesNothing(String named, String runDir, String flag, String value)
            throws IOException {
        Files.createDirectories(dir.resolve("empty-dir"));
        Path out = dir.resolve("bad").resolve("x.png");
        Files.createDirectories(out.getParent());
        String[] args = flag.equals("--out")
                ? new String[] {"plot", dir.resolve(runDir).toString(), "--out", out.resolveSibling(value).toString()}
                : new String[] {"plot", dir.resolve(runDir).toString(), naive.toString(), flag, value, "--out",
                    out.toString()};
        CliRun r = run(args);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("plot: " + named);
        try (Stream<Path> written = Files.list(out.getParent())) {
            assertThat(written).isEmpty();
        }
    }
}
