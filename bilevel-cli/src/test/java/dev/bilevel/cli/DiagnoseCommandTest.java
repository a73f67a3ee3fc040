package dev.bilevel.cli;

import static dev.bilevel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.experiments.diagnose.EstimatorDiagnostics;
import dev.bilevel.problems.json.ProblemFiles;
import dev.bilevel.problems.json.RandomProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiagnoseCommandTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static String[] args(String... parts) {
        return parts;
    }

    @Test
    void fourRoomsWritesTablesAndPlots() throws IOException {
        Path out = dir.resolve("fr");
        CliRun r = run("diagnose", "--four-rooms", "--coordinates", "corridors", "--estimators", "bchg,naive",
                "--episodes", "10,40", "--repeats", "3", "--seed", "2", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("## Estimator diagnostics: four-rooms-corridors", "d = 5", "| bchg | 10 |",
                "| naive | 40 |", "wrote " + out);
        for (String name : List.of("diagnostics.csv", "diagnostics.md", "cosine.png", "cosine.svg",
                "relative_error.png", "relative_error.svg")) {
            assertThat(out.resolve(name)).as(name).isNotEmptyFile();
        }
        assertThat(Files.readAllLines(out.resolve("diagnostics.csv"))).hasSize(1 + 4);
        assertThat(Files.readString(out.resolve("diagnostics.md"))).contains("critic exact", "3 repeats");
    }

    @Test
    void problemFileWithSarsaCritic() throws IOException {
        Path file = dir.resolve("chain.json");
        Files.writeString(file, ProblemFiles.write(RandomProblems.configurableMdp(5, 6, 2, 3, 0.8, 0.5)));
        Path out = dir.resolve("file");
        CliRun r = run("diagnose", "--problem", file.toString(), "--estimators", "bchg,hpgd-sarsa,sobirl,exact",
                "--episodes", "20", "--repeats", "2", "--horizon", "40", "--critic", "sarsa", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("## Estimator diagnostics: chain", "critic sarsa", "| sobirl | 20 |",
                "| exact | 20 | — |");
        assertThat(Files.readString(out.resolve("diagnostics.csv"))).contains("chain,3,hpgd-sarsa,sarsa,20,2,40,0,");
    }

    @Test
    void scalingWritesItsTableAndPlots() throws IOException {
        Path out = dir.resolve("scaling");
        CliRun r = run("diagnose", "--scaling", "--dimensions", "2,50", "--episodes", "10", "--repeats", "2",
                "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("## Dimension scaling", "| four-rooms-corridors | 5 |", "| four-rooms-all | 105 |",
                "| random-d2 | 2 | 30×4 | bchg |", "| random-d50 | 50 |");
        for (String name : List.of("scaling.csv", "scaling.md", "time_per_sample.png", "time_per_sample.svg",
                "scaling_cosine.png", "scaling_cosine.svg")) {
            assertThat(out.resolve(name)).as(name).isNotEmptyFile();
        }
        assertThat(Files.readAllLines(out.resolve("scaling.csv"))).hasSize(1 + 4);
    }

    @Test
    void observedStudyWritesItsTablePlotAndProblems() throws IOException {
        Path out = dir.resolve("observed");
        CliRun r = run("diagnose", "--observed", "--random-problems", "2", "--transitions", "300,3000",
                "--repeats", "2", "--seed", "7", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("## Observed-only access", "2 problems, 2 repeats", "| bchg | 3000 |",
                "| random-8 | naive | 300 |");
        for (String name : List.of("observed.csv", "observed.md", "observed_cosine.png", "observed_cosine.svg")) {
            assertThat(out.resolve(name)).as(name).isNotEmptyFile();
        }
        assertThat(Files.readAllLines(out.resolve("observed.csv"))).hasSize(1 + 2 * 3 * 2);
        assertThat(ProblemFiles.read(out.resolve("problems/random-7.json")))
                .usingRecursiveComparison().isEqualTo(RandomProblems.configurableMdp(7, 30, 4, 10, 0.9, 0.1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--transitions=1000", "--random-problems=3", "--pseudo-count=1", "--value-td-step=0.5"})
    void observedOptionsNeedObserved(String option) {
        CliRun r = run("diagnose", "--four-rooms", "--episodes", "5", "--repeats", "2", option);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).endsWith(option.substring(0, option.indexOf('=')) + ": only used with --observed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--scaling", "--episodes=10", "--transitions=0", "--random-problems=0",
        "--estimators=zero-order", "--pseudo-count=0", "--value-td-step=2", "--repeats=1"})
    void badObservedFlagsAreOneLineStatusTwo(String bad) {
        Path out = dir.resolve("never");
        CliRun r = run("diagnose", "--observed", "--out", out.toString(), bad);
        assertThat(r.status()).as(bad + ": " + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
        assertThat(out).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--episodes=0", "--episodes=10,abc", "--episodes=10,10", "--estimators=bogus",
        "--estimators=bchg,,naive", "--estimators=hpgd-oracle", "--estimators=bchg-sr", "--critic=nope",
        "--repeats=0", "--horizon=0",
        "--coordinates=diagonal", "--reg-lambda=0", "--perturbation=-1", "--sarsa-alpha=2", "--dimensions=10",
        "--frobnicate"})
    void badFlagsAreOneLineStatusTwoNamingTheFlag(String bad) {
        Path out = dir.resolve("never");
        List<String> argv = new ArrayList<>(Arrays.asList("diagnose", "--four-rooms", "--episodes", "5",
                "--repeats", "2", "--out", out.toString()));
        argv.add(bad);
        CliRun r = run(argv.toArray(String[]::new));
        assertThat(r.status()).as(bad + ": " + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains(bad.substring(0, bad.contains("=") ? bad.indexOf('=') : bad.length()));
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
        assertThat(out).doesNotExist();
    }

    @Test
    void problemSourceMustBeExactlyOne() {
        for (String[] argv : List.of(args("diagnose"), args("diagnose", "--four-rooms", "--problem", "x.json"))) {
            CliRun r = run(argv);
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("diagnose: --problem, --four-rooms: give exactly one of them");
        }
        CliRun scaling = run("diagnose", "--scaling", "--four-rooms");
        assertThat(scaling.status()).isEqualTo(2);
        assertThat(scaling.err()).contains("--four-rooms: not used with --scaling");
        CliRun budgets = run("diagnose", "--scaling", "--episodes", "10,20");
        assertThat(budgets.status()).isEqualTo(2);
        assertThat(budgets.err()).contains("--episodes: --scaling takes one budget");
    }

    @Test
    void gameProblemsAreRejected() throws IOException {
        Path file = dir.resolve("game.json");
        Files.writeString(file, ProblemFiles.write(RandomProblems.markovGame(1, 3, 2, 2, 0.9, 0.5,
                FollowerOperator.AVERAGED)));
        CliRun r = run("diagnose", "--problem", file.toString(), "--out", dir.resolve("g").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("diagnose supports configurable-mdp problems");
        CliRun missing = run("diagnose", "--problem", dir.resolve("absent.json").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void helpMentionsTheExactCritic() {
        CliRun r = run("diagnose", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("--critic", "isolates Monte-Carlo error", "--scaling");
        // The defaults shown are the library's.
        EstimatorDiagnostics.Settings defaults = EstimatorDiagnostics.Settings.defaults();
        String estimators = String.join(",", defaults.estimators().stream().map(k -> k.id()).toList());
        String budgets = String.join(",", defaults.episodes().stream().map(String::valueOf).toList());
        assertThat(r.out().replaceAll("\\s+", "")).contains("default:" + estimators, "default:" + budgets,
                "default:" + defaults.repeats() + ")");
        assertThat(run("--help").out()).contains("diagnose");
    }
}
