package dev.bilevel.learn.estimator.method;

import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.EstimationTerms;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.follower.FollowerResponse;
import java.util.Objects;

/**
 * Naive-PGD, for every problem family: the direct term only, the leader's policy gradient with the follower held
 * fixed, ignoring how the follower's best response moves. On FourRooms, where {@code ∇f} is only the
 * incentive-cost penalty, it shrinks the incentives to nothing.
 *
 * @param <D> the leader's decision
 * @param <R> the follower's response
 * @param <B> the data
 */
public final class NaiveEstimator<D, R extends FollowerResponse, B> implements Estimator<D, R, B> {

    private final EstimationTerms<D, R, B> terms;

    /** @param terms the problem family's terms */
    public NaiveEstimator(EstimationTerms<D, R, B> terms) {
        this.terms = Objects.requireNonNull(terms, "terms");
    }

    /** Its terms' state (their critic). */
    @Override
    public void saveState(StateWriter out) {
        terms.saveState(out);
    }

    @Override
    public void restoreState(StateReader in) {
        terms.restoreState(in);
    }

    @Override
    public Estimate estimate(Estimation<D, R, B> estimation) {
        EstimationTerms.Pass pass = terms.open(estimation, EstimationTerms.Response.NONE);
        for (int i = 0, n = pass.samples(); i < n; i++) {
            pass.direct(i);
        }
        return pass.close();
    }
}
