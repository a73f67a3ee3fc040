package dev.bilevel.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedDirectoryTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theFolderIsTheOldOneUntilTheCommitAndTheNewOneWholeAfter() throws IOException {
        Path target = Files.createDirectories(dir.resolve("aggregate"));
        Files.writeString(target.resolve("old.csv"), "old\n");
        Files.writeString(target.resolve("both.csv"), "old\n");

        try (StagedDirectory staged = StagedDirectory.create(target)) {
            Files.writeString(staged.path().resolve("both.csv"), "new\n");
            // a failure (or a kill) before the commit: the old folder is as it was
        }
        assertThat(names()).containsExactly("aggregate");
        assertThat(target.resolve("both.csv")).hasContent("old\n");

        // What a killed writer leaves beside the folder goes with the next one.
        Files.createDirectories(dir.resolve(".aggregate.staged-dead").resolve("curves"));
        Files.createDirectories(dir.resolve(".aggregate.old-dead"));
        try (StagedDirectory staged = StagedDirectory.create(target)) {
            Files.createDirectories(staged.path().resolve("curves"));
            Files.writeString(staged.path().resolve("both.csv"), "new\n");
            Files.writeString(staged.path().resolve("curves/point-001.csv"), "x\n");
            assertThat(target.resolve("both.csv")).hasContent("old\n");
            staged.commit();
        }
        assertThat(names()).containsExactly("aggregate");
        assertThat(target.resolve("both.csv")).hasContent("new\n");
        assertThat(target.resolve("curves/point-001.csv")).hasContent("x\n");
        assertThat(target.resolve("old.csv")).doesNotExist();
    }
}
