package dev.bilevel.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.experiments.run.RunDirectoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {

    @TempDir
    Path dir;

    private static final String SPEC = """
            problem: four-rooms
            method: [bchg, naive]
            samples: [100, 200]
            iterations: 30
            seeds: 2
            """;

    private static SweepSpec spec() {
        return SweepSpec.parse(SPEC, "sweep spec test", Path.of("."));
    }

    private static Sweep.Result run(SweepSpec spec, Path out, TrialExecutor executor, Shard shard, boolean retry)
            throws InterruptedException {
        try (executor) {
            SweepDirectory directory = SweepDirectory.open(out, "--out");
            try (SweepLock lock = Sweep.lock(spec, directory, shard, waiting -> { })) {
                return Sweep.run(spec, directory, lock, executor, retry, SweepListener.SILENT,
                        List.of("sweep", "test.yaml"));
            }
        }
    }

    private static LocalTrialExecutor local(int threads) {
        return new LocalTrialExecutor(threads, s -> dev.bilevel.experiments.run.ProgressReporter.silent());
    }

    /** Every file under {@code trials/}, by relative path, without the markers (they hold wall times). */
    private static Map<String, byte[]> files(Path out) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        Path trials = out.resolve(SweepDirectory.TRIALS);
        try (Stream<Path> walk = Files.walk(trials)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (!p.getFileName().toString().equals(SweepDirectory.MARKER)) {
                    files.put(trials.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    private static void assertSameFiles(Map<String, byte[]> a, Map<String, byte[]> b) {
        assertThat(b.keySet()).isEqualTo(a.keySet());
        for (String name : a.keySet()) {
            assertThat(b.get(name)).as(name).isEqualTo(a.get(name));
        }
    }

    @Test
    void runsEveryTrialOnceAndSkipsFinishedTrialsWhenRunAgain() throws Exception {
        SweepSpec spec = spec();
        Path out = dir.resolve("out");
        Sweep.Result first = run(spec, out, local(2), Shard.ALL, false);
        assertThat(first.trials()).isEqualTo(8);
        assertThat(first.ran()).isEqualTo(8);
        assertThat(first.completed()).isEqualTo(8);
        assertThat(first.allCompleted()).isTrue();
        Map<String, TrialRecord> scan = SweepDirectory.open(out, "--out").scan();
        assertThat(scan).hasSize(8);
        for (SweepSpec.Trial t : spec.trials()) {
            Path trial = out.resolve("trials").resolve(t.dirName());
            assertThat(scan.get(t.dirName()).id()).isEqualTo(t.id());
            assertThat(scan.get(t.dirName()).label()).isEqualTo(t.label());
            assertThat(Files.readString(trial.resolve("config.yaml"))).isEqualTo(t.spec().configYaml());
            assertThat(Files.readAllLines(trial.resolve("metrics.csv"))).hasSize(31);
            assertThat(scan.get(t.dirName()).files()).contains("config.yaml", "metrics.csv", "summary.json",
                    "final_incentives.txt");
            assertThat(scan.get(t.dirName()).provenance()).containsEntry("command_line", List.of("sweep", "test.yaml"))
                    .containsKeys("bilevel_version", "git_commit", "java", "os", "started", "ended", "wall_seconds");
        }
        assertThat(Files.readString(out.resolve(SweepDirectory.SPEC))).isEqualTo(SPEC);
        assertThat(Files.readAllLines(out.resolve(SweepDirectory.INDEX))).hasSize(9)
                .first().isEqualTo("id,dir,method,samples,learning_rate,sarsa_alpha,seed");
        Map<String, byte[]> before = files(out);

        AtomicInteger submitted = new AtomicInteger();
        Sweep.Result again = run(spec, out, counting(local(2), submitted), Shard.ALL, false);
        assertThat(again.ran()).isZero();
        assertThat(again.skipped()).isEqualTo(8);
        assertThat(submitted.get()).isZero();
        assertSameFiles(before, files(out));
    }

    /** Two drivers on one directory take turns: the second waits, then finds every trial finished. */
    @Test
    void twoDriversOnOneDirectoryRunEveryTrialOnce() throws Exception {
        SweepSpec spec = spec();
        Path out = dir.resolve("shared");
        List<String> waited = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService drivers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Sweep.Result>> results = new ArrayList<>();
            for (int d = 0; d < 2; d++) {
                results.add(drivers.submit(() -> {
                    SweepDirectory directory = SweepDirectory.open(out, "--out");
                    try (TrialExecutor executor = local(2);
                            SweepLock lock = Sweep.lock(spec, directory, Shard.ALL, waited::add)) {
                        return Sweep.run(spec, directory, lock, executor, false, SweepListener.SILENT, List.of("sweep"));
                    }
                }));
            }
            Sweep.Result a = results.get(0).get();
            Sweep.Result b = results.get(1).get();
            assertThat(a.ran() + b.ran()).isEqualTo(8);
            assertThat(a.skipped() + b.skipped()).isEqualTo(8);
            assertThat(a.allCompleted() && b.allCompleted()).isTrue();
        } finally {
            drivers.shutdownNow();
        }
        assertThat(waited).containsExactly("waiting for the lock on " + out + " held by another sweep");
        run(spec(), dir.resolve("alone"), local(2), Shard.ALL, false);
        assertSameFiles(files(dir.resolve("alone")), files(out));
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreads() throws Exception {
        run(spec(), dir.resolve("one"), local(1), Shard.ALL, false);
        run(spec(), dir.resolve("three"), local(3), Shard.ALL, false);
        assertSameFiles(files(dir.resolve("one")), files(dir.resolve("three")));
    }

    /**
     * A crash at any point leaves whole trial directories and staging leftovers; the next run redoes
     * exactly the missing trials and ends with the files of an uninterrupted run.
     */
    @Test
    void resumesAfterACrashWithNothingLostOrDuplicated() throws Exception {
        SweepSpec spec = spec();
        Path reference = dir.resolve("reference");
        run(spec, reference, local(2), Shard.ALL, false);

        Path out = dir.resolve("crashed");
        // The driver "dies" after writing three trials (the executor throws as a killed process stops).
        assertThatThrownBy(() -> run(spec, out, crashingAfter(local(1), 3), Shard.ALL, false))
                .hasMessageContaining("crash");
        SweepDirectory directory = SweepDirectory.open(out, "--out");
        assertThat(directory.scan()).hasSize(3);
        // What kill -9 can leave: a half-written staging directory, and (from older tools, or a copy) a
        // trial directory without its marker.
        SweepSpec.Trial staged = spec.trials().get(5);
        Path leftover = Files.createDirectories(out.resolve(SweepDirectory.STAGING).resolve(staged.dirName() + ".abc"));
        Files.writeString(leftover.resolve("metrics.csv"), "iteration,leader_objective\n0,");
        SweepSpec.Trial unmarked = spec.trials().get(6);
        Path partial = Files.createDirectories(out.resolve(SweepDirectory.TRIALS).resolve(unmarked.dirName()));
        Files.writeString(partial.resolve("metrics.csv"), "garbage");
        // Another shard's staging entry is not ours to remove.
        Path foreign = Files.createDirectories(out.resolve(SweepDirectory.STAGING).resolve("0123456789abcdef.x"));

        AtomicInteger submitted = new AtomicInteger();
        Sweep.Result resumed = run(spec, out, counting(local(2), submitted), Shard.ALL, false);
        assertThat(resumed.skipped()).isEqualTo(3);
        assertThat(resumed.ran()).isEqualTo(5);
        assertThat(submitted.get()).isEqualTo(5);
        assertThat(resumed.completed()).isEqualTo(8);
        assertSameFiles(files(reference), files(out));
        assertThat(Files.exists(leftover)).isFalse();
        assertThat(Files.exists(foreign)).isTrue();
        try (Stream<Path> staging = Files.list(out.resolve(SweepDirectory.STAGING))) {
            assertThat(staging.toList()).containsExactly(foreign);
        }
    }

    @Test
    void failedTrialsAreRecordedDoNotStopOthersAndAreRetriedOnRequest() throws Exception {
        SweepSpec spec = spec();
        Path out = dir.resolve("out");
        SweepSpec.Trial victim = spec.trials().get(2);
        Sweep.Result result = run(spec, out, failing(local(2), victim.id()), Shard.ALL, false);
        assertThat(result.completed()).isEqualTo(7);
        assertThat(result.failures()).hasSize(1);
        assertThat(result.failures().get(0).error()).isEqualTo("objective is NaN at iteration 3");
        assertThat(result.failures().get(0).label()).isEqualTo(victim.label());
        TrialRecord marker = SweepDirectory.readMarker(out.resolve("trials").resolve(victim.dirName()));
        assertThat(marker.status()).isEqualTo(TrialRecord.FAILED);
        assertThat(Files.readString(out.resolve("trials").resolve(victim.dirName()).resolve("metrics.csv")))
                .isEqualTo("partial");

        Sweep.Result kept = run(spec, out, local(2), Shard.ALL, false);
        assertThat(kept.ran()).isZero();
        assertThat(kept.failures()).hasSize(1);

        Sweep.Result retried = run(spec, out, local(2), Shard.ALL, true);
        assertThat(retried.ran()).isEqualTo(1);
        assertThat(retried.allCompleted()).isTrue();
        assertThat(SweepDirectory.readMarker(out.resolve("trials").resolve(victim.dirName())).completed()).isTrue();
        Path reference = dir.resolve("reference");
        run(spec, reference, local(2), Shard.ALL, false);
        assertSameFiles(files(reference), files(out));
    }

    @Test
    void aTrialThatThrowsBecomesAFailedOutcome() throws Exception {
        TrialSpec bad = new TrialSpec("f".repeat(64), "four-rooms", "problem: four-rooms\nsamples: -3\n");
        List<TrialOutcome> outcomes = new ArrayList<>();
        try (LocalTrialExecutor executor = local(1)) {
            executor.runAll(List.of(bad), outcomes::add);
        }
        assertThat(outcomes).hasSize(1);
        assertThat(outcomes.get(0).completed()).isFalse();
        assertThat(outcomes.get(0).error()).contains("samples");
    }

    @Test
    void shardsPartitionTheSweepAndFillOneDirectory() throws Exception {
        SweepSpec spec = spec();
        Path out = dir.resolve("sharded");
        Sweep.Result a = run(spec, out, local(1), new Shard(1, 3), false);
        Sweep.Result b = run(spec, out, local(1), new Shard(2, 3), false);
        Sweep.Result c = run(spec, out, local(1), new Shard(3, 3), false);
        assertThat(List.of(a.trials(), b.trials(), c.trials())).containsExactly(3, 3, 2);
        Path whole = dir.resolve("whole");
        run(spec, whole, local(2), Shard.ALL, false);
        assertSameFiles(files(whole), files(out));
        assertThat(new Shard(2, 3).select(List.of(0, 1, 2, 3, 4, 5, 6))).containsExactly(1, 4);
        assertThat(Shard.parse(" 2/8 ", "--shard")).isEqualTo(new Shard(2, 8));
        for (String bad : new String[] {"0/2", "3/2", "1/0", "a/b", "1", "1/2/3"}) {
            assertThatThrownBy(() -> Shard.parse(bad, "--shard")).as(bad)
                    .isInstanceOf(ExperimentInputException.class).hasMessageStartingWith("--shard: ");
        }
    }

    @Test
    void anExecutorThatLosesOrInventsTrialsIsCaught() throws Exception {
        SweepSpec spec = spec();
        TrialExecutor losing = new TrialExecutor() {
            @Override
            public void runAll(List<TrialSpec> trials, Consumer<TrialOutcome> onOutcome) {
                TrialOutcome first = TrialRunner.run(trials.get(0), dev.bilevel.experiments.run.ProgressReporter.silent());
                onOutcome.accept(first);
                onOutcome.accept(first); // delivered twice: counted once
            }

            @Override
            public void close() {
            }
        };
        assertThatThrownBy(() -> run(spec, dir.resolve("lost"), losing, Shard.ALL, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("delivered 1 of 8");
        TrialExecutor inventing = new TrialExecutor() {
            @Override
            public void runAll(List<TrialSpec> trials, Consumer<TrialOutcome> onOutcome) {
                onOutcome.accept(new TrialOutcome("e".repeat(64), true, null, Map.of(), 0.0));
            }

            @Override
            public void close() {
            }
        };
        assertThatThrownBy(() -> run(spec, dir.resolve("invented"), inventing, Shard.ALL, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not submit");
    }

    @Test
    void outputDirectoryProblemsAreOneLine() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> SweepDirectory.open(file, "--out")).isInstanceOf(RunDirectoryException.class)
                .hasMessage("--out " + file + ": not a directory");
        assertThatThrownBy(() -> SweepDirectory.open(file.resolve("sub"), "--out"))
                .isInstanceOf(RunDirectoryException.class).hasMessageStartingWith("--out " + file.resolve("sub")
                        + ": cannot create it");
        assertThatThrownBy(() -> SweepDirectory.existing(dir.resolve("none"), "DIR"))
                .hasMessage("DIR " + dir.resolve("none") + ": not found");
        assertThatThrownBy(() -> SweepDirectory.existing(dir, "DIR"))
                .hasMessage("DIR " + dir + ": not a sweep directory (no trials/ in it)");
    }

    @Test
    void markersRoundTrip() {
        TrialRecord r = new TrialRecord("a".repeat(64), TrialRecord.FAILED, "boom \"quoted\"", "method=x seed=1", 1.5,
                List.of("config.yaml", "metrics.csv"), null);
        assertThat(TrialRecord.parse(r.toJson())).isEqualTo(r);
        Map<String, Object> origin = new java.util.LinkedHashMap<>();
        origin.put("git_commit", null);
        origin.put("command_line", List.of("sweep", "s.yaml"));
        origin.put("wall_seconds", 1.5);
        TrialRecord withOrigin = new TrialRecord(r.id(), TrialRecord.COMPLETED, null, "seed=0", 1.5, List.of(), origin);
        assertThat(TrialRecord.parse(withOrigin.toJson())).isEqualTo(withOrigin);
        // A marker written before provenance existed still reads.
        TrialRecord old = TrialRecord.parse("{\"id\": \"" + r.id() + "\", \"status\": \"completed\", \"error\": null, "
                + "\"label\": \"seed=0\", \"seconds\": 2.0, \"files\": [\"metrics.csv\"]}");
        assertThat(old).isNotNull();
        assertThat(old.provenance()).isNull();
        assertThat(old.files()).containsExactly("metrics.csv");
        assertThat(TrialRecord.parse("{")).isNull();
        assertThat(TrialRecord.parse("{\"id\": \"x\", \"status\": \"weird\"}")).isNull();
    }

    // ------------------------------------------------------------------ executors for the tests

    private static TrialExecutor counting(TrialExecutor inner, AtomicInteger submitted) {
        return new TrialExecutor() {
            @Override
            public void runAll(List<TrialSpec> trials, Consumer<TrialOutcome> onOutcome) throws InterruptedException {
                submitted.addAndGet(trials.size());
                inner.runAll(trials, onOutcome);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    private static TrialExecutor crashingAfter(TrialExecutor inner, int outcomes) {
        return new TrialExecutor() {
            @Override
            public void runAll(List<TrialSpec> trials, Consumer<TrialOutcome> onOutcome) throws InterruptedException {
                AtomicInteger delivered = new AtomicInteger();
                inner.runAll(trials, o -> {
                    if (delivered.getAndIncrement() >= outcomes) {
                        throw new IllegalStateException("crash");
                    }
                    onOutcome.accept(o);
                });
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    private static TrialExecutor failing(TrialExecutor inner, String id) {
        return new TrialExecutor() {
            @Override
            public void runAll(List<TrialSpec> trials, Consumer<TrialOutcome> onOutcome) throws InterruptedException {
                inner.runAll(trials, o -> onOutcome.accept(o.id().equals(id)
                        ? new TrialOutcome(id, false, "objective is NaN at iteration 3",
                                Map.of("metrics.csv", "partial".getBytes()), 0.1)
                        : o));
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }
}
