package dev.bilevel.experiments.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.experiments.stats.SampleStat;
import dev.bilevel.experiments.sweep.SweepDirectory;
import dev.bilevel.experiments.sweep.TrialOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.inference.TTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Aggregation of a synthetic sweep whose numbers are known: BC-HG at two learning rates and Naive-PGD
 * at one, λ = 0.003 and 100 samples, seeds 0–2, ten iterations; {@code leader_objective} of seed
 * {@code s} at iteration {@code i} is {@code slope·i + s}.
 */
class AggregateTest {

    @TempDir
    Path dir;

    private static final double SE_012 = Math.sqrt(2.0 / 3.0) / Math.sqrt(3.0); // population SE of {0, 1, 2}

    @BeforeEach
    void writeSweep() {
        SweepDirectory sweep = SweepDirectory.open(dir, "--out");
        int n = 0;
        for (String[] point : new String[][] {{"bchg", "0.1", "0.1"}, {"bchg", "0.5", "0.2"}, {"naive", "0.5", "-1"}}) {
            for (int seed = 0; seed < 3; seed++) {
                String config = "problem: four-rooms\nmethod: " + point[0] + "\nreg_lambda: 0.003\nsamples: 100\n"
                        + "iterations: 10\nseed: " + seed + "\nlearning_rate: " + point[1] + "\nfollower:\n  rounds: 5\n";
                StringBuilder metrics = new StringBuilder("iteration,leader_objective,gradient_norm\n");
                double slope = Double.parseDouble(point[2]);
                for (int i = 0; i < 10; i++) {
                    metrics.append(i).append(',').append(slope * i + seed).append(',').append(i == 9 ? "" : "1.0")
                            .append('\n');
                }
                boolean failed = point[0].equals("naive") && seed == 2;
                Map<String, byte[]> files = new LinkedHashMap<>();
                files.put("config.yaml", config.getBytes(StandardCharsets.UTF_8));
                files.put("metrics.csv", metrics.toString().getBytes(StandardCharsets.UTF_8));
                String id = String.format("%016x", n++) + "0".repeat(48);
                sweep.write(new TrialOutcome(id, !failed, failed ? "diverged at iteration 4" : null, files, 1.0),
                        point[0] + " seed=" + seed, null);
            }
        }
    }

    private Aggregate aggregate(Aggregate.Options options) {
        return Aggregate.compute(dir, "DIR", options);
    }

    @Test
    void meanAndStandardErrorOverSeedsPerGridPoint() {
        Aggregate a = aggregate(new Aggregate.Options(null, null, 4, null, null));
        assertThat(a.profile().problem()).isEqualTo("four-rooms");
        assertThat(a.settingKeys()).containsExactly("reg_lambda", "samples");
        assertThat(a.methodKeys()).containsExactly("method");
        assertThat(a.hyperKeys()).containsExactly("learning_rate");
        assertThat(a.selectedOver()).containsExactly("learning_rate");
        assertThat(a.points()).hasSize(3);
        Aggregate.Point p1 = a.points().get(0);
        assertThat(p1.name()).isEqualTo("point-001");
        assertThat(p1.method()).isEqualTo("bchg");
        assertThat(p1.hyper()).containsEntry("learning_rate", "0.1");
        assertThat(p1.seeds()).extracting(Aggregate.Seed::seed).containsExactly("0", "1", "2");
        // last 4 iterations (6..9) of 0.1·i + s: 0.75 + s; over seeds 0, 1, 2: 1.75 ± SE(0, 1, 2).
        assertThat(p1.score().mean()).isCloseTo(1.75, within(1e-12));
        assertThat(p1.score().populationSe()).isCloseTo(SE_012, within(1e-12));
        assertThat(p1.score().n()).isEqualTo(3);
        Aggregate.MetricSummary objective = p1.metric("leader_objective");
        assertThat(objective.last().mean()).isCloseTo(1.9, within(1e-12));
        assertThat(objective.all().mean()).isCloseTo(1.45, within(1e-12));
        // NaN cells are left out of window means.
        assertThat(p1.metric("gradient_norm").lastWindow().mean()).isEqualTo(1.0);
        assertThat(p1.metric("gradient_norm").last().n()).isZero();
        Aggregate.Point naive = a.points().get(2);
        assertThat(naive.method()).isEqualTo("naive");
        assertThat(naive.seeds()).hasSize(2);
        assertThat(naive.failed()).singleElement().satisfies(s -> {
            assertThat(s.seed()).isEqualTo("2");
            assertThat(s.error()).isEqualTo("diverged at iteration 4");
        });
        assertThat(naive.score().mean()).isCloseTo(-7.5 + 0.5, within(1e-12));
        assertThat(a.completed()).isEqualTo(8);
        assertThat(a.failures()).hasSize(1);
    }

