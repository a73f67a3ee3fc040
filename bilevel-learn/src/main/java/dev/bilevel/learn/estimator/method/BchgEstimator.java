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
 * BC-HG, the Boltzmann-covariance hypergradient estimator, for every problem family. Because the follower plays
 * {@code softmax(Q_F/λ)}, the follower-response part of the hypergradient is
 * {@code (1/λ)·E[(Q_L − V_L)(s,a)·∇Q_F(s,a)]}: a scalar benefit from the leader's own critic, centred by the
 * follower's <em>observed</em> policy, times the follower's sensitivity, which a Monte-Carlo tail sum along the
 * same trajectory estimates ({@link dev.bilevel.learn.estimator.BoltzmannCovariance}). No state needs to be
 * visited twice and nothing is learned per dimension of the decision.
 *
 * <pre>g = Σ_i [ direct_i + (1/λ)·w_i·benefit_i·∇Q̂_F(s_i,a_i) ]</pre>
 *
 * @param <D> the leader's decision
 * @param <R> the follower's response
 * @param <B> the data
 */
public final class BchgEstimator<D, R extends FollowerResponse, B> implements Estimator<D, R, B> {

    private final EstimationTerms<D, R, B> terms;

    /** @param terms the problem family's terms */
    public BchgEstimator(EstimationTerms<D, R, B> terms) {
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
        EstimationTerms.Pass pass = terms.open(estimation, EstimationTerms.Response.COVARIANCE);
        for (int i = 0, n = pass.samples(); i < n; i++) {
            pass.direct(i);
            pass.covariance(i, pass.benefit(i));
        }
        return pass.close();
    }
}
