package dev.bilevel.hazelcast;

import static dev.bilevel.hazelcast.ClusterTesting.trial;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.experiments.catalog.ExperimentJobs;
import dev.bilevel.experiments.config.ConfigKey;
import dev.bilevel.experiments.config.ValueType;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.sweep.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input-directory rule for tasks from the cluster, without a cluster. */
class TaskInputsTest {

    /** String keys that name no file; a new string key must be classified here or in {@link TaskInputs}. */
    private static final Set<String> NOT_FILES = Set.of("evaluation.objective", "file_sha256");

    @TempDir
    Path dir;

    @Test
    void everyStringKeyOfEveryJobIsAFileKeyOrKnownNotToBeOne() {
        for (ExperimentJob job : ExperimentJobs.all()) {
            for (ConfigKey key : job.schema().keys()) {
                if (key.type() == ValueType.STRING) {
                    assertThat(TaskInputs.fileKeys(job).contains(key.name()) || NOT_FILES.contains(key.name()))
                            .as("%s key %s: does it name a file a run reads?", job.problem(), key.name()).isTrue();
                }
            }
        }
        assertThat(TaskInputs.fileKeys(ExperimentJobs.forProblem("problem-file", "problem")))
                .containsExactly("file", "initial_decision");
    }

    @Test
    void filesInsideTheInputDirectoryPassAndOthersAreRefused() throws IOException {
        Path inputs = Files.createDirectories(dir.resolve("inputs"));
        Path weights = Files.writeString(inputs.resolve("w.txt"), "0\n".repeat(105));
        assertThatCode(() -> TaskInputs.check(trial(1, 0, "initial_decision=" + weights), inputs))
                .doesNotThrowAnyException();
        assertThatCode(() -> TaskInputs.check(trial(1, 0), inputs)).doesNotThrowAnyException();

        Path outside = Files.writeString(dir.resolve("w.txt"), "0\n".repeat(105));
        assertThatThrownBy(() -> TaskInputs.check(trial(1, 0, "initial_decision=" + outside), inputs))
                .hasMessage("initial_decision: " + outside + " is outside the sweep's input directory " + inputs);

        // A link inside the directory to a file outside it is outside.
        Path link = Files.createSymbolicLink(inputs.resolve("link.txt"), outside);
        assertThatThrownBy(() -> TaskInputs.check(trial(1, 0, "initial_decision=" + link), inputs))
                .hasMessageStartingWith("initial_decision: " + link + " is outside");

        // ".." out of the directory, in the problem file's key, which the check reads before the job does.
        TrialSpec problemFile = new TrialSpec("x", "problem-file",
                "problem: problem-file\nfile: " + inputs.resolve("../../etc/passwd") + "\n");
        assertThatThrownBy(() -> TaskInputs.check(problemFile, inputs))
                .hasMessageStartingWith("file: " + inputs.resolve("../../etc/passwd") + " is outside");

        assertThatThrownBy(() -> TaskInputs.check(trial(1, 0, "initial_decision=" + weights), dir.resolve("none")))
                .hasMessage("input directory: " + dir.resolve("none") + " does not exist on this member");
    }

    @Test
    void aConfigThatExtendsAFileIsRefused() {
        TrialSpec spec = new TrialSpec("x", "four-rooms", "extends: /etc/hostname\nproblem: four-rooms\n");
        assertThatThrownBy(() -> TaskInputs.check(spec, dir))
                .hasMessage("extends: a task's config may not extend a file");
    }
}
