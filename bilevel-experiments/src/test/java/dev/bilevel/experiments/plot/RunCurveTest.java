package dev.bilevel.experiments.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCurveTest {

    @TempDir
    Path dir;

    @Test
    void aRunThatDivergedDrawsTheRowsItHasAndLeavesItsMetricsAsTheyAre() throws IOException {
        StringBuilder csv = new StringBuilder("iteration,leader_objective,gradient_norm\n");
        for (int i = 0; i < 300; i++) {
            csv.append(i).append(',').append(Math.sin(i / 30.0)).append(",1.0\n");
        }
        csv.append("300,NaN,Infinity\n");
        Path metrics = dir.resolve("metrics.csv");
        Files.writeString(metrics, csv);
        byte[] before = Files.readAllBytes(metrics);

        assertThat(RunCurve.write(dir, "a run")).containsExactly(dir.resolve("curve.png"), dir.resolve("curve.svg"));
        BufferedImage png = ImageIO.read(dir.resolve("curve.png").toFile());
        assertThat(png.getWidth()).isEqualTo(800);
        assertThat(png.getRGB(2, 2)).as("white background").isEqualTo(0xFFFFFFFF);
        assertThat(Files.readString(dir.resolve("curve.svg"))).contains("<svg");
        assertThat(Files.readAllBytes(metrics)).isEqualTo(before);
    }

    @Test
    void nothingFiniteToDrawIsNoFigure() throws IOException {
        Files.writeString(dir.resolve("metrics.csv"), "iteration,leader_objective\n0,NaN\n");
        assertThat(RunCurve.write(dir, "a run")).isEmpty();
        assertThat(RunCurve.write(dir.resolve("elsewhere"), "no run")).isEmpty();
        assertThat(dir.resolve("curve.png")).doesNotExist();
    }
}
