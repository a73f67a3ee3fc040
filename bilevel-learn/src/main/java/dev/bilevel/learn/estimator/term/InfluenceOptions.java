package dev.bilevel.learn.estimator.term;

/**
 * How a game leader's BC-HG response term sums the follower's soft value along a sample's stored episode future
 * (its score-function estimate of {@code ∇Q_F}, in which {@code W_F} plays the reward), and the weights of the two
 * terms.
 *
 * @param advantage centre {@code W_F} by its mean over the leader's policy
 * @param weightedAverage normalise the weights {@code γ_F^k} to sum to one
 * @param fromNextStep start the sum at {@code k = 1} (the reference includes the sampled step itself, {@code k = 0},
 *     a zero-mean term)
 * @param directWeight {@code λ1}, the weight of the direct term
 * @param responseWeight {@code λ2}, the weight of the follower-response term
 */
public record InfluenceOptions(boolean advantage, boolean weightedAverage, boolean fromNextStep, double directWeight,
        double responseWeight) {

    /** The reference's unit weights and plain sums from the sampled step, with or without centring. */
    public static InfluenceOptions reference(boolean advantage) {
        return new InfluenceOptions(advantage, false, false, 1.0, 1.0);
    }

    /** The first step of the sum. */
    int first() {
        return fromNextStep ? 1 : 0;
    }
}
