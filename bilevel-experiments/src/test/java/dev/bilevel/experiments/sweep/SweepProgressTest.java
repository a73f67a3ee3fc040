package dev.bilevel.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.experiments.run.ProgressReporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SweepProgressTest {

    private static final SweepSpec SPEC = SweepSpec.parse("problem: four-rooms\nmethod: [bchg, naive]\nseeds: 2\n",
            "test", Path.of("."));

    private static TrialRecord record(SweepSpec.Trial t, boolean ok) {
        return new TrialRecord(t.id(), ok ? TrialRecord.COMPLETED : TrialRecord.FAILED, ok ? null : "diverged",
                t.label(), 2.0, List.of(), null);
    }

    @Test
    void plainLinesReportFailuresProgressAndEta() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        SweepProgress progress = new SweepProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                SweepProgress.Mode.PLAIN, clock::get, 200);
        List<SweepSpec.Trial> trials = SPEC.trials();
        progress.begin(trials, trials.subList(1, 4), 2);
        clock.set(2_000_000_000L);
        progress.finished(trials.get(1), record(trials.get(1), true));
        clock.set(4_000_000_000L);
        progress.finished(trials.get(2), record(trials.get(2), false));
        progress.end();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out.lines().toList()).containsExactly(
                "sweep: 4 trials, 3 to run (1 already finished)",
                "sweep: 2/4 trials (50%), elapsed 2.0s, ETA 4.0s; last method=bchg seed=1 2.0s",
                "sweep: failed: method=naive seed=0: diverged",
                "sweep: 3/4 trials (75%), 1 failed, elapsed 4.0s, ETA 2.0s; last method=naive seed=0 2.0s");
        assertThat(progress.trialProgress(trials.get(0).spec())).isSameAs(ProgressReporter.silent());
    }

    @Test
    void liveDisplayDrawsTheBarAndOneLinePerRunningTrial() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        SweepProgress progress = new SweepProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                SweepProgress.Mode.LIVE, clock::get, 200);
        List<SweepSpec.Trial> trials = SPEC.trials();
        progress.begin(trials, trials, 2);
        ProgressReporter a = progress.trialProgress(trials.get(0).spec());
        a.start("four-rooms", 1000);
        a.step(500, "objective 0.5");
        clock.set(1_000_000_000L);
        progress.finished(trials.get(1), record(trials.get(1), false));
        progress.end();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("\033[2Kfailed: method=bchg seed=1: diverged\n")
                .contains("\033[2Ksweep 1/4 [######------------------] 1/4 trials (25%), 1 running, 1 failed, "
                        + "elapsed 1.0s, ETA 1.7s\n")
                .contains("\033[2K  method=bchg seed=0  500/1000 (50%)  objective 0.5\n");
    }
}
