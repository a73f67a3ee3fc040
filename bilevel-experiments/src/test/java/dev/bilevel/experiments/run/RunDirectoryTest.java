package dev.bilevel.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.experiments.config.Bound;
import dev.bilevel.experiments.config.ConfigSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RunDirectoryTest {

    @TempDir
    Path tmp;

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void prepareCreatesMissingParents() {
        Path dir = tmp.resolve("runs/a/b");
        RunDirectory run = RunDirectory.prepare(dir);
        assertThat(run.path()).isEqualTo(dir);
        assertThat(dir).isDirectory();
        assertThat(RunDirectory.prepare(dir).path()).isEqualTo(dir); // existing directory is fine
    }

    @Test
    void prepareOnARegularFileFailsWithOneLine() throws IOException {
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");

        assertThatThrownBy(() -> RunDirectory.prepare(file, "--out"))
                .isInstanceOf(RunDirectoryException.class)
                .isInstanceOf(ExperimentInputException.class)
                .hasMessage("--out " + file + ": not a directory");
        assertThatThrownBy(() -> RunDirectory.prepare(file))
                .hasMessage("run directory " + file + ": not a directory");
        assertThatThrownBy(() -> RunDirectory.prepare(file.resolve("sub"), "--out"))
                .isInstanceOf(RunDirectoryException.class)
                .hasMessageStartingWith("--out " + file.resolve("sub") + ": cannot create it")
                .hasMessageContaining("file.txt")
                .message().doesNotContain("\n");
    }

    @Test
    void writesConfigSummaryAndVectorsWithoutLeavingTemporaryFiles() throws IOException {
        ConfigSchema schema = ConfigSchema.builder()
                .real("reg_lambda", 0.003, Bound.POSITIVE, "temperature")
                .longInt("seed", 7L, "seed")
                .build();
        RunDirectory run = RunDirectory.prepare(tmp.resolve("run"));

        Path config = run.writeConfig(schema.defaults());
        run.writeConfig(schema.defaults()); // replacing is fine
        run.writeSummary(Map.of("objective", 1.5));
        run.writeVector("leader_params.txt", new double[] {0.1, -0.0, Double.NaN});
        try (MetricsWriter metrics = run.openMetrics(MetricColumn.integer("iteration"))) {
            metrics.row(1);
        }

        assertThat(config).hasFileName("config.yaml");
        assertThat(Files.readString(config)).isEqualTo("reg_lambda: 0.003\nseed: 7\n");
        assertThat(schema.resolve(config, List.of())).isEqualTo(schema.defaults());
        assertThat(listing(run.path()))
                .containsExactly("config.yaml", "leader_params.txt", "metrics.csv", "summary.json");
    }

    @Test
    void failedAtomicWriteLeavesNoTemporaryFile() throws IOException {
        RunDirectory run = RunDirectory.prepare(tmp.resolve("run"));
        // A directory where the target should be: the rename fails after the temporary file was written.
        Files.createDirectories(run.path().resolve("summary.json/inside"));

        assertThatThrownBy(() -> run.writeSummary(Map.of("x", 1))).isInstanceOf(java.io.UncheckedIOException.class);
        assertThat(listing(run.path())).containsExactly("summary.json");
    }

    @Test
    void vectorsReadBackBitForBit() throws IOException {
        RunDirectory run = RunDirectory.prepare(tmp);
        double[] values = {0.1, 1.0 / 3, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1e23, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 42};

        Path file = run.writeVector("v.txt", values);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(values.length);
        for (int i = 0; i < values.length; i++) {
            assertThat(Double.doubleToRawLongBits(Double.parseDouble(lines.get(i))))
                    .isEqualTo(Double.doubleToRawLongBits(values[i]));
        }
        assertThat(lines).containsExactly("0.1", "0.3333333333333333", "-0.0", "4.9E-324", "1.7976931348623157E308",
                "1.0E23", "NaN", "Infinity", "-Infinity", "42.0");
        assertThat(Files.readString(run.writeVector("empty.txt", new double[0]))).isEmpty();
        assertThatThrownBy(() -> run.writeVector("../escape.txt", values)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> run.writeVector("config.yaml", values)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> run.writeVector(".hidden", values)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A record inside a summary, to check that its non-finite numbers become null too. */
    record Estimate(double mean, double stderr) {
    }

    @Test
    void summaryIsPrettyOrderedExactAndNullForNonFinite() throws IOException {
        RunDirectory run = RunDirectory.prepare(tmp);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("zeta", 0.1);
        summary.put("alpha", 1.0 / 3);
        summary.put("nan", Double.NaN);
        summary.put("inf", Double.NEGATIVE_INFINITY);
        summary.put("float_nan", Float.NaN);
        summary.put("iterations", 1000);
        summary.put("method", "bchg");
        summary.put("converged", true);
        summary.put("nothing", null);
        summary.put("array", new double[] {1e-300, Double.NaN, 1e23});
        summary.put("list", List.of(2.5, Double.POSITIVE_INFINITY));
        summary.put("nested", Map.of("value", Double.NaN));
        summary.put("estimate", new Estimate(Double.NaN, 0.25));

        Path file = run.writeSummary(summary);

        String text = Files.readString(file);
        assertThat(text).startsWith("{\n  \"zeta\"").endsWith("}\n");
        JsonNode json = JsonMapper.builder().build().readTree(text);
        assertThat(json.propertyNames()).containsExactlyElementsOf(summary.keySet());
        assertThat(Double.doubleToRawLongBits(json.get("zeta").doubleValue()))
                .isEqualTo(Double.doubleToRawLongBits(0.1));
        assertThat(Double.doubleToRawLongBits(json.get("alpha").doubleValue()))
                .isEqualTo(Double.doubleToRawLongBits(1.0 / 3));
        assertThat(json.get("nan").isNull()).isTrue();
        assertThat(json.get("inf").isNull()).isTrue();
        assertThat(json.get("float_nan").isNull()).isTrue();
        assertThat(json.get("iterations").isInt()).isTrue();
        assertThat(json.get("method").asString()).isEqualTo("bchg");
        assertThat(json.get("converged").booleanValue()).isTrue();
        assertThat(json.get("nothing").isNull()).isTrue();
        assertThat(json.get("array").get(0).doubleValue()).isEqualTo(1e-300);
        assertThat(json.get("array").get(1).isNull()).isTrue();
        assertThat(json.get("array").get(2).doubleValue()).isEqualTo(1e23);
        assertThat(json.get("list").get(1).isNull()).isTrue();
        assertThat(json.get("nested").get("value").isNull()).isTrue();
        assertThat(json.get("estimate").get("mean").isNull()).isTrue();
        assertThat(json.get("estimate").get("stderr").doubleValue()).isEqualTo(0.25);
        assertThat(text).doesNotContain("NaN", "Infinity");
        // Shortest digits on every JDK (Java 17's Double.toString prints 9.999999999999999E22).
        assertThat(text).contains("1.0E23").doesNotContain("9.999999999999999E22");
    }
}
