package dev.bilevel.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainPrintsAtEachTenthAndAtTheEnd() {
        AtomicLong clock = new AtomicLong();
        try (ProgressReporter progress = new PlainProgressReporter(err, clock::get)) {
            progress.start("train", 200);
            for (int i = 1; i <= 200; i++) {
                clock.addAndGet(25_000_000L); // 40 steps per second
                progress.step(i, "V_L=" + i);
            }
        }

        String[] lines = output().split("\n");
        assertThat(lines).hasSize(12);
        assertThat(lines[0]).isEqualTo("train: started, 200 steps");
        assertThat(lines[1]).isEqualTo("train: 20/200 (10%), 40.0/s, elapsed 0.5s, ETA 4.5s, V_L=20");
        assertThat(lines[10]).isEqualTo("train: 200/200 (100%), 40.0/s, elapsed 5.0s, V_L=200");
        assertThat(lines[11]).isEqualTo("train: done, 200/200 in 5.0s");
    }

    @Test
    void plainPrintsEveryThirtySecondsWhenProgressIsSlowOrUnknown() {
        AtomicLong clock = new AtomicLong();
        ProgressReporter progress = new PlainProgressReporter(err, clock::get);
        progress.start("sweep", 0);
        for (int i = 1; i <= 10; i++) {
            clock.addAndGet(10_000_000_000L); // 10 s per step
            progress.step(i, null);
        }
        progress.close();
        progress.close();
        progress.step(11, "ignored after close");

        String[] lines = output().split("\n");
        assertThat(lines[0]).isEqualTo("sweep: started");
        assertThat(lines[1]).isEqualTo("sweep: 3, 10.0s each, elapsed 30.0s");
        assertThat(lines[2]).isEqualTo("sweep: 6, 10.0s each, elapsed 1m00s");
        assertThat(lines[3]).isEqualTo("sweep: 9, 10.0s each, elapsed 1m30s");
        assertThat(lines[4]).isEqualTo("sweep: done, 10 in 1m40s");
        assertThat(lines).hasSize(5);
    }

    @Test
    void startingAnotherTaskFinishesThePreviousOne() {
        AtomicLong clock = new AtomicLong();
        try (ProgressReporter progress = new PlainProgressReporter(err, clock::get)) {
            progress.start("a", 2);
            progress.step(1);
            progress.start("b", 2);
        }
        assertThat(output()).contains("a: stopped at 1/2", "b: started, 2 steps", "b: stopped at 0/2");
    }

    @Test
    void environmentVariableChoosesTheImplementation() {
        assertThat(ProgressReporters.forConsole(err, "off", true)).isSameAs(ProgressReporter.silent());
        assertThat(ProgressReporters.forConsole(err, "plain", true)).isInstanceOf(PlainProgressReporter.class);
        assertThat(ProgressReporters.forConsole(err, "PLAIN", true)).isInstanceOf(PlainProgressReporter.class);
        assertThat(ProgressReporters.forConsole(err, "bar", false)).isInstanceOf(ConsoleProgressBar.class);
        assertThat(ProgressReporters.forConsole(err, null, true)).isInstanceOf(ConsoleProgressBar.class);
        assertThat(ProgressReporters.forConsole(err, null, false)).isInstanceOf(PlainProgressReporter.class);
        assertThat(ProgressReporters.forConsole(err, "something", false)).isInstanceOf(PlainProgressReporter.class);
    }

    @Test
    void silentWritesNothing() {
        try (ProgressReporter progress = ProgressReporter.silent()) {
            progress.start("x", 10);
            progress.step(5, "half");
        }
        assertThat(output()).isEmpty();
    }

    @Test
    void barDrawsTaskAndCountToTheGivenStream() {
        try (ProgressReporter progress = new ConsoleProgressBar(err, 100)) {
            progress.start("train", 50);
            progress.step(25, "V_L=-0.74");
            progress.step(50, "V_L=-0.70");
        }
        String out = output();
        assertThat(out).contains("train", "50/50", "V_L=-0.70");
    }
}
