package dev.bilevel.learn.follower;

/**
 * The follower, as the leader meets it: it answers each leader decision with a {@link FollowerResponse} and
 * nothing else. How it gets there (a planner on its own model, a learner on its own experience, a process
 * elsewhere) is its own business; the leader cannot pause it, reset it or read its internals.
 *
 * @param <D> the leader's decision the follower reacts to: incentive or dynamics weights {@code x}, or the
 *     leader's policy
 * @param <R> the response type of the problem family
 */
public interface Follower<D, R extends FollowerResponse> {

    /**
     * The follower's answer after the leader has committed to {@code decision}.
     *
     * @throws ArithmeticException when the follower's own optimisation diverges
     */
    R respond(D decision);

    /**
     * What the follower plays before the leader's first update, when the leader starts at {@code decision}. A
     * solver answers the decision itself (the default); a follower that only re-optimises after seeing the leader
     * move answers with what it played before.
     */
    default R initialResponse(D decision) {
        return respond(decision);
    }
}
