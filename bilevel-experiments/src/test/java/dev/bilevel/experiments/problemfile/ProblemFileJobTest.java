package dev.bilevel.experiments.problemfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.job.InputFile;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.problems.json.ProblemFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProblemFileJobTest {

    private static final Path CHAIN = Path.of("../docs/examples/chain-cmdp.json");
    private static final Path GAME = Path.of("../docs/examples/matching-game.json");

    @TempDir
    Path dir;

    private static ResolvedConfig config(String... overrides) {
        return ProblemFileJob.SCHEMA.resolve(null, List.of(overrides));
    }

    @Test
    void completeRecordsTheAbsolutePathAndTheHashOfTheContent() throws IOException {
        ResolvedConfig c = new ProblemFileJob().complete(config("file=" + CHAIN, "iterations=3"));
        assertThat(c.optionalString("file").orElseThrow()).isEqualTo(CHAIN.toAbsolutePath().normalize().toString());
        assertThat(c.optionalString("file_sha256").orElseThrow()).hasSize(64)
                .isEqualTo(InputFile.sha256(Files.readAllBytes(CHAIN)))
                .isNotEqualTo(InputFile.sha256(Files.readAllBytes(GAME)));
        // Completing a completed config changes nothing (a trial re-resolved on a worker has the same id).
        assertThat(new ProblemFileJob().complete(c)).isEqualTo(c);
        assertThat(new ProblemFileJob().inputFiles()).containsExactly(new InputFile("file", "file_sha256"));
    }

    @Test
    void aFileThatChangedAfterItsHashWasRecordedIsRefused() throws IOException {
        Path file = Files.copy(CHAIN, dir.resolve("chain.json"));
        ResolvedConfig c = new ProblemFileJob().complete(config("file=" + file, "iterations=3"));
        Files.writeString(file, Files.readString(file).replace("\"temperature\": 0.1", "\"temperature\": 0.3"));
        assertThatThrownBy(() -> new ProblemFileJob().complete(c)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("file: " + file + " has changed: its SHA-256 is ")
                .hasMessageEndingWith("in the config's file_sha256");
        // A run reads the file again and checks it too: nothing is trained on content the config does not name.
        Path out = dir.resolve("run");
        assertThatThrownBy(() -> new ProblemFileJob().run(c, RunDirectory.prepare(out), ProgressReporter.silent()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has changed");
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void problemFileErrorsNameTheFileAndTheField() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.json"), Files.readString(CHAIN)
                .replace("\"temperature\": 0.1", "\"temperature\": -1"));
        assertThatThrownBy(() -> ProblemFileJob.readProblem(file)).isInstanceOf(ProblemFileException.class)
                .hasMessage("problem file " + file + ": temperature: -1.0 must be a finite number > 0");
        assertThatThrownBy(() -> new ProblemFileJob().complete(config("file=" + dir.resolve("none.json"))))
                .isInstanceOf(ProblemFileException.class)
                .hasMessage("cannot read problem file " + dir.resolve("none.json") + ": no such file");
        assertThatThrownBy(() -> new ProblemFileJob().complete(config()))
                .hasMessageStartingWith("file: give the problem file");
    }

    @Test
    void methodsFollowTheKindOfTheFile() {
        assertThat(ProblemFileJob.methodsFor(ProblemFileJob.readProblem(CHAIN))).isEqualTo(ProblemFileJob.METHODS);
        assertThat(ProblemFileJob.methodsFor(ProblemFileJob.readProblem(GAME)))
                .containsExactly("bchg", "naive", "zero-order", "exact");
        assertThatThrownBy(() -> new ProblemFileJob().complete(config("file=" + GAME, "method=sobirl")))
                .hasMessage("method: 'sobirl' does not apply to a Markov game, expected one of bchg, naive, "
                        + "zero-order, exact");
    }

    @Test
    void theSummaryRecordsTheFileAndItsHash() {
        ResolvedConfig c = new ProblemFileJob().complete(config("file=" + GAME, "iterations=4", "last_window=2"));
        Map<String, Object> summary = new ProblemFileJob().run(c, null, ProgressReporter.silent());
        assertThat(summary).containsEntry("file", c.optionalString("file").orElseThrow())
                .containsEntry("file_sha256", c.optionalString("file_sha256").orElseThrow())
                .containsEntry("kind", "markov-game").containsEntry("iterations", 4);
    }
}
