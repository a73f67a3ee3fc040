package dev.bilevel.cli;

import static dev.bilevel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What the console says: suggestions for mistyped options, no dead ends, short closing summaries. */
class ConsoleTest {

    @TempDir
    Path dir;

    @Test
    void everyHelpFormatsWithoutPicocliWarnings() throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
            assertThat(cli.getUsageMessage()).isNotEmpty();
            for (CommandLine sub : cli.getSubcommands().values()) {
                assertThat(sub.getUsageMessage()).as(sub.getCommandName()).contains("Usage:");
            }
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).as("a description with a lone %% breaks its formatting")
                .doesNotContain("picocli WARN");
    }

    @Test
    void aMistypedOptionGetsASuggestion() {
        CliRun r = run("run", "four-rooms", "--methd", "bchg");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("run: Unknown option: '--methd'; did you mean --method? (see --help)");
    }

    @Test
    void anUnknownEstimatorListsOnlyWhatTheCommandOffers() {
        CliRun r = run("hypergradient", "--problem", "../docs/examples/chain-cmdp.json", "--estimator", "magic");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("hypergradient: --estimator: unknown estimator 'magic', expected one"
                + " of bchg, hpgd-mc, hpgd-sarsa, naive, sobirl, zero-order, exact");
    }

    @Test
    void aConfigOfAnotherProblemSaysSo() {
        CliRun r = run("run", "four-rooms", "--config", "../configs/thermal/model/bchg.yaml", "--out",
                dir.resolve("x").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("a thermal config, but the command runs four-rooms").doesNotContain("expected");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void closingSummariesAreShortAndSayWhatTheNumbersAre() {
        CliRun game = run("run", "lqr-game", "iterations=3", "--out", dir.resolve("lq").toString());
        assertThat(game.status()).as(game.err()).isZero();
        assertThat(game.out().lines()).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(110));
        assertThat(game.out()).contains("leader objective ", "(mean over the last 3: ", "mc-undiscounted leader return");

        CliRun search = run("run", "thermal-random-search", "draws=20", "--out", dir.resolve("rs").toString());
        assertThat(search.status()).as(search.err()).isZero();
        assertThat(search.out()).contains("random search over 20 designs: mean ", "(paper: -273), best ")
                .doesNotContain("iterations");
    }
}
