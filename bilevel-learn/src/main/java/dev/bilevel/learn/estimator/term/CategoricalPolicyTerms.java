package dev.bilevel.learn.estimator.term;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.estimator.BoltzmannCovariance;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.EstimationTerms;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.sampling.GameEpisodeSampler;
import dev.bilevel.learn.sampling.GammaReplayBuffer;
import dev.bilevel.learn.sampling.Minibatch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The estimation terms of a leader with a categorical policy {@code π_θ(b|s)} in a tabular Markov game, from a
 * minibatch of a {@link GammaReplayBuffer} and the leader's critic {@code Q(s,a)[b]} (reference-markov-game.md
 * §3.4). The estimate is a table of coefficients {@code c(s,b)} of {@code ∇log π_θ(b|s)}: the gradient is
 * {@code Σ_{s,b} c(s,b)·∇log π_θ(b|s)}, so a tabular policy's logit gradient or a network's parameter gradient
 * follows by one chain rule.
 *
 * <pre>direct   c(s_i,b_i) += λ1·A_i/N,  A_i = Q(s_i,a_i)[b_i] − Σ_b π_θ(b|s_i)·Q(s_i,a_i)[b]
 * benefit  Q(s_i,a_i)[b_i] − (1/M) Σ_m Q(s_i,ã_m)[b_i],  ã_m ~ π_F(·|s_i,b_i)   (exact expectation when M = 0)
 * response c(s_j,b_j) += λ2/(λ·N) · benefit_i · w_k · Â_F(s_j,b_j)   for j = i + k in i's stored episode future
 *          Â_F(s,b) = W_F(s,b) − Σ_b' π_θ(b'|s)·W_F(s,b'),  w_k = γ_F^k</pre>
 *
 * In the response term {@code W_F} plays the reward of a score-function estimate of {@code ∇Q_F}; the tail walk is
 * {@link BoltzmannCovariance#walk}.
 */
public final class CategoricalPolicyTerms
        implements EstimationTerms<double[], TabularGameResponse, Minibatch<GammaReplayBuffer, double[]>> {

    /**
     * Estimator options (reference values in {@link #reference()}).
     *
     * @param directAdvantage subtract {@code Σ_b π_θ(b|s)·Q(s,a)[b]} (with the sampled follower action, as the
     *     reference does) in the direct term
     * @param followerSamples {@code M} follower actions drawn for the benefit's baseline; 0 uses the exact
     *     expectation under {@code π_F}
     * @param influence how the response term sums {@code W_F} along the sample's future, and the terms' weights
     */
    public record Options(boolean directAdvantage, int followerSamples, InfluenceOptions influence) {

        /** Checks ranges. */
        public Options {
            if (followerSamples < 0) {
                throw new IllegalArgumentException("follower samples must be ≥ 0, got " + followerSamples);
            }
            Objects.requireNonNull(influence, "influence");
        }

        /** The reference DiscreteToy4 values (§5.1): centred influence, 256 follower draws. */
        public static Options reference() {
            return new Options(true, 256, InfluenceOptions.reference(true));
        }
    }

    private final int states;
    private final int nb;
    private final int na;
    private final Options options;

    /**
     * @param states {@code S}
     * @param leaderActions {@code B}
     * @param followerActions {@code A}
     * @param options estimator options
     */
    public CategoricalPolicyTerms(int states, int leaderActions, int followerActions, Options options) {
        this.states = states;
        this.nb = leaderActions;
        this.na = followerActions;
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public Pass open(Estimation<double[], TabularGameResponse, Minibatch<GammaReplayBuffer, double[]>> estimation,
            Response response) {
        if (response == Response.CENTRED) {
            throw new UnsupportedOperationException("HPGD is not defined for Markov games");
        }
        return new CategoricalPass(estimation, response == Response.COVARIANCE);
    }

    /** One minibatch's coefficients. */
    private final class CategoricalPass implements Pass {

        private final GammaReplayBuffer buffer;
        private final int[] indices;
        private final int n;
        private final double[] q;
        private final double[] probabilities;
        private final TabularGameResponse follower;
        private final SplitMixRandom rng;
        private final boolean withResponse;
        private final int first;
        private final double[] direct;
        private final double[] response;
        private final double[] influence;
        private double benefitSum;
        private double lengthSum;

        CategoricalPass(Estimation<double[], TabularGameResponse, Minibatch<GammaReplayBuffer, double[]>> e,
                boolean withResponse) {
            buffer = e.data().buffer();
            indices = e.data().indices();
            n = e.data().count();
            q = e.data().critic();
            probabilities = e.decision();
            follower = e.response();
            rng = e.rng();
            this.withResponse = withResponse;
            first = options.influence().first();
            direct = new double[states * nb];
            response = new double[states * nb];
            influence = withResponse ? influenceValues() : null;
        }

        /** {@code W_F(s,b)}, centred over the leader's policy when the options say so: what the walk weights. */
        private double[] influenceValues() {
            double[] out = new double[states * nb];
            for (int s = 0; s < states; s++) {
                for (int b = 0; b < nb; b++) {
                    double value = follower.softValue(s, b);
                    if (options.influence().advantage()) {
                        for (int c = 0; c < nb; c++) {
                            value -= probabilities[s * nb + c] * follower.softValue(s, c);
                        }
                    }
                    out[s * nb + b] = value;
                }
            }
            return out;
        }

        @Override
        public int samples() {
            return n;
        }

        @Override
        public void direct(int k) {
            int i = indices[k];
            int s = buffer.state(i);
            int a = buffer.followerAction(i);
            int b = buffer.leaderAction(i);
            double advantage = q[(s * na + a) * nb + b];
            if (options.directAdvantage()) {
                for (int c = 0; c < nb; c++) {
                    advantage -= probabilities[s * nb + c] * q[(s * na + a) * nb + c];
                }
            }
            direct[s * nb + b] += options.influence().directWeight() * advantage / n;
        }

        @Override
        public double benefit(int k) {
            int i = indices[k];
            int s = buffer.state(i);
            int b = buffer.leaderAction(i);
            return q[(s * na + buffer.followerAction(i)) * nb + b] - followerBaseline(s, b);
        }

        /** {@code (1/M) Σ_m Q(s, ã_m)[b]} with {@code ã_m ~ π_F(·|s,b)}, or its expectation when {@code M = 0}. */
        private double followerBaseline(int s, int b) {
            int m = options.followerSamples();
            double sum = 0.0;
            if (m == 0) {
                for (int a = 0; a < na; a++) {
                    sum += follower.probability(s, b, a) * q[(s * na + a) * nb + b];
                }
                return sum;
            }
            double[] piF = follower.policy();
            int offset = (s * nb + b) * na;
            for (int draw = 0; draw < m; draw++) {
                sum += q[(s * na + GameEpisodeSampler.draw(piF, offset, na, rng)) * nb + b];
            }
            return sum / m;
        }

        @Override
        public void covariance(int k, double benefit) {
            int i = indices[k];
            benefitSum += benefit;
            int length = buffer.subsequenceLength(i);
            lengthSum += length;
            double normaliser = options.influence().weightedAverage()
                    ? BoltzmannCovariance.weightSum(follower.discount(), first, length) : 1.0;
            if (normaliser == 0.0) {
                return;
            }
            double scale = options.influence().responseWeight() * benefit / (follower.temperature() * n * normaliser);
            BoltzmannCovariance.walk(buffer, i, first, length, follower.discount(), (j, w) -> {
                int cell = buffer.state(j) * nb + buffer.leaderAction(j);
                response[cell] += scale * w * influence[cell];
            });
        }

        @Override
        public Estimate close() {
            Map<String, Double> diagnostics = new LinkedHashMap<>();
            diagnostics.put("mean_benefit", withResponse ? benefitSum / n : Double.NaN);
            diagnostics.put("mean_subsequence_length", withResponse ? lengthSum / n : Double.NaN);
            return new Estimate(direct, response, diagnostics);
        }
    }
}
