package dev.bilevel.learn.critic;


/**
 * A leader action-value {@code Q_L(x, a_F, a_L)} on rows {@code [x, a_F, a_L]}, as BC-HG's estimator reads it:
 * values of a batch of rows and means over draws of one block of the row (the follower's action for the
 * benefit's baseline, the leader's for the direct term's). {@link ContinuousCritic} is the learned one;
 * tests plug in exact ones.
 */
public interface LeaderQFunction {

    /**
     * {@code Q} on {@code count} rows, row-major {@code [count][inputs]}; the result may be a buffer owned by
     * the function, valid until its next call.
     */
    double[] values(double[] rows, int count);

    /**
     * {@code (1/count)·Σ_j Q(row with columns [first, first + width) = draws_j)}, {@code draws} row-major
     * {@code [count][width]}, {@code row} at {@code row[rowOffset…]}.
     */
    double blockMean(double[] row, int rowOffset, int first, int width, double[] draws, int count);
}
