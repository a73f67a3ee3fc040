package dev.bilevel.learn.estimator;

import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.FollowerResponse;

/**
 * A problem family's side of hypergradient estimation: how the leader's decision enters the problem (the
 * follower's reward, the dynamics, the leader's own policy), what its critic is, and how its data are laid out.
 * The methods ({@link dev.bilevel.learn.estimator.method.BchgEstimator}, {@code HpgdEstimator},
 * {@code NaiveEstimator}) are written once against these terms: an estimate opens a {@link Pass}, visits every
 * sample in the data's order and closes it.
 *
 * @param <D> the leader's decision
 * @param <R> the follower's response
 * @param <B> the data
 */
public interface EstimationTerms<D, R extends FollowerResponse, B> extends Stateful {

    /** Nothing, unless the implementation keeps something between calls. */
    @Override
    default void saveState(StateWriter out) {
    }

    /** Nothing, unless the implementation keeps something between calls. */
    @Override
    default void restoreState(StateReader in) {
    }

    /** Which follower-response term an estimate adds, so that the family fits what that term needs, in its order. */
    enum Response {
        /** None: the direct term only (Naive-PGD). */
        NONE,
        /** BC-HG's Boltzmann covariance: the leader's benefit times the follower's sensitivity. */
        COVARIANCE,
        /** HPGD's form: the leader's advantage times the follower's sensitivity centred on the follower's side. */
        CENTRED
    }

    /**
     * Opens one estimate: updates or fits what the terms need (critics, baselines, sensitivities).
     *
     * @param estimation the decision, response, data and randomness
     * @param response the follower-response term that will be asked for
     */
    Pass open(Estimation<D, R, B> estimation, Response response);

    /**
     * One estimate's terms, visited sample by sample in the data's order. The direct term and the follower-response
     * term accumulate separately; {@link #close()} returns them.
     */
    interface Pass {

        /** Number of samples to visit. */
        int samples();

        /** Adds sample {@code i}'s share of the direct term (the gradient with the follower held fixed). */
        void direct(int i);

        /**
         * BC-HG's benefit of the follower's action at sample {@code i}: the leader's critic minus its expectation
         * under the follower's observed policy, {@code Q̂_L(s_i,a_i) − E_{a∼π_F} Q̂_L(s_i,a)}, on the family's scale.
         */
        default double benefit(int i) {
            throw new UnsupportedOperationException("this problem family has no benefit term");
        }

        /**
         * Adds sample {@code i}'s follower-response term {@code (1/λ)·w_i·benefit·∇Q̂_F(s_i,a_i)}, with the follower's
         * sensitivity {@code ∇Q̂_F} from the discounted tail of the derivative of what the leader controls
         * ({@link BoltzmannCovariance}) or from a fitted sensitivity.
         */
        default void covariance(int i, double benefit) {
            throw new UnsupportedOperationException("this problem family has no covariance term");
        }

        /** HPGD's estimate of the leader's advantage (or return) at sample {@code i}, on the family's scale. */
        default double advantage(int i) {
            throw new UnsupportedOperationException("this problem family has no HPGD term");
        }

        /**
         * Adds sample {@code i}'s HPGD term {@code (1/λ)·w_i·advantage·(∇Q̂_F(s_i,a_i) − ∇V̂_F(s_i))}, the follower's
         * sensitivity centred by a state baseline of it.
         */
        default void centred(int i, double advantage) {
            throw new UnsupportedOperationException("this problem family has no HPGD term");
        }

        /** The estimate: both parts, and the family's diagnostics. */
        Estimate close();
    }
}
