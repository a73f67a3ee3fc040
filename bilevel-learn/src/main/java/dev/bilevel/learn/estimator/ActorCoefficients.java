package dev.bilevel.learn.estimator;

import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.leader.DiscreteGameLeader;
import dev.bilevel.learn.sampling.GameEpisodeSampler;
import dev.bilevel.learn.sampling.GammaReplayBuffer;
import dev.bilevel.learn.sampling.GammaReplayIndex;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The discrete leader's policy-gradient estimate from one batch, as coefficients {@code c(s,b)} of
 * {@code ∇log π_θ(b|s)}: the estimate is {@code Σ_{s,b} c(s,b)·∇log π_θ(b|s)}, so a tabular policy's
 * logit gradient or a network's parameter gradient follows by one chain rule (reference-markov-game.md
 * §3.4):
 *
 * <pre>direct   c(s_i,b_i) += λ1·A_i/N,  A_i = Q(s_i,a_i)[b_i] − Σ_b π_θ(b|s_i)·Q(s_i,a_i)[b]
 * response c(s_j,b_j) += λ2/(λ·N) · benefit_i · w_k · Â_F(s_j,b_j)   for j = i + k in i's episode future
 *          benefit_i = Q(s_i,a_i)[b_i] − (1/M) Σ_m Q(s_i,ã_m)[b_i],  ã_m ~ π_F(·|s_i,b_i)
 *          Â_F(s,b)  = W_F(s,b) − Σ_b' π_θ(b'|s)·W_F(s,b'),  w_k = γ_F^k</pre>
 *
 * The response part is the Boltzmann-covariance estimate of the follower's response
 * {@code (1/λ)·Cov_{π_F}(Q_L, ∇Q_F)}, with {@code ∇Q_F} from a score-function sum along the sample's own
 * future, in which {@code W_F} plays the reward.
 */
public final class ActorCoefficients {

    private final DiscreteGameLeader.Settings settings;
    private final int nb;
    private final int na;

    public ActorCoefficients(DiscreteGameLeader.Settings settings, int states, int leaderActions, int followerActions) {
        this.settings = settings;
        this.nb = leaderActions;
        this.na = followerActions;
    }

    /**
     * Fills {@code direct} and {@code response} (each {@code [s·B + b]}, overwritten).
     *
     * @param indices the batch, {@code n} buffer indices
     * @param q the critic {@code Q(s,a)[b]} at {@code [(s·A + a)·B + b]}
     * @param probabilities {@code π_θ(b|s)} at {@code [s·B + b]}
     * @return {mean benefit, mean subsequence length} ({@code NaN}s unless BC-HG)
     */
    public double[] accumulate(GammaReplayBuffer buffer, int[] indices, int n, double[] q, double[] probabilities,
            TabularGameResponse follower, SplittableRandom rng, double[] direct, double[] response) {
        Arrays.fill(direct, 0.0);
        Arrays.fill(response, 0.0);
        boolean withResponse = settings.method() == DiscreteGameLeader.Method.BCHG;
        double lambda = follower.temperature();
        double gammaF = follower.discount();
        int first = settings.influenceFromNextStep() ? 1 : 0;
        double benefitSum = 0.0;
        double lengthSum = 0.0;
        for (int k = 0; k < n; k++) {
            int i = indices[k];
            int s = buffer.state(i);
            int a = buffer.followerAction(i);
            int b = buffer.leaderAction(i);
            double qi = q[(s * na + a) * nb + b];
            double advantage = qi;
            if (settings.directAdvantage()) {
                for (int c = 0; c < nb; c++) {
                    advantage -= probabilities[s * nb + c] * q[(s * na + a) * nb + c];
                }
            }
            direct[s * nb + b] += settings.directWeight() * advantage / n;
            if (!withResponse) {
                continue;
            }
            double benefit = qi - followerBaseline(q, follower, s, b, rng);
            benefitSum += benefit;
            int length = buffer.subsequenceLength(i);
            lengthSum += length;
            double normaliser = settings.influenceWeightedAverage()
                    ? GammaReplayIndex.influenceNormaliser(gammaF, first, length) : 1.0;
            if (normaliser == 0.0) {
                continue;
            }
            double scale = settings.responseWeight() * benefit / (lambda * n * normaliser);
            double w = Math.pow(gammaF, first);
            for (int step = first; step < length; step++, w *= gammaF) {
                int j = buffer.offset(i, step);
                int sj = buffer.state(j);
                int bj = buffer.leaderAction(j);
                double value = follower.softValue(sj, bj);
                if (settings.influenceAdvantage()) {
                    for (int c = 0; c < nb; c++) {
                        value -= probabilities[sj * nb + c] * follower.softValue(sj, c);
                    }
                }
                response[sj * nb + bj] += scale * w * value;
            }
        }
        return withResponse ? new double[] {benefitSum / n, lengthSum / n} : new double[] {Double.NaN, Double.NaN};
    }

    /** {@code (1/M) Σ_m Q(s, ã_m)[b]} with {@code ã_m ~ π_F(·|s,b)}, or its expectation when {@code M = 0}. */
    private double followerBaseline(double[] q, TabularGameResponse follower, int s, int b, SplittableRandom rng) {
        int m = settings.followerSamples();
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
}
