package dev.bilevel.experiments.job;

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
import java.util.List;
import java.util.SplittableRandom;

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
            List<MetricColumn> columns, BilevelLoop<D, R, B, U> loop, int iterations, SplittableRandom sampling,
            SplittableRandom learning, Evaluator<D, R, B, U> evaluator, RowListener listener) {
        progress.start(label, iterations);
        MetricsWriter metrics = directory == null ? null : directory.openMetrics(columns);
        Ending ending;
        try {
            if (directory != null) {
                directory.writeConfig(config);
            }
            loop.run(iterations, sampling, learning, step -> {
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
                if (StopRequest.raised() && step.iteration() + 1 < iterations) {
                    throw new Stopped(step.iteration());
                }
            });
            ending = Ending.completed();
        } catch (ArithmeticException e) {
            ending = Ending.diverged(e.getMessage());
        } catch (Stopped e) {
            ending = Ending.interrupted("interrupted after iteration " + (e.iteration + 1) + " of " + iterations);
        } finally {
            if (metrics != null) {
                metrics.close();
            }
            progress.close();
        }
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
