package dev.bilevel.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.experiments.ExperimentInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep directory's locks between processes: another JVM holds a lock, this one tries its own. */
class SweepLockTest {

    @TempDir
    Path dir;

    /** Starts a JVM that takes the driver lock of {@code shard} on {@link #dir} and holds it until its stdin closes. */
    private Process holder(String shard) throws IOException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), dir.toString(), shard)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        return p;
    }

    @Test
    void aSecondDriverOfTheSameShardWaitsUntilTheFirstEnds() throws Exception {
        Process first = holder("1/1");
        List<String> told = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<SweepLock> second = CompletableFuture.supplyAsync(
                () -> SweepLock.driver(dir, "--out", Shard.ALL, told::add));
        while (told.isEmpty()) {
            assertThat(second).isNotDone();
            Thread.sleep(10);
        }
        assertThat(told).containsExactly("waiting for the lock on " + dir + " held by another sweep");
        assertThat(second).isNotDone();
        first.destroyForcibly().waitFor(); // even kill -9 releases it
        try (SweepLock lock = second.get(10, TimeUnit.SECONDS)) {
            lock.releaseIndex();
        }
    }

    @Test
    void shardsOfOneCountRunSideBySideAndOtherCountsAreRefused() throws Exception {
        Process first = holder("1/2");
        try {
            List<String> told = new ArrayList<>();
            try (SweepLock other = SweepLock.driver(dir, "--out", new Shard(2, 2), told::add)) {
                assertThat(told).isEmpty();
            }
            assertThatThrownBy(() -> SweepLock.driver(dir, "--out", new Shard(1, 3), told::add))
                    .isInstanceOf(ExperimentInputException.class)
                    .hasMessage("--shard 1/3: " + dir + " is being swept with another shard count; shards of one "
                            + "directory must all use the same n (wait for the other sweep, or use another --out)");
            assertThatThrownBy(() -> SweepLock.driver(dir, "--out", Shard.ALL, told::add))
                    .isInstanceOf(ExperimentInputException.class).hasMessageStartingWith("--out: " + dir);
            assertThat(told).isEmpty();
        } finally {
            first.getOutputStream().close();
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        try (SweepLock alone = SweepLock.driver(dir, "--out", Shard.ALL, m -> { })) {
            alone.releaseIndex();
        }
    }

    /** Holds a driver lock: {@code Holder DIR i/n}; prints {@code locked}, then waits for stdin to close. */
    public static final class Holder {

        private Holder() {
        }

        /**
         * Takes the lock and holds it.
         *
         * @param args the directory and the shard
         * @throws IOException if stdin fails
         */
        public static void main(String[] args) throws IOException {
            try (SweepLock lock = SweepLock.driver(Path.of(args[0]), "--out", Shard.parse(args[1], "shard"), m -> { })) {
                lock.releaseIndex();
                System.out.println("locked");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // hold the lock until the test closes stdin (or kills this process)
                }
            }
        }
    }
}
