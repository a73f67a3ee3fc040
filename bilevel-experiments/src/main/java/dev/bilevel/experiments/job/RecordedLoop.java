package dev.bilevel.experiments.job;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.evaluate.Evaluator;
import dev.bilevel.experiments.evaluate.NonFinitePolicy;
import dev.bilevel.experiments.plot.RunCurve;
import dev.bilevel.experiments.run.MetricColumn;
import dev.bilevel.experiments.run.MetricsWriter;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.experiments.run.StopRequest;
import dev.bilevel.learn.follower.FollowerResponse;
import dev.bilevel.learn.loop.BilevelLoop;
import dev.bilevel.learn.loop.Step;
import java.util.List;

/**
 * What every training job does around the one loop: it writes the config, runs the loop, turns each step into a
 * metrics row through the job's evaluator, writes the row and hands it to the job's own statistics and progress
 * line, and closes the metrics and the progress display whatever happens. Divergence (an
 * {@link ArithmeticException}: a non-finite gradient or policy) ends the run with every row written so far kept; when
 * the evaluator could still form the failing iteration's row ({@link NonFinitePolicy}), that row is written and
 * handed on first. A {@link StopRequest} ends it after the iteration in progress, its row written. A completed
 * or diverged run then draws its learning curve from its metrics ({@link RunCurve}: {@code curve.png},
 * {@code curve.svg}); a stopped one is drawn when it is resumed to its end, since a stop usually comes from SIGINT,
 * while the JVM shuts down, when Java2D can no longer start.
 *
 * <p><b>Checkpoints.</b> When the directory asks for them ({@link RunDirectory#withCheckpoints}), the run writes a
 * {@link dev.bilevel.experiments.run.RunCheckpoint} of its {@link RunState} after an iteration once the interval has passed since the last,
 * and after the iteration at which it is asked to stop; a completed or diverged run removes it. A resumed run
 * with a checkpoint restores it, takes the rows it stands for as recorded (handing them to the job's listener, so
 * that the job's statistics are whole) and goes on from there; rows recorded after it are reproduced and checked
 * as in a resume without one.
 *
 * @param directory where the run is written, or {@code null} for a run that writes nothing
 * @param progress the progress display
 */
public record RecordedLoop(RunDirectory directory, ProgressReporter progress) {

    /** What a job does with each iteration's row once it is written. */
    @FunctionalInterface
    public interface RowListener {
        /**
         * @param iteration the iteration, from 0
         * @param row its metrics row, in the evaluator's columns
         */
        void row(int iteration, double[] row);
    }

    /**
     * Runs the loop.
     *
     * @param config the run's config, written before the first iteration
     * @param label the progress display's title
     * @param columns the metrics columns
     * @param loop the loop
     * @param state what a checkpoint saves and a resume restores
     * @param iterations outer iterations
     * @param sampling the stream the samplers draw from
     * @param learning the stream the leader learns with
     * @param evaluator forms each iteration's row
     * @param listener the job's statistics and progress line
     * @param <D> the decision
     * @param <R> the response
     * @param <B> the data
     * @param <U> the leader's update report
     * @return how the loop ended
     */
    public <D, R extends FollowerResponse, B, U> Ending run(ResolvedConfig config, String label,
            List<MetricColumn> columns, BilevelLoop<D, R, B, U> loop, RunState state, int iterations,
            SplitMixRandom sampling, SplitMixRandom learning, Evaluator<D, R, B, U> evaluator,
            RowListener listener) {
        progress.start(label, iterations);
        MetricsWriter metrics = directory == null ? null : directory.openMetrics(columns);
        Checkpointing checkpoints = new Checkpointing(directory, metrics, new RunState(state.follower(),
                Stateful.of(state.others(), Stateful.streams(sampling, learning))));
        Ending ending;
        try {
            int start = 0;
            if (directory != null) {
                directory.writeConfig(config);
                start = checkpoints.restore(iterations, listener);
            }
            loop.run(start, iterations, sampling, learning, new BilevelLoop.Listener<>() {
                @Override
                public void beforeResponse(int iteration) {
                    checkpoints.prepare(iteration);
                }

                @Override
                public void onIteration(Step<D, R, B, U> step) {
                    double[] row;
                    NonFinitePolicy failed = null;
                    try {
                        row = evaluator.row(step);
                    } catch (NonFinitePolicy e) {
                        row = e.row();
                        failed = e;
                    }
                    if (metrics != null) {
                        metrics.row(row);
                    }
                    listener.row(step.iteration(), row);
                    if (failed != null) {
                        throw failed;
                    }
                    if (checkpoints.commit(step.iteration(), iterations)) {
                        throw new Stopped(step.iteration());
                    }
                }
            });
            ending = Ending.completed();
        } catch (ArithmeticException e) {
            ending = Ending.diverged(e.getMessage());
        } catch (Stopped e) {
            progress.step(e.iteration + 1);
            ending = Ending.interrupted("interrupted after iteration " + (e.iteration + 1) + " of " + iterations);
        } finally {
            if (metrics != null) {
                metrics.close();
            }
            progress.close();
        }
        checkpoints.end(ending);
        if (directory != null && !Ending.INTERRUPTED.equals(ending.status())) {
            RunCurve.write(directory.path(), label);
        }
        return ending;
    }

    /** Unwinds the loop at a requested stop. */
    private static final class Stopped extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient int iteration;

        Stopped(int iteration) {
            super(null, null, false, false);
            this.iteration = iteration;
        }
    }
}
