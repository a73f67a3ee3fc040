package dev.bilevel.experiments.thermal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notebook statistics: trimmed seed means, selection by the last 10 iterations. */
class ThermalResultsTest {

    @Test
    void trimmedMeanDropsTheBestAndTheWorstSeed() {
        assertThat(ThermalResults.trimmedMean(new double[] {1, 100, 2, 3, -50})).isEqualTo(2.0);
        assertThat(ThermalResults.trimmedMean(new double[] {1, 3})).isEqualTo(2.0);
        assertThat(ThermalResults.trimmedMean(new double[] {1, 2, 9})).as("too few seeds to trim").isEqualTo(4.0);
        // kept {1,2,3}: population std √(2/3), divided by √5
        assertThat(ThermalResults.trimmedSe(new double[] {1, 100, 2, 3, -50}))
                .isCloseTo(Math.sqrt(2.0 / 3) / Math.sqrt(5), within(1e-12));
    }

    @Test
    void tableSelectsTheLearningRateByTheLastTenIterations(@TempDir Path dir) throws Exception {
        write(dir, "bchg", "0.1", new double[][] {{-300, -200}, {-300, -210}, {-300, -190}});
        write(dir, "bchg", "0.01", new double[][] {{-300, -250}, {-300, -250}, {-300, -250}});
        List<ThermalResults.Point> points = ThermalResults.read(dir);
        assertThat(points).hasSize(2);
        String table = ThermalResults.table(points);
        assertThat(table).contains("| BC-HG | 0.1 | 3 | -300.0 |", "| BC-HG | 0.1 | 3 | ");
        assertThat(table.substring(table.indexOf("Best learning rate"))).contains("| BC-HG | 0.1 | 3 |");
        ThermalResults.figure(points, dir, "thermal-return");
        assertThat(dir.resolve("thermal-return.png")).exists();
    }

    /** A sweep's output directory (trials/ID/ with config.yaml) reads as the grid script's layout does. */
    @Test
    void sweepDirectoriesGiveTheSameTable(@TempDir Path dir) throws Exception {
        double[][] fast = {{-300, -200}, {-300, -210}, {-300, -190}};
        double[][] slow = {{-300, -250}, {-300, -250}, {-300, -250}};
        write(dir.resolve("grid"), "bchg", "0.1", fast);
        write(dir.resolve("grid"), "bchg", "0.01", slow);
        write(dir.resolve("sweep"), "bchg", "0.1", fast);
        write(dir.resolve("sweep"), "bchg", "0.01", slow);
        Path trials = Files.createDirectories(dir.resolve("sweep").resolve("trials"));
        int id = 0;
        for (String lr : new String[] {"0.1", "0.01"}) {
            for (int s = 0; s < 3; s++) {
                Path from = dir.resolve("sweep").resolve("bchg").resolve("lr-" + lr).resolve("seed-" + s);
                Path to = trials.resolve("trial" + id++);
                Files.move(from, to);
                Files.writeString(to.resolve("config.yaml"), "problem: thermal\nmethod: bchg\nseed: " + s
                        + "\nlearning_rate: " + (lr.equals("0.01") ? "1.0E-2" : lr) + "\ncritic:\n  learning_rate: 1.0E-4\n");
            }
        }
        // a trial without summary.json (unfinished) is left out
        Files.writeString(Files.createDirectories(trials.resolve("unfinished")).resolve("config.yaml"), "method: bchg\n");
        assertThat(ThermalResults.table(ThermalResults.read(dir.resolve("sweep"))))
                .isEqualTo(ThermalResults.table(ThermalResults.read(dir.resolve("grid"))));
    }

    private static void write(Path root, String method, String lr, double[][] seeds) throws Exception {
        for (int s = 0; s < seeds.length; s++) {
            Path d = root.resolve(method).resolve("lr-" + lr).resolve("seed-" + s);
            Files.createDirectories(d);
            StringBuilder csv = new StringBuilder("iteration,leader_objective,return_UL_stability,return_UL_energy_cost,"
                    + "return_UL_insulation_cost,return_UL_airflow_cost,exact_leader_return\n");
            for (int t = 0; t < seeds[s].length; t++) {
                csv.append(t).append(',').append(seeds[s][t]).append(",-1,2,3,4,").append(seeds[s][t]).append('\n');
            }
            Files.writeString(d.resolve("metrics.csv"), csv);
            Files.writeString(d.resolve("summary.json"), "{}");
        }
    }
}
