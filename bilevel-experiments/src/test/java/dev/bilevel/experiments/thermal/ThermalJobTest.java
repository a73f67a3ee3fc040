package dev.bilevel.experiments.thermal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.lqr.SoftLqr;
import dev.bilevel.core.lqr.SoftLqrSolution;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.experiments.config.ConfigException;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.learn.follower.GaussianResponse;
import dev.bilevel.learn.follower.planning.SoftLqrFollower;
import dev.bilevel.learn.sampling.ContinuousBatch;
import dev.bilevel.learn.sampling.ContinuousSampler;
import dev.bilevel.problems.thermal.BuildingThermalControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ThermalJobTest {

    private static final ThermalJob JOB = new ThermalJob();
    private static final ThermalRandomSearchJob SEARCH = new ThermalRandomSearchJob();

    private static ResolvedConfig config(String... overrides) {
        return JOB.complete(ThermalJob.SCHEMA.resolve(null, List.of(overrides)));
    }

    /** A few cheap iterations: small batches and few critic steps. */
    private static ResolvedConfig tiny(String... more) {
        String[] base = {"iterations=4", "train_episodes=4", "eval_episodes=3", "critic.initial_steps=5",
            "critic.steps=3", "critic.batch_size=32", "critic.hidden_width=8"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return config(all);
    }

    @Test
    void protocolsAndMethodsFillTheirDefaults() {
        ResolvedConfig def = config();
        assertThat(def.optionalReal("learning_rate").getAsDouble()).isEqualTo(0.1);
        assertThat(def.string("critic.warm_start")).isEqualTo("true");
        assertThat(def.string("follower.warm_start")).isEqualTo("true");
        assertThat(def.string("critic.value_sampling")).isEqualTo("antithetic");
        assertThat(def.optionalInteger("critic.batch_size").getAsInt()).isEqualTo(256);
        ResolvedConfig paper = config("protocol=paper", "method=hpgd-mc");
        assertThat(paper.optionalReal("learning_rate").getAsDouble()).isEqualTo(0.001);
        assertThat(paper.string("critic.warm_start")).isEqualTo("false");
        assertThat(paper.optionalInteger("critic.steps").getAsInt()).isEqualTo(5000);
        assertThat(paper.optionalInteger("critic.batch_size").getAsInt()).isZero();
        assertThat(paper.optionalInteger("critic.value_samples").getAsInt()).isEqualTo(256);
        assertThat(paper.string("critic.value_sampling")).isEqualTo("iid");
        assertThat(paper.string("critic.v_normalisation")).isEqualTo("per-batch");
        assertThat(paper.string("follower.warm_start")).isEqualTo("false");
        assertThat(config("method=hpgd-td").optionalReal("learning_rate").getAsDouble()).isEqualTo(0.01);
        assertThat(config("learning_rate=0.5", "critic.steps=7").optionalInteger("critic.steps").getAsInt())
                .isEqualTo(7);
        assertThat(JOB.runName(config("method=naive", "seed=3"))).isEqualTo("naive-lr0.1-default-seed3");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> config("method=ppo")).isInstanceOf(ConfigException.class).hasMessageContaining("method");
        assertThatThrownBy(() -> config("protocol=fast")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("protocol");
        assertThatThrownBy(() -> config("learning_rate=-1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("learning_rate");
        assertThatThrownBy(() -> config("critic.value_samples=3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("critic.value_samples:");
        assertThatThrownBy(() -> config("estimator.sensitivity=exact")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("estimator.sensitivity");
        assertThatThrownBy(() -> config("critic.kind=linear")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("critic.kind");
        assertThatThrownBy(() -> config("method=hpgd-td", "estimator.sensitivity=model"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("estimator.sensitivity:");
    }

    @Test
    void sameSeedWritesIdenticalFilesForEveryMethod(@TempDir Path dir) throws Exception {
        for (String method : new String[] {"bchg", "naive", "hpgd-mc", "hpgd-td", "bchg-model"}) {
            String[] overrides = method.equals("bchg-model")
                    ? new String[] {"method=bchg", "seed=5", "estimator.sensitivity=model", "estimator.direct=mirrored",
                        "critic.kind=quadratic"}
                    : new String[] {"method=" + method, "seed=5"};
            for (String name : new String[] {"a", "b"}) {
                JOB.run(tiny(overrides), RunDirectory.prepare(dir.resolve(method + name)), ProgressReporter.silent());
            }
            for (String file : new String[] {"metrics.csv", "summary.json", "config.yaml", "final_decision.txt",
                "final_levels.txt"}) {
                assertThat(Files.readAllBytes(dir.resolve(method + "a").resolve(file)))
                        .as(method + " " + file).isEqualTo(Files.readAllBytes(dir.resolve(method + "b").resolve(file)));
            }
            List<String> lines = Files.readAllLines(dir.resolve(method + "a").resolve("metrics.csv"));
            assertThat(lines).hasSize(5);
            assertThat(lines.get(0)).startsWith("iteration,leader_objective,return_UL_stability");
        }
    }

    /**
     * The paper protocol (refit from scratch, iid {@code V̂} samples, per-batch normalisation, cold LQR) writes the
     * same {@code metrics.csv} columns and the same summary keys, in the same order, as the default protocol; two
     * iterations with a handful of critic steps each, so the slow protocol stays cheap.
     */
    @Test
    void paperProtocolRunsTheSameColumns(@TempDir Path dir) throws Exception {
        String[] small = {"iterations=2", "critic.steps=3", "critic.initial_steps=3", "critic.value_samples=4"};
        Map<String, Map<String, Object>> summaries = new LinkedHashMap<>();
        for (String protocol : new String[] {"default", "paper"}) {
            String[] overrides = Arrays.copyOf(small, small.length + 1);
            overrides[small.length] = "protocol=" + protocol;
            summaries.put(protocol, JOB.run(tiny(overrides), RunDirectory.prepare(dir.resolve(protocol)),
                    ProgressReporter.silent()));
        }
        Map<String, Object> paper = summaries.get("paper");
        Map<String, Object> def = summaries.get("default");
        assertThat(paper.get("protocol")).isEqualTo("paper");
        assertThat(def.get("protocol")).isEqualTo("default");
        assertThat(paper.get("status")).isEqualTo("completed");
        assertThat((Double) paper.get("leader_objective_last_window")).isFinite();
        // The returned summaries and the written summary.json files have the same keys, in the same order.
        assertThat(paper.keySet()).containsExactlyElementsOf(def.keySet());
        JsonMapper json = JsonMapper.builder().build();
        JsonNode paperJson = json.readTree(Files.readString(dir.resolve("paper").resolve("summary.json")));
        JsonNode defJson = json.readTree(Files.readString(dir.resolve("default").resolve("summary.json")));
        assertThat(paperJson.propertyNames()).containsExactlyElementsOf(defJson.propertyNames());
        assertThat(paperJson.propertyNames()).containsExactlyElementsOf(def.keySet());
        assertThat(paperJson.get("protocol").asString()).isEqualTo("paper");
        // The same metrics.csv header, one row per iteration, every row as wide as the header.
        List<String> paperLines = Files.readAllLines(dir.resolve("paper").resolve("metrics.csv"));
        List<String> defLines = Files.readAllLines(dir.resolve("default").resolve("metrics.csv"));
        assertThat(defLines.get(0)).startsWith("iteration,leader_objective,return_UL_stability")
                .contains("exact_leader_return", "insulation_0", "airflow_3");
        assertThat(paperLines.get(0)).isEqualTo(defLines.get(0));
        assertThat(paperLines).hasSize(3);
        int width = paperLines.get(0).split(",", -1).length;
        for (String line : paperLines.subList(1, paperLines.size())) {
            String[] fields = line.split(",", -1);
            assertThat(fields).hasSize(width);
            assertThat(Double.parseDouble(fields[1])).isFinite();
        }
    }

    @Test
    void divergingCriticStopsWithAMessageAndKeepsTheFiles(@TempDir Path dir) throws Exception {
        RunDirectory run = RunDirectory.prepare(dir.resolve("bad"));
        assertThatThrownBy(() -> JOB.run(tiny("critic.learning_rate=1e200", "iterations=20"), run,
                ProgressReporter.silent())).isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("metrics so far are kept");
        assertThat(dir.resolve("bad").resolve("metrics.csv")).exists();
        assertThat(Files.readString(dir.resolve("bad").resolve("summary.json"))).contains("\"diverged\"");
    }

    /** The simulator with the follower's policy reproduces the closed-form expected leader return. */
    @Test
    void monteCarloLeaderReturnMatchesTheClosedForm() {
        BuildingThermalControl env = new BuildingThermalControl();
        for (double level : new double[] {0.5, 1.0}) {
            double[] l = {level, level, level, level};
            BuildingThermalControl.Design design = env.configureLevels(l, l);
            SoftLqrSolution sol = new SoftLqr().solve(design.followerModel());
            double exact = design.expectedLeaderReturn(sol, 100, null);
            GaussianResponse response = SoftLqrFollower.response(sol, 0.1, 0.9);
            int episodes = 1500;
            ContinuousBatch batch = ContinuousSampler.sample(env, design, response, episodes, new SplitMixRandom(11));
            double sum = 0;
            double sq = 0;
            for (int e = 0; e < episodes; e++) {
                double ret = 0;
                double w = 1;
                for (int t = 0; t < 100; t++) {
                    ret += w * batch.leaderRewards[e * 100 + t];
                    w *= 0.9;
                }
                sum += ret;
                sq += ret * ret;
            }
            double mean = sum / episodes;
            double se = Math.sqrt((sq / episodes - mean * mean) / episodes);
            assertThat(mean).as("level %s", level).isCloseTo(exact, within(4 * se));
            assertThat(batch.discountedLeaderReturn(0.9)).isCloseTo(mean, within(1e-9));
        }
    }

    @Test
    void randomSearchWritesTheHistogramAndIsReproducible(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"a", "b"}) {
            ResolvedConfig c = SEARCH.complete(ThermalRandomSearchJob.SCHEMA.resolve(null,
                    List.of("draws=40", "bins=5", "eval_episodes=4", "seed=1")));
            Map<String, Object> s = SEARCH.run(c, RunDirectory.prepare(dir.resolve(name)), ProgressReporter.silent());
            assertThat((Double) s.get("mean")).isBetween(-1000.0, -100.0);
            assertThat((int[]) s.get("histogram_counts")).hasSize(5);
            assertThat(java.util.Arrays.stream((int[]) s.get("histogram_counts")).sum()).isEqualTo(40);
        }
        for (String file : new String[] {"metrics.csv", "summary.json", "histogram.csv"}) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(file)));
        }
        assertThat(dir.resolve("a").resolve("histogram.png")).exists();
        assertThat(dir.resolve("a").resolve("histogram.svg")).exists();
        assertThat(Files.readAllLines(dir.resolve("a").resolve("metrics.csv"))).hasSize(41);
        ResolvedConfig exact = SEARCH.complete(ThermalRandomSearchJob.SCHEMA.resolve(null,
                List.of("draws=100", "evaluation=exact")));
        Map<String, Object> s = SEARCH.run(exact, null, ProgressReporter.silent());
        // The reference histogram's mean over 10,000 draws is about −273 (Monte Carlo, with clipping).
        assertThat((Double) s.get("mean")).isBetween(-330.0, -240.0);
    }
}
