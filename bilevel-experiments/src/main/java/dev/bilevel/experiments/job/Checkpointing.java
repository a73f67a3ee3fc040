package dev.bilevel.experiments.job;

import dev.bilevel.core.state.StateMismatchException;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.experiments.run.MetricsWriter;
import dev.bilevel.experiments.run.RunCheckpoint;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.experiments.run.StopRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A job loop's checkpoints: when to write one, writing it, and restoring it when the run is resumed.
 *
 * <p>Each iteration the loop calls {@link #prepare} at the moment the {@link RunState#follower()} part is to be
 * saved (in the training loop, before the follower answers the leader's update) and {@link #commit} once the
 * iteration's row is written, which saves the other part and writes {@link RunCheckpoint#FILE} for the rows so far.
 * A stop asked for after {@link #prepare} (a signal in the middle of an iteration) is honoured one iteration later,
 * so that a stopped run always ends on a checkpoint ({@link #commit} says when to stop).
 * A checkpoint is due when the directory's interval ({@link RunDirectory#checkpointInterval()}) has passed since
 * the last one, or when the run is about to stop ({@link StopRequest#due}); which iterations get one never changes
 * a number. A run that ends (completed or diverged) removes its checkpoint ({@link #end}).
 */
public final class Checkpointing {

    private final RunDirectory directory;
    private final MetricsWriter metrics;
    private final RunState state;
    private final long intervalNanos;
    private long last = System.nanoTime();
    private byte[] prepared;

    /**
     * @param directory the run directory, or {@code null} for a run that writes nothing (and checkpoints nothing)
     * @param metrics its metrics, or {@code null} with {@code directory}
     * @param state what a checkpoint holds
     */
    public Checkpointing(RunDirectory directory, MetricsWriter metrics, RunState state) {
        this.directory = directory;
        this.metrics = metrics;
        this.state = Objects.requireNonNull(state, "state");
        this.intervalNanos = directory == null ? -1
                : directory.checkpointInterval().map(Duration::toNanos).orElse(-1L);
    }

    /**
     * Restores a resumed run's checkpoint, if it left one, and hands the rows it stands for to {@code rows}, as
     * recorded.
     *
     * @param total the run's iterations
     * @param rows receives the rows the checkpoint stands for, in order
     * @return the iteration to go on from: 0 for a new run, or a resumed one without a checkpoint
     * @throws IllegalArgumentException (one line, naming the file) when the checkpoint is damaged or does not fit
     *     the run
     */
    public int restore(int total, RecordedLoop.RowListener rows) {
        if (directory == null || !directory.resuming()) {
            return 0;
        }
        Path dir = directory.path();
        String instead = "; delete " + RunCheckpoint.FILE + " to resume by reproducing the recorded rows instead";
        RunCheckpoint checkpoint;
        try {
            checkpoint = RunCheckpoint.read(dir);
        } catch (StateMismatchException e) {
            throw new IllegalArgumentException("--resume " + dir + ": " + e.getMessage() + instead);
        }
        if (checkpoint == null) {
            return 0;
        }
        if (!checkpoint.build().equals(RunCheckpoint.currentBuild())) {
            throw new IllegalArgumentException("--resume " + dir + ": " + RunCheckpoint.FILE + " was written by"
                    + " another build (" + checkpoint.build() + ")" + instead);
        }
        int done = checkpoint.iterations();
        int recorded = metrics.recordedRows().size();
        if (done > recorded || done >= total) {
            throw new IllegalArgumentException("--resume " + dir + ": " + RunCheckpoint.FILE + " follows iteration "
                    + done + " but " + RunDirectory.METRICS_FILE + " holds " + recorded + " rows of " + total + instead);
        }
        try {
            StateReader follower = new StateReader(checkpoint.follower());
            state.follower().restoreState(follower);
            StateReader others = new StateReader(checkpoint.others());
            state.others().restoreState(others);
            if (!follower.atEnd() || !others.atEnd()) {
                throw new StateMismatchException("it holds more state than this run");
            }
        } catch (RuntimeException e) { // a mismatch, or saved values that no object of this run can take
            throw new IllegalArgumentException("--resume " + dir + ": " + RunCheckpoint.FILE
                    + " does not fit this run (" + e.getMessage() + ")" + instead);
        }
        for (int i = 0; i < done; i++) {
            rows.row(i, metrics.skipRecorded());
        }
        return done;
    }

    /**
     * Saves the follower's part when this iteration is to be checkpointed.
     *
     * @param iteration the iteration, from 0
     */
    public void prepare(int iteration) {
        if (intervalNanos >= 0 && (StopRequest.due(iteration + 1) || System.nanoTime() - last >= intervalNanos)) {
            StateWriter out = new StateWriter();
            state.follower().saveState(out);
            prepared = out.toByteArray();
        }
    }

    /**
     * Writes the checkpoint prepared for this iteration, if any, now that its row is written, and says whether the
     * run is to stop here: a stop was asked for ({@link StopRequest#due}), iterations remain, and the run stands on
     * a checkpoint (one was just written, or the run writes none).
     *
     * @param iteration the iteration, from 0
     * @param total the run's iterations
     * @return whether to stop after this iteration
     */
    public boolean commit(int iteration, int total) {
        boolean stop = StopRequest.due(iteration + 1) && iteration + 1 < total;
        if (prepared == null) {
            return stop && intervalNanos < 0;
        }
        StateWriter out = new StateWriter();
        state.others().saveState(out);
        metrics.sync(); // the rows a checkpoint stands for reach the disk first
        new RunCheckpoint(RunCheckpoint.currentBuild(), iteration + 1, prepared, out.toByteArray())
                .write(directory.path());
        prepared = null;
        last = System.nanoTime();
        return stop;
    }

    /**
     * Removes the checkpoint of a run that ended; an interrupted run keeps it, to be resumed.
     *
     * @param ending how the run ended
     */
    public void end(Ending ending) {
        if (directory != null && !Ending.INTERRUPTED.equals(ending.status())) {
            RunCheckpoint.delete(directory.path());
        }
    }
}
