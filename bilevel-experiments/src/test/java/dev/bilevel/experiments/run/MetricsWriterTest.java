package dev.bilevel.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.random.SplitMixRandom;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsWriterTest {

    @TempDir
    Path tmp;

    @Test
    void formatsRealsIntegersAndNaNExactly() throws IOException {
        RunDirectory run = RunDirectory.prepare(tmp);
        try (MetricsWriter metrics = run.openMetrics(List.of(MetricColumn.integer("iteration"),
                MetricColumn.real("objective"), MetricColumn.real("grad_norm")))) {
            metrics.row(0, 0.1, 1e-4);
            metrics.row(1, -0.0, Double.NaN);
            metrics.row(2, Double.POSITIVE_INFINITY, 1e23);
            metrics.row(Double.NaN, 3, -2.5);
            assertThat(metrics.rowCount()).isEqualTo(4);
        }

        assertThat(Files.readString(tmp.resolve("metrics.csv"))).isEqualTo("""
                iteration,objective,grad_norm
                0,0.1,1.0E-4
                1,-0.0,
                2,Infinity,1.0E23
                ,3.0,-2.5
                """);
    }

    @Test
    void aFullDiskLeavesOnlyWholeRows() throws IOException {
        Path file = tmp.resolve("m.csv");
        AtomicLong clock = new AtomicLong();
        MetricsWriter metrics = new MetricsWriter(file, List.of(MetricColumn.integer("i"), MetricColumn.real("x")),
                2, clock::get, null, (f, options) -> new FullDiskChannel(FileChannel.open(f, options), 40));
        metrics.row(1, 0.25);
        metrics.row(2, 0.5); // flushed: "i,x\n1,0.25\n2,0.5\n" is 18 bytes
        metrics.row(3, 0.123456789);
        assertThatThrownBy(() -> metrics.row(4, 0.987654321)) // 34 more bytes: the disk takes 22 of them
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("No space left");
        assertThat(Files.readString(file)).isEqualTo("i,x\n1,0.25\n2,0.5\n");
    }

    @Test
    void aResumedFileDropsItsPartialLineChecksItsRowsAndAppends() throws IOException {
        Path file = tmp.resolve("m.csv");
        List<MetricColumn> columns = List.of(MetricColumn.integer("i"), MetricColumn.real("x"));
        Files.writeString(file, "i,x\n0,0.5\n1,1.5\n2,2.");
        try (MetricsWriter metrics = MetricsWriter.resume(file, columns)) {
            assertThat(metrics.recordedRows()).containsExactly("0,0.5", "1,1.5");
            metrics.row(0, 0.5);
            assertThatThrownBy(() -> metrics.row(1, 1.25)).isInstanceOf(ResumeMismatchException.class)
                    .hasMessageContaining("row 2").hasMessageContaining("1,1.25");
            metrics.row(1, 1.5);
            metrics.row(2, 2.5);
            assertThat(metrics.rowCount()).isEqualTo(3);
        }
        assertThat(Files.readString(file)).isEqualTo("i,x\n0,0.5\n1,1.5\n2,2.5\n");
        assertThatThrownBy(() -> MetricsWriter.resume(file, List.of(MetricColumn.integer("j"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header");
    }

    @Test
    void realCellsParseBackBitIdentical() throws IOException {
        SplitMixRandom random = new SplitMixRandom(42);
        double[][] rows = new double[1000][];
        Path file = tmp.resolve("m.csv");
        try (MetricsWriter metrics = MetricsWriter.open(file,
                List.of(MetricColumn.integer("step"), MetricColumn.real("x"), MetricColumn.real("y")), 7)) {
            for (int i = 0; i < rows.length; i++) {
                double x = Double.longBitsToDouble(random.nextLong());
                rows[i] = new double[] {i, Double.isNaN(x) ? 0.5 : x, random.nextGaussian() * Math.pow(10, i % 40 - 20)};
                metrics.row(rows[i]);
            }
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(rows.length + 1);
        for (int i = 0; i < rows.length; i++) {
            String[] cells = lines.get(i + 1).split(",", -1);
            assertThat(Long.parseLong(cells[0])).isEqualTo(i);
            for (int c = 1; c < 3; c++) {
                assertThat(Double.doubleToRawLongBits(Double.parseDouble(cells[c])))
                        .isEqualTo(Double.doubleToRawLongBits(rows[i][c]));
            }
        }
    }

    @Test
    void rowsAreFlushedEveryNRowsAndOnClose() throws IOException {
        Path file = tmp.resolve("m.csv");
        AtomicLong clock = new AtomicLong();
        MetricsWriter metrics = new MetricsWriter(file, List.of(MetricColumn.integer("i")), 3, clock::get);
        assertThat(Files.readString(file)).isEqualTo("i\n"); // the header is there at once

        metrics.row(1);
        metrics.row(2);
        assertThat(Files.readString(file)).isEqualTo("i\n");
        metrics.row(3);
        assertThat(Files.readString(file)).isEqualTo("i\n1\n2\n3\n");
        metrics.row(4);
        clock.addAndGet(3_000_000_000L); // two seconds without a flush: the next row goes out
        metrics.row(5);
        assertThat(Files.readString(file)).isEqualTo("i\n1\n2\n3\n4\n5\n");
        metrics.row(6);
        metrics.close();
        metrics.close();
        assertThat(Files.readString(file)).isEqualTo("i\n1\n2\n3\n4\n5\n6\n");
        assertThatThrownBy(() -> metrics.row(7)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsMisuse() {
        Path file = tmp.resolve("m.csv");
        try (MetricsWriter metrics = MetricsWriter.open(file, List.of(MetricColumn.integer("i"),
                MetricColumn.real("x")))) {
            assertThatThrownBy(() -> metrics.row(1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1 values for 2 columns");
            assertThatThrownBy(() -> metrics.row(1.5, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'i' holds whole numbers, got 1.5");
            assertThatThrownBy(() -> metrics.row(Double.POSITIVE_INFINITY, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> MetricsWriter.open(file, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricsWriter.open(file, List.of(MetricColumn.real("a"), MetricColumn.real("a"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> MetricColumn.real("a,b")).isInstanceOf(IllegalArgumentException.class);
    }
}
