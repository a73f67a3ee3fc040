package dev.bilevel.learn.loop;

/**
 * One outer iteration, as the loop hands it to listeners.
 *
 * @param iteration the 0-based iteration
 * @param decision the leader's decision the data were sampled under (before its update)
 * @param response the follower's response to {@code decision}
 * @param data the iteration's samples
 * @param update what the leader's learning step reported
 * @param nextDecision the leader's decision after its update
 * @param nextResponse the follower's response to {@code nextDecision}
 * @param <D> the decision
 * @param <R> the response
 * @param <B> the data
 * @param <U> the update report
 */
public record Step<D, R, B, U>(int iteration, D decision, R response, B data, U update, D nextDecision,
        R nextResponse) {
}