    @Test
    void selectsTheBestPointPerMethodAndSettingBesideThePaper() {
        Aggregate a = aggregate(new Aggregate.Options(null, null, 4, null, null));
        assertThat(a.selected()).hasSize(2);
        Aggregate.Selection bchg = a.selected().get(0);
        assertThat(bchg.method()).isEqualTo("bchg");
        assertThat(bchg.candidates()).isEqualTo(2);
        assertThat(bchg.point().hyper()).containsEntry("learning_rate", "0.5"); // 0.2·7.5 + 1 = 2.5 > 1.75
        assertThat(bchg.point().score().mean()).isCloseTo(2.5, within(1e-12));
        assertThat(bchg.paper()).isEqualTo(new PaperValues.Value(0.545, 0.009, 3));
        assertThat(a.selected().get(1).paper()).isEqualTo(new PaperValues.Value(0.001, Double.NaN, 3));
        String md = AggregateFiles.markdown(a);
        assertThat(md).contains("| λ | samples | BC-HG (ours) | BC-HG (paper) | Naive-PGD (ours) | Naive-PGD (paper) |")
                .contains("| 0.003 | 100 | 2.500 ± 0.471 (3 seeds) | 0.545 ± 0.009 | -7.000 ± 0.354 (2 seeds, 1 failed) | 0.001 |");
        // Other rules rank differently: by the final value 0.1 ends at 0.9 + s, 0.5 at 1.8 + s.
        Aggregate byFinal = aggregate(new Aggregate.Options(null, SelectionRule.FINAL, null, null, null));
        assertThat(byFinal.selected().get(0).point().score().mean()).isCloseTo(2.8, within(1e-12));
        // Without setting keys every varying key but the method is selected over.
        Aggregate flat = aggregate(new Aggregate.Options(null, null, 4, List.of(), null));
        assertThat(flat.hyperKeys()).containsExactly("learning_rate");
        assertThat(flat.selected()).hasSize(2);
        // With the method among the setting keys, no CSV header is written twice.
        Aggregate byMethod = aggregate(new Aggregate.Options(null, null, 4, List.of("method"), null));
        for (String csv : List.of(AggregateFiles.pointsCsv(byMethod), AggregateFiles.selectedCsv(byMethod))) {
            List<String> header = List.of(csv.lines().findFirst().orElseThrow().split(","));
            assertThat(header).doesNotHaveDuplicates().contains("method", "method_group");
        }
        assertThat(a.methodColumn()).isEqualTo("method");
    }

