package dev.bilevel.learn.critic;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.Stateful;

/**
 * A vector-valued critic fitted by temporal differences on one batch of episodes: {@code net(z_r) ≈ r_r +
 * γ·net(z_{succ(r)})} over the rows with a successor. Implementations: the reference's MLP fitted by
 * semi-gradient TD ({@link dev.bilevel.learn.critic.FittedTdCritic}) and a quadratic fitted by LSTD
 * ({@link QuadraticTdCritic}).
 */
public interface TdCritic extends Stateful {

    /**
     * Result of one fit.
     *
     * @param steps gradient steps taken (0 for a closed-form fit)
     * @param lastLoss the last (or final) mean squared TD error
     */
    record FitResult(int steps, double lastLoss) {
    }

    /**
     * Fits to a batch.
     *
     * @param inputs row-major {@code [rows][inputs]}
     * @param successors per row, the row holding its successor input, or {@code −1} (left out)
     * @param rewards row-major {@code [rows][outputs]}
     * @param rows the number of rows
     * @param steps gradient steps (ignored by a closed-form fit)
     * @param batchSize rows per step (ignored by a closed-form fit)
     * @param rng minibatch draws (ignored by a closed-form fit)
     * @return the steps taken and the last loss
     */
    FitResult fit(double[] inputs, int[] successors, double[] rewards, int rows, int steps, int batchSize,
            SplitMixRandom rng);

    /**
     * @param inputs row-major {@code [rows][inputs]}
     * @param rows the number of rows
     * @param out receives {@code [rows][outputs]}
     */
    void predict(double[] inputs, int rows, double[] out);

    /** Forgets what was fitted (the reference protocol's refit from the initial state). */
    void reset();
}
