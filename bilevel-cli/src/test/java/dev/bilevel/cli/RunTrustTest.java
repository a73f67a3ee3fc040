package dev.bilevel.cli;

import static dev.bilevel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.experiments.run.StopRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code bilevel run} guarantees about its directory: nothing a user made is written over, a run is staged
 * and renamed into place, default names carry the config's hash, an interrupted or killed run says so and resumes
 * to the uninterrupted run's bytes, and numerical failure is not reported as success.
 */
class RunTrustTest {

    private static final String[] FOUR_ROOMS = {"run", "four-rooms", "--iterations", "300", "--seed", "2"};

    @TempDir
    Path dir;

    @AfterEach
    void withdrawStop() {
        StopRequest.clear();
    }

    private static String[] fourRooms(String... more) {
        return Stream.concat(Stream.of(FOUR_ROOMS), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void anExistingRunIsRefusedUnlessOverwrittenWhole() throws IOException {
        Path out = dir.resolve("r");
        assertThat(run(fourRooms("--out", out.toString())).status()).isZero();
        Files.writeString(out.resolve("notes.txt"), "mine");
        byte[] metrics = Files.readAllBytes(out.resolve("metrics.csv"));

        CliRun again = run("run", "four-rooms", "--iterations", "50", "--out", out.toString());
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err().strip()).doesNotContain("\n").contains("--out", "already holds a run", "--overwrite");
        assertThat(Files.readAllBytes(out.resolve("metrics.csv"))).isEqualTo(metrics);
        assertThat(out.resolve("notes.txt")).hasContent("mine");
        assertThat(dir.resolve("r.partial")).doesNotExist();

        CliRun replaced = run("run", "four-rooms", "--iterations", "50", "--out", out.toString(), "--overwrite");
        assertThat(replaced.status()).as(replaced.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(51);
        assertThat(out.resolve("notes.txt")).as("replaced whole, no stale files").doesNotExist();
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("r");
        }
    }

    @Test
    void badInputFoundByTheJobLeavesNothing() {
        CliRun bad = run("run", "--problem", dir.resolve("missing.json").toString(), "--out",
                dir.resolve("p").toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(dir.resolve("p")).doesNotExist();
        assertThat(dir.resolve("p.partial")).doesNotExist();
    }

    @Test
    void defaultNamesCarryTheConfigHash() throws IOException {
        String a = defaultDirectory("--iterations", "20");
        String b = defaultDirectory("--iterations", "21");
        assertThat(a).matches("runs/four-rooms/.*-[0-9a-f]{8}");
        assertThat(b).as("an override changes the name").isNotEqualTo(a);
    }

    /** Runs without {@code --out} (into the working directory's runs/) and removes what it wrote. */
    private static String defaultDirectory(String... options) throws IOException {
        CliRun r = run(Stream.concat(Stream.of("run", "four-rooms", "--seed", "9"), Stream.of(options))
                .toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        String wrote = r.out().lines().filter(l -> l.startsWith("wrote ")).findFirst().orElseThrow().substring(6);
        deleteTree(Path.of(wrote));
        for (Path parent = Path.of(wrote).getParent(); parent != null; parent = parent.getParent()) {
            try (Stream<Path> left = Files.list(parent)) {
                if (left.findAny().isPresent()) {
                    break;
                }
            }
            Files.delete(parent);
        }
        return wrote;
    }

    @Test
    void aStoppedRunSaysSoAndResumesToTheUninterruptedBytes() throws Exception {
        Path whole = dir.resolve("whole");
        String[] long4 = {"run", "four-rooms", "--iterations", "20000", "--seed", "3"};
        assertThat(run(concat(long4, "--out", whole.toString())).status()).isZero();

        Path cut = dir.resolve("cut");
        CompletableFuture<CliRun> running = CompletableFuture.supplyAsync(() -> run(concat(long4, "--out",
                cut.toString())));
        Path staged = dir.resolve("cut.partial").resolve("metrics.csv");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(staged) && Files.size(staged) > 20_000) && !running.isDone()
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        StopRequest.raise();
        CliRun stopped = running.get(60, TimeUnit.SECONDS);
        StopRequest.clear();
        assertThat(stopped.status()).as(stopped.err()).isEqualTo(RunCommand.INTERRUPTED);
        assertThat(stopped.err()).contains("interrupted after iteration", "--resume " + cut);
        assertThat(Files.readString(cut.resolve("summary.json"))).contains("\"status\" : \"interrupted\"");
        assertThat(cut.resolve("curve.png")).as("drawn once resumed (Java2D cannot start in a JVM shutting down)")
                .doesNotExist();
        long kept = Files.readAllLines(cut.resolve("metrics.csv")).size();
        assertThat(kept).isBetween(2L, 20_000L);

        CliRun resumed = run("run", "--resume", cut.toString());
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(Files.readAllBytes(cut.resolve("metrics.csv")))
                .isEqualTo(Files.readAllBytes(whole.resolve("metrics.csv")));
        assertThat(Files.readString(cut.resolve("summary.json"))).contains("\"status\" : \"completed\"");
        assertThat(cut.resolve("curve.png")).isNotEmptyFile();
        assertThat(run("run", "--resume", cut.toString()).err()).contains("that run completed");
    }

    @Test
    void aKilledRunResumesFromItsStagingDirectory() throws IOException {
        Path whole = dir.resolve("whole");
        assertThat(run(fourRooms("--out", whole.toString())).status()).isZero();
        // what kill -9 leaves: the staging directory, its config, and rows up to a partial line
        Path partial = Files.createDirectory(dir.resolve("killed.partial"));
        Files.copy(whole.resolve("config.yaml"), partial.resolve("config.yaml"));
        String metrics = Files.readString(whole.resolve("metrics.csv"));
        int cutAt = metrics.indexOf('\n', metrics.length() / 2) + 15;
        Files.writeString(partial.resolve("metrics.csv"), metrics.substring(0, cutAt));

        CliRun refused = run(fourRooms("--out", dir.resolve("killed").toString()));
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err()).contains("unfinished run", "--resume");

        CliRun resumed = run("run", "--resume", dir.resolve("killed").toString());
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(partial).doesNotExist();
        assertThat(dir.resolve("killed").resolve("metrics.csv")).hasContent(metrics);
        assertThat(dir.resolve("killed").resolve(".lock")).doesNotExist();
    }

    @Test
    void aResumeThatDoesNotReproduceTheRecordedRowsStops() throws IOException {
        Path whole = dir.resolve("whole");
        assertThat(run(fourRooms("--out", whole.toString())).status()).isZero();
        Path partial = Files.createDirectory(dir.resolve("other.partial"));
        Files.copy(whole.resolve("config.yaml"), partial.resolve("config.yaml"));
        List<String> lines = Files.readAllLines(whole.resolve("metrics.csv"));
        String tampered = String.join("\n", lines.subList(0, 10)).replaceFirst("\n5,-0\\.", "\n5,-9.") + "\n";
        Files.writeString(partial.resolve("metrics.csv"), tampered);

        CliRun resumed = run("run", "--resume", partial.toString());
        assertThat(resumed.status()).isEqualTo(1);
        assertThat(resumed.err()).contains("row 6", "resumed run gives");
        assertThat(partial.resolve("metrics.csv")).hasContent(tampered);
    }

    @Test
    void aResumeTakesNoOtherSettings() {
        CliRun r = run("run", "--resume", dir.toString(), "iterations=5");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--resume");
    }

    @Test
    void anInfiniteHypergradientEndsTheRunAsDiverged() throws IOException {
        Path out = dir.resolve("lq");
        // The reference's estimators: their score-function response divides a non-zero sum by β.
        CliRun r = run("run", "lqr-game", "iterations=20", "follower.temperature=1e-300", "leader.direct=score",
                "leader.benefit=critic", "leader.influence=score", "--out", out.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("hypergradient estimate");
        assertThat(Files.readString(out.resolve("summary.json"))).contains("\"status\" : \"diverged\"");
    }

    @Test
    void anUnconvergedFollowerIsAWarning() throws IOException {
        Path out = dir.resolve("lq");
        CliRun r = run("run", "lqr-game", "iterations=3", "follower.max_iterations=1", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: ", "did not converge", "follower.max_iterations = 1");
        assertThat(Files.readString(out.resolve("summary.json"))).contains("\"warnings\"");
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
