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
 * HPGD (Thoma et al., NeurIPS 2024), as re-implemented in the BC-HG reference, for every problem family that
 * defines it: the follower-response term in the other exact form of the Boltzmann covariance,
 * {@code (1/λ)·E[Â_L(s,a)·(∇Q_F(s,a) − ∇V_F(s))]}, centred on the follower's side. {@code ∇V_F(s)} is a
 * {@code d}-dimensional function of the state: the family estimates it from repeated visits of {@code s}, extra
 * rollouts or a fitted network, and {@code Â_L} from Monte-Carlo returns or a critic.
 *
 * <pre>g = Σ_i [ direct_i + (1/λ)·w_i·Â_i·(∇Q̂_F(s_i,a_i) − ∇V̂_F(s_i)) ]</pre>
 *
 * @param <D> the leader's decision
 * @param <R> the follower's response
 * @param <B> the data
 */
public final class HpgdEstimator<D, R extends FollowerResponse, B> implements Estimator<D, R, B> {

    private final EstimationTerms<D, R, B> terms;

    /** @param terms the problem family's terms, configured with the HPGD variant's advantage */
    public HpgdEstimator(EstimationTerms<D, R, B> terms) {
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
        EstimationTerms.Pass pass = terms.open(estimation, EstimationTerms.Response.CENTRED);
        for (int i = 0, n = pass.samples(); i < n; i++) {
            pass.direct(i);
            pass.centred(i, pass.advantage(i));
        }
        return pass.close();
    }
}
