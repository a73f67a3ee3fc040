package dev.bilevel.experiments.sweep;

import dev.bilevel.experiments.run.ProgressReporter;
import java.util.List;

/** What a sweep tells the person watching it; {@link SweepProgress} draws it on a console. */
public interface SweepListener {

    /** A listener that reports nothing. */
    SweepListener SILENT = new SweepListener() {
    };

    /**
     * The sweep starts.
     *
     * @param trials every trial of this run (its shard)
     * @param toRun the trials that will run now (the others are already finished)
     * @param threads how many trials run at once, or 0 if unknown
     */
    default void begin(List<SweepSpec.Trial> trials, List<SweepSpec.Trial> toRun, int threads) {
    }

    /**
     * A trial's directory was written.
     *
     * @param trial the trial
     * @param record its marker
     */
    default void finished(SweepSpec.Trial trial, TrialRecord record) {
    }

    /** The sweep ended (every trial delivered, or it stopped). */
    default void end() {
    }

    /**
     * Where a trial running in this process reports its own progress.
     *
     * @param spec the trial
     * @return a reporter (silent by default)
     */
    default ProgressReporter trialProgress(TrialSpec spec) {
        return ProgressReporter.silent();
    }
}
