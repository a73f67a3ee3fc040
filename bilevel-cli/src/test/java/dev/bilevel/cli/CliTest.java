package dev.bilevel.cli;

import static dev.bilevel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.Hypergradient;
import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.game.ExactGameHypergradient;
import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.math.Vectors;
import dev.bilevel.problems.json.ConfigurableMdpProblem;
import dev.bilevel.problems.json.MarkovGameProblem;
import dev.bilevel.problems.json.ProblemFiles;
import dev.bilevel.problems.json.RandomProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class CliTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void helpListsCommands() {
        CliRun r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("run", "hypergradient");
    }

    @Test
    void noCommandIsUsageError() {
        CliRun r = run();
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void hypergradientOfConfigurableMdpMatchesLibrary() throws IOException {
        ConfigurableMdpProblem problem = RandomProblems.configurableMdp(7, 12, 3, 6, 0.9, 0.3);
        Path file = dir.resolve("p.json");
        Files.writeString(file, ProblemFiles.write(problem));
        CliRun r = run("hypergradient", "--problem", file.toString(), "--estimator", "exact");
        assertThat(r.status()).as(r.err()).isZero();
        Hypergradient expected = ExactHypergradient.compute(problem.mdp(), problem.parameters0());
        assertThat(number(r.out(), "objective")).isEqualTo(expected.objective());
        assertThat(array(r.out(), "gradient")).containsExactly(expected.gradient());
    }

    @Test
    void trainingLoopOnlyEstimatorHasNoOneShotHypergradient() throws IOException {
        Path file = dir.resolve("p.json");
        Files.writeString(file, ProblemFiles.write(RandomProblems.configurableMdp(7, 12, 3, 6, 0.9, 0.3)));
        CliRun r = run("hypergradient", "--problem", file.toString(), "--estimator", "bchg-sr");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("bchg-sr", "use bchg");
    }

    @Test
    void hypergradientOfGameMatchesLibrary() throws IOException {
        MarkovGameProblem problem = RandomProblems.markovGame(3, 5, 2, 3, 0.9, 0.5, FollowerOperator.AVERAGED);
        Path file = dir.resolve("g.json");
        Files.writeString(file, ProblemFiles.write(problem));
        CliRun r = run("hypergradient", "--problem", file.toString());
        assertThat(r.status()).as(r.err()).isZero();
        Hypergradient expected = ExactGameHypergradient.compute(problem.game(), problem.leaderLogits());
        assertThat(number(r.out(), "objective")).isEqualTo(expected.objective());
        assertThat(array(r.out(), "gradient")).containsExactly(expected.gradient());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"kind\":\"nonsense\"}", "[1,2]"})
    void badProblemFileIsOneLineAndStatusTwo(String content) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, content);
        CliRun r = run("hypergradient", "--problem", file.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void missingFileAndUnknownFlagAreUsageErrors() {
        CliRun missing = run("hypergradient", "--problem", dir.resolve("absent.json").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err().strip().lines().count()).isEqualTo(1);
        CliRun unknown = run("hypergradient", "--problem", "x.json", "--frobnicate");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("--frobnicate");
        CliRun estimator = run("hypergradient", "--problem", "x.json", "--estimator", "magic");
        assertThat(estimator.status()).isEqualTo(2);
        assertThat(estimator.err()).contains("--estimator");
    }

    @Test
    void fourRoomsRunWritesIdenticalRunDirectoriesForTheSameSeed() throws IOException {
        Path first = dir.resolve("a");
        Path second = dir.resolve("b");
        CliRun r = run("run", "four-rooms", "--reg-lambda", "0.001", "--iterations", "60", "--seed", "4", "--out",
                first.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("-0.740"); // V_UL(start) at w ≈ 0 (reference: -0.740644 at w = 0)
        assertThat(run("run", "four-rooms", "--reg-lambda", "0.001", "--iterations", "60", "--seed", "4", "--out",
                second.toString()).status()).isZero();
        for (String name : new String[] {"config.yaml", "metrics.csv", "final_decision.txt",
            "final_incentives.txt", "curve.png", "curve.svg"}) {
            assertThat(Files.readAllBytes(second.resolve(name))).as(name)
                    .isEqualTo(Files.readAllBytes(first.resolve(name)));
        }
        // summary.json: the same but for its provenance (times, command line), which is there
        JsonNode a = JSON.readTree(first.resolve("summary.json").toFile());
        JsonNode b = JSON.readTree(second.resolve("summary.json").toFile());
        assertThat(a.path("provenance").path("command_line").toString()).contains("four-rooms", first.toString());
        assertThat(a.path("provenance").path("java").asString()).isNotEmpty();
        assertThat(a.path("provenance").path("wall_seconds").isNumber()).isTrue();
        ((ObjectNode) a).remove("provenance");
        ((ObjectNode) b).remove("provenance");
        assertThat(b).isEqualTo(a);
        assertThat(Files.readAllLines(first.resolve("metrics.csv"))).hasSize(61);
        assertThat(Files.readString(first.resolve("config.yaml"))).contains("learning_rate:", "sarsa_alpha:");
    }

    @Test
    void configFileAndOverridesCombine() throws IOException {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "problem: four-rooms\nmethod: naive\niterations: 5\n");
        Path out = dir.resolve("run");
        CliRun r = run("run", "--config", config.toString(), "samples=50", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        String written = Files.readString(out.resolve("config.yaml"));
        assertThat(written).contains("method: naive", "samples: 50", "iterations: 5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--method=magic", "--learning-rate=-0.1", "--samples=0", "bogus_key=1", "samples",
        "samples=abc", "--reg-lambda=0", "five-rooms", "sr_step=0", "sr_from=-1",
        "initial_decision=no-such-weights.txt", "critic=magic"})
    void badRunInputIsOneLineStatusTwoAndWritesNothing(String bad) {
        Path out = dir.resolve("never");
        CliRun r = run("run", "four-rooms", bad, "--iterations", "3", "--out", out.toString());
        assertThat(r.status()).as(bad + ": " + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void discreteToyRunFromShippedConfigWritesTheRunDirectory() throws IOException {
        Path out = dir.resolve("toy");
        CliRun r = run("run", "--config", "../configs/discrete-toy/R2/biac-offpolicy.yaml", "iterations=12",
                "--seed", "2", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("discrete-toy R2 biac (off-policy)", "mc-undiscounted");
        assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(13);
        assertThat(Files.readString(out.resolve("config.yaml"))).contains("capacity: 1000000", "critic_steps: 5");
        CliRun again = run("run", "discrete-toy", "--variant", "R2", "--method", "biac", "--off-policy",
                "--iterations", "12", "--seed", "2", "--out", dir.resolve("toy2").toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("toy2").resolve("metrics.csv")))
                .isEqualTo(Files.readAllBytes(out.resolve("metrics.csv")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--method=hpgd-mc", "--variant=R3", "--samples=10", "leader.policy_lr=0",
        "evaluation.objective=best", "replay.capacity=x"})
    void badDiscreteToyInputIsOneLineAndStatusTwo(String bad) {
        Path out = dir.resolve("never");
        CliRun r = run("run", "discrete-toy", bad, "--iterations", "3", "--out", out.toString());
        assertThat(r.status()).as(bad + ": " + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(Files.exists(out)).isFalse();
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([^,}\\]]+)").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static double[] array(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\[([^\\]]*)]").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        String[] parts = m.group(1).split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i]);
        }
        return out;
    }

    @Test
    void boltzmannCovarianceWithExactCriticAgreesWithExactHypergradient() throws IOException {
        ConfigurableMdpProblem problem = RandomProblems.configurableMdp(21, 10, 3, 5, 0.9, 0.5);
        Path file = dir.resolve("p.json");
        Files.writeString(file, ProblemFiles.write(problem));
        CliRun r = run("hypergradient", "--problem", file.toString(), "--estimator", "bchg", "--critic", "exact",
                "--episodes", "20000", "--horizon", "150", "--seed", "3");
        assertThat(r.status()).as(r.err()).isZero();
        double[] estimate = array(r.out(), "gradient");
        double[] exact = ExactHypergradient.compute(problem.mdp(), problem.parameters0()).gradient();
        assertThat(Vectors.cosine(estimate, exact)).isGreaterThan(0.98);
        assertThat(r.out()).contains("\"critic\":\"exact\"", "\"episodes\":20000");
    }

    @Test
    void boltzmannCovarianceForTabularGameLeaders() throws IOException {
        MarkovGameProblem problem = RandomProblems.markovGame(5, 10, 3, 4, 0.9, 0.5, FollowerOperator.SEQUENTIAL);
        Path file = dir.resolve("g.json");
        Files.writeString(file, ProblemFiles.write(problem));
        CliRun r = run("hypergradient", "--problem", file.toString(), "--estimator", "bchg", "--critic", "exact",
                "--episodes", "20000", "--horizon", "150", "--seed", "1");
        assertThat(r.status()).as(r.err()).isZero();
        double[] exact = ExactGameHypergradient.compute(problem.game(), problem.leaderLogits()).gradient();
        assertThat(Vectors.cosine(array(r.out(), "gradient"), exact)).isGreaterThan(0.95);
        CliRun hpgd = run("hypergradient", "--problem", file.toString(), "--estimator", "hpgd-mc");
        assertThat(hpgd.status()).isEqualTo(2);
        assertThat(hpgd.err()).contains("markov-game");
    }

    @Test
    void estimatorFlagsAreValidated() throws IOException {
        ConfigurableMdpProblem problem = RandomProblems.configurableMdp(2, 4, 2, 2, 0.9, 0.5);
        Path file = dir.resolve("p.json");
        Files.writeString(file, ProblemFiles.write(problem));
        for (String[] args : new String[][] {{"--episodes", "0"}, {"--horizon", "-3"}, {"--critic", "oracle"},
            {"--estimator", "bchg", "--sarsa-alpha", "2"}}) {
            String[] full = new String[args.length + 3];
            full[0] = "hypergradient";
            full[1] = "--problem";
            full[2] = file.toString();
            System.arraycopy(args, 0, full, 3, args.length);
            CliRun r = run(full);
            assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).isEqualTo(1);
        }
    }

    @Test
    void samplesBeyondAnArrayOrTheHeapAreRefusedBeforeAllocating() throws IOException {
        Path file = dir.resolve("p.json");
        Files.writeString(file, ProblemFiles.write(RandomProblems.configurableMdp(2, 4, 2, 2, 0.9, 0.5)));
        CliRun r = run("hypergradient", "--problem", file.toString(), "--estimator", "bchg", "--episodes", "20000000",
                "--horizon", "200");
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("hypergradient: --episodes: 20,000,000 episodes × --horizon 200 = "
                + "4,000,000,000 rows, more than the 2,147,483,639 a batch holds; use fewer episodes or a shorter "
                + "horizon" + System.lineSeparator());
        assertThatThrownBy(() -> HypergradientCommand.checkBatchSize(10_000_000, 200, 1L << 30))
                .hasMessage("--episodes: 10,000,000 episodes × --horizon 200 = 2,000,000,000 rows need 26.1 GiB for "
                        + "the batch alone, more than the 1.0 GiB this JVM may use (-Xmx); use fewer episodes or a "
                        + "shorter horizon");
        HypergradientCommand.checkBatchSize(1000, 200, 1L << 30);
    }
}