    @Test
    void writesCsvJsonAndCurvesDeterministically() throws IOException {
        aggregate(new Aggregate.Options(null, null, 4, null, null));
        Path out = dir.resolve("aggregate");
        List<String> selected = Files.readAllLines(out.resolve("selected.csv"));
        assertThat(selected.get(0)).isEqualTo("reg_lambda,samples,method,learning_rate,point,candidates,seeds,failed,"
                + "score_mean,score_se,paper_mean,paper_se,"
                + "score_ci_low,score_ci_high,versus,test,t,df,p_value,hedges_g");
        assertThat(selected.get(1)).startsWith("0.003,100,bchg,0.5,point-002,2,3,0,2.5,").endsWith(",,,,,,");
        List<String> points = Files.readAllLines(out.resolve("points.csv"));
        assertThat(points.get(0)).endsWith(",seeds,failed,metric,last_window_mean,last_window_se,final_mean,final_se,"
                + "all_mean,all_se,last_window_ci_low,last_window_ci_high,final_ci_low,final_ci_high,all_ci_low,all_ci_high");
        assertThat(points).hasSize(1 + 3 * 2);
        assertThat(points.get(1)).startsWith("point-001,0.003,100,bchg,0.1,3,0,leader_objective,1.75,");
        assertThat(points.get(1).split(",", -1)).hasSize(points.get(0).split(",").length);
        List<String> curve = Files.readAllLines(out.resolve("curves/point-001.csv"));
        assertThat(curve.get(0)).isEqualTo("iteration,leader_objective_mean,leader_objective_se,n");
        assertThat(curve).hasSize(11);
        String[] row9 = curve.get(10).split(",");
        assertThat(row9[0]).isEqualTo("9");
        assertThat(Double.parseDouble(row9[1])).isCloseTo(1.9, within(1e-12));
        assertThat(Double.parseDouble(row9[2])).isCloseTo(SE_012, within(1e-12));
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(out.resolve("aggregate.json")));
        assertThat(json.get("rule").asString()).isEqualTo("last-window-mean");
        assertThat(json.get("trials").get("failed").asInt()).isEqualTo(1);
        assertThat(json.get("selected").get(0).get("paper").get("mean").asDouble()).isEqualTo(0.545);
        assertThat(json.get("points").get(2).get("failed_seeds").get(0).get("error").asString())
                .isEqualTo("diverged at iteration 4");
        assertThat(json.get("selected").get(1).get("versus_best").get("test").asString()).isEqualTo("Welch");
        assertThat(json.get("selected").get(0).get("versus_best").isNull()).isTrue();
        byte[] before = Files.readAllBytes(out.resolve("aggregate.json"));
        byte[] selectedBefore = Files.readAllBytes(out.resolve("selected.csv"));
        byte[] pointsBefore = Files.readAllBytes(out.resolve("points.csv"));
        aggregate(new Aggregate.Options(null, null, 4, null, null));
        assertThat(Files.readAllBytes(out.resolve("aggregate.json"))).isEqualTo(before);
        assertThat(Files.readAllBytes(out.resolve("selected.csv"))).isEqualTo(selectedBefore);
        assertThat(Files.readAllBytes(out.resolve("points.csv"))).isEqualTo(pointsBefore);
        // All curve metrics on request.
        aggregate(new Aggregate.Options(null, null, 4, null, List.of()));
        assertThat(Files.readAllLines(out.resolve("curves/point-001.csv")).get(0))
                .isEqualTo("iteration,leader_objective_mean,leader_objective_se,gradient_norm_mean,gradient_norm_se,n");
    }

    @Test
    void selectedCsvHoldsTheConfidenceIntervalAndTheTestAgainstTheBest() throws IOException {
        Aggregate a = aggregate(new Aggregate.Options(null, null, 4, null, null));
        List<String> lines = Files.readAllLines(dir.resolve("aggregate/selected.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        String[] bchg = lines.get(1).split(",", -1);
        String[] naive = lines.get(2).split(",", -1);
        // BC-HG at learning rate 0.5 scores 1.5 + seed over seeds 0–2: mean 2.5, sd 1; t(0.975, 2) = 4.3027.
        double half = 4.3027 / Math.sqrt(3);
        assertThat(Double.parseDouble(bchg[header.indexOf("score_ci_low")])).isCloseTo(2.5 - half, within(1e-4));
        assertThat(Double.parseDouble(bchg[header.indexOf("score_ci_high")])).isCloseTo(2.5 + half, within(1e-4));
        // Naive-PGD (seeds 0, 1: −7.5 + seed; seed 2 failed) against BC-HG: Welch, as the seeds differ.
        assertThat(naive[header.indexOf("versus")]).isEqualTo("bchg");
        assertThat(naive[header.indexOf("test")]).isEqualTo("Welch");
        double[] naiveScores = a.selected().get(1).point().seeds().stream().mapToDouble(Aggregate.Seed::score).toArray();
        double[] bchgScores = a.selected().get(0).point().seeds().stream().mapToDouble(Aggregate.Seed::score).toArray();
        assertThat(naiveScores).containsExactly(new double[] {-7.5, -6.5}, within(1e-12));
        assertThat(bchgScores).containsExactly(new double[] {1.5, 2.5, 3.5}, within(1e-12));
        TTest.Result expected = TTest.withDefaults().test(naiveScores, bchgScores);
        assertThat(Double.parseDouble(naive[header.indexOf("t")])).isEqualTo(expected.getStatistic());
        assertThat(Double.parseDouble(naive[header.indexOf("df")])).isEqualTo(expected.getDegreesOfFreedom());
        assertThat(Double.parseDouble(naive[header.indexOf("p_value")])).isEqualTo(expected.getPValue());
        // Hedges' g: (−7 − 2.5) / pooled sd √((1·0.5 + 2·1)/3), times 1 − 3/(4·5 − 9).
        double g = -9.5 / Math.sqrt(2.5 / 3) * (1 - 3.0 / 11);
        assertThat(Double.parseDouble(naive[header.indexOf("hedges_g")])).isCloseTo(g, within(1e-12));
        // Naive-PGD has two seeds: its interval uses t(0.975, 1) = 12.7062 and sd √0.5.
        assertThat(Double.parseDouble(naive[header.indexOf("score_ci_high")]))
                .isCloseTo(-7.0 + 12.7062 * Math.sqrt(0.5) / Math.sqrt(2), within(1e-4));
    }

    @Test
    void badRequestsAreOneLine() throws IOException {
        assertThatThrownBy(() -> aggregate(new Aggregate.Options("nope", null, null, null, null)))
                .isInstanceOf(ExperimentInputException.class)
                .hasMessageStartingWith("--metric: no column 'nope' in ")
                .hasMessageEndingWith("(columns: iteration, leader_objective, gradient_norm)");
        assertThatThrownBy(() -> aggregate(new Aggregate.Options(null, null, 0, null, null)))
                .hasMessage("--window: 0 must be ≥ 1");
        assertThatThrownBy(() -> aggregate(new Aggregate.Options(null, null, null, List.of("nope"), null)))
                .hasMessageStartingWith("--by: no config key 'nope'");
        assertThatThrownBy(() -> SelectionRule.parse("best", "--rule"))
                .hasMessage("--rule: unknown rule 'best', expected one of last-window-mean, final, curve-mean");
        Path empty = Files.createDirectories(dir.resolve("empty/trials"));
        assertThatThrownBy(() -> Aggregate.compute(empty.getParent(), "DIR", Aggregate.Options.DEFAULTS))
                .hasMessageEndingWith(": no finished trials in it yet");
    }

    @Test
    void statisticsAndRulesFollowTheReference() {
        SampleStat s = SampleStat.ofFinite(new double[] {1, 2, 3, Double.NaN});
        assertThat(s.mean()).isEqualTo(2.0);
        assertThat(s.populationSe()).isCloseTo(Math.sqrt(2.0 / 3.0) / Math.sqrt(3), within(1e-15));
        assertThat(s.n()).isEqualTo(3);
        assertThat(SampleStat.ofFinite(new double[] {5}).populationSe()).isZero();
        assertThat(SampleStat.ofFinite(new double[0])).isEqualTo(SampleStat.EMPTY);
        double[] v = {1, 2, 3, 4, 5};
        assertThat(SelectionRule.LAST_WINDOW_MEAN.apply(v, 2)).isEqualTo(4.5);
        assertThat(SelectionRule.LAST_WINDOW_MEAN.apply(v, 100)).isEqualTo(3.0);
        assertThat(SelectionRule.FINAL.apply(v, 2)).isEqualTo(5.0);
        assertThat(SelectionRule.CURVE_MEAN.apply(v, 2)).isEqualTo(3.0);
        assertThat(SelectionRule.LAST_WINDOW_MEAN.describe(1000)).isEqualTo("mean of the last 1000 iterations");
    }

    @Test
    void profilesAndPaperTables() {
        ProblemProfile fourRooms = ProblemProfile.forProblem("four-rooms");
        assertThat(fourRooms.window()).isEqualTo(1000);
        assertThat(fourRooms.rule()).isEqualTo(SelectionRule.LAST_WINDOW_MEAN);
        assertThat(fourRooms.methodLabel("hpgd-mc")).isEqualTo("HPGD (MC)");
        assertThat(fourRooms.methodRank("bchg")).isLessThan(fourRooms.methodRank("naive"));
        assertThat(fourRooms.keyLabel("reg_lambda")).isEqualTo("λ");
        assertThat(fourRooms.paper().lookup(Map.of("reg_lambda", "0.0050", "samples", "1000"), "hpgd-mc"))
                .contains(new PaperValues.Value(1.212, 0.029, 3));
        assertThat(fourRooms.paper().lookup(Map.of("reg_lambda", "0.003", "samples", "100"), "sobirl")).isEmpty();
        ProblemProfile toy = ProblemProfile.forProblem("discrete-toy");
        assertThat(toy.methodKeys()).containsExactly("method", "off_policy");
        assertThat(toy.settingKeys()).containsExactly("variant");
        assertThat(toy.window()).isEqualTo(50);
        assertThat(toy.methodLabel("biac/true")).isEqualTo("Bi-AC (off-policy)");
        assertThat(toy.paper().lookup(Map.of("variant", "R2"), "bchg/false"))
                .contains(new PaperValues.Value(59.2, Double.NaN, 1));
        assertThat(Aggregate.methodId(Map.of("method", "naive", "off_policy", "true"), toy.methodKeys()))
                .isEqualTo("naive/true");
        ProblemProfile unknown = ProblemProfile.forProblem("no-such-problem");
        assertThat(unknown).isEqualTo(ProblemProfile.generic("no-such-problem"));
        assertThat(unknown.paper().isEmpty()).isTrue();
        ProblemProfile file = ProblemProfile.forProblem("problem-file");
        assertThat(file.settingKeys()).containsExactly("file");
        assertThat(file.window()).isEqualTo(50);
        assertThat(file.paper().isEmpty()).isTrue();
        assertThat(file.valueLabels(Map.of("file", "/some/where/chain.json"))).containsExactly("chain.json");
        assertThat(file.valueLabel("method", "a/b")).isEqualTo("a/b");
        assertThat(fourRooms.valueLabel("reg_lambda", "0.003")).isEqualTo("0.003");
        PaperValues table = PaperValues.parse("# c\nx,method,mean,se\na,m,1.5,\n", "t");
        assertThat(table.lookup(Map.of("x", "a"), "m")).contains(new PaperValues.Value(1.5, Double.NaN, 1));
    }

    @Test
    void paperValuesPrintTheDigitsTheSourceGives() {
        PaperValues table = PaperValues.parse("method,mean,se\nread-off,27.0,\nzero,0.010,0.009\n", "t");
        assertThat(table.lookup(Map.of(), "read-off").orElseThrow().text()).isEqualTo("27.0");
        assertThat(table.lookup(Map.of(), "zero").orElseThrow().text()).isEqualTo("0.010 ± 0.009");
        assertThat(ProblemProfile.forProblem("discrete-toy").paper().lookup(Map.of("variant", "R1"), "naive/false")
                .orElseThrow().meanText()).isEqualTo("10.9");
    }
}
