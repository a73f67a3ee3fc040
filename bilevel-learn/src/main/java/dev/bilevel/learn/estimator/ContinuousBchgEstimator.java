package dev.bilevel.learn.estimator;

import dev.bilevel.core.game.DifferentiableMarkovGame;
import dev.bilevel.learn.critic.FollowerValueSensitivity;
import dev.bilevel.learn.critic.LeaderQFunction;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.leader.ContinuousGameLeader;
import dev.bilevel.learn.leader.LinearGaussianPolicy;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import dev.bilevel.learn.sampling.GammaReplayIndex;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * BC-HG's estimate of the leader's hypergradient with respect to a linear-Gaussian policy's gain {@code K}
 * from one batch of a {@link ContinuousReplayBuffer} (reference-markov-game.md §3.8; method.md §2.5), as an
 * ascent direction split into its two terms:
 *
 * <pre>direct    (λ1/N) Σ_i ∇log π_θ(a_L,i|x_i) · A_i,
 *           A_i = Q(x_i, a_F,i, a_L,i) − (1/32) Σ_j Q(x_i, a_F,i, ã_j),   ã_j ~ π_θ(·|x_i)
 * response  (λ2/(β N)) Σ_i benefit_i · Σ_{k} w_k ∇log π_θ(a_L|x)_{i+k} · Ŵ_F(x, a_L)_{i+k}
 *           benefit_i = Q(x_i, a_F,i, a_L,i) − (1/M) Σ_m Q(x_i, ũ_m, a_L,i),   ũ_m ~ π_F(·|x_i, a_L,i)
 *           Ŵ_F = W_F (or W_F − mean over leader draws), w_k = γ_F^k over the sample's episode future</pre>
 *
 * The response term is the Boltzmann-covariance estimate {@code (1/β)·Cov_{π_F}(Q_L, ∇Q_F)} of how the
 * follower's best response moves, with {@code ∇Q_F} from a score-function sum along the sample's own future
 * in which {@code W_F} plays the reward. Naive-PGD is the direct term alone.
 *
 * <p>Two options replace the terms whose variance grows like {@code 1/W} as the leader's noise {@code W}
 * shrinks (both off in the reference configs): {@link ContinuousGameLeader.DirectTerm#PATHWISE} takes the direct
 * term from a {@link PathwiseDirectTerm} over the buffer's episodes, and
 * {@link ContinuousGameLeader.Influence#VALUE_LSTD} replaces the influence by {@code γ_F·Ψ̂(x'_i)} of a
 * {@link FollowerValueSensitivity} refitted to the buffer on every call:
 * {@code response = (λ2/(βN)) Σ_i benefit_i·γ_F Ψ̂(x'_i)}. Scratch is allocated once.
 */
public final class ContinuousBchgEstimator {

    private final ContinuousGameLeader.Settings settings;
    private final int n;
    private final int m;
    private final int l;
    private final double[] rows;
    private final double[] q;
    private final double[] leaderDraws;
    private final double[] followerDraws;
    private final double[] leaderDraw;
    private final PathwiseDirectTerm pathwise;
    private FollowerValueSensitivity sensitivity;
    private final double[] influenceRow;

    /**
     * @param settings the leader's settings (method, draws, influence options, weights)
     * @param stateDimension {@code n}
     * @param followerActionDimension {@code m}
     * @param leaderActionDimension {@code l}
     * @param model the leader's model of the game, needed by the pathwise direct term (else may be null)
     * @throws IllegalArgumentException when the pathwise direct term is asked for without a model
     */
    public ContinuousBchgEstimator(ContinuousGameLeader.Settings settings, int stateDimension,
            int followerActionDimension, int leaderActionDimension, DifferentiableMarkovGame model) {
        this.settings = settings;
        n = stateDimension;
        m = followerActionDimension;
        l = leaderActionDimension;
        rows = new double[settings.batchSize() * (n + m + l)];
        q = new double[settings.batchSize()];
        leaderDraws = new double[settings.leaderSamples() * l];
        followerDraws = new double[settings.followerSamples() * m];
        leaderDraw = new double[l];
        if (settings.directTerm() == ContinuousGameLeader.DirectTerm.PATHWISE) {
            if (model == null) {
                throw new IllegalArgumentException("leader.direct: pathwise needs a differentiable model of the game");
            }
            pathwise = new PathwiseDirectTerm(model, settings.discount());
        } else {
            pathwise = null;
        }
        influenceRow = new double[l * n];
    }

    /**
     * Fills {@code direct} and {@code response} ({@code l×n}, overwritten) with the two terms of the ascent
     * direction.
     *
     * @param indices the batch, {@code count ≤ batchSize} buffer slots
     * @param critic {@code Q_L}
     * @param policy {@code π_θ}
     * @param follower the follower's response
     * @return {mean benefit, mean influence (with {@code value-lstd}: the mean norm of {@code γ_F Ψ̂(x')}), mean
     *     subsequence length} ({@code NaN}s for Naive-PGD)
     */
    public double[] estimate(ContinuousReplayBuffer buffer, int[] indices, int count, LeaderQFunction critic,
            LinearGaussianPolicy policy, GaussianGameResponse follower, SplittableRandom rng, double[] direct,
            double[] response) {
        Arrays.fill(direct, 0.0);
        Arrays.fill(response, 0.0);
        int d = n + m + l;
        double[] states = buffer.states();
        double[] leaderActions = buffer.leaderActions();
        for (int k = 0; k < count; k++) {
            buffer.copyRow(indices[k], rows, k * d);
        }
        System.arraycopy(critic.values(rows, count), 0, q, 0, count);
        boolean withResponse = settings.method() == ContinuousGameLeader.Method.BCHG;
        double beta = follower.temperature();
        double gammaF = follower.discount();
        boolean scoreDirect = pathwise == null;
        if (!scoreDirect) {
            pathwise.estimate(buffer, policy, follower, settings.directWeight(), direct);
        }
        boolean valueInfluence = withResponse && settings.influence() == ContinuousGameLeader.Influence.VALUE_LSTD;
        if (valueInfluence) {
            if (sensitivity == null) {
                sensitivity = new FollowerValueSensitivity(n, l, settings.leaderSamples(), gammaF);
            }
            sensitivity.fit(buffer, policy, follower, rng);
        }
        double[] nextStates = buffer.nextStates();
        int first = settings.influenceFromNextStep() ? 1 : 0;
        int leaderSamples = settings.leaderSamples();
        int followerSamples = settings.followerSamples();
        double benefitSum = 0.0;
        double influenceSum = 0.0;
        double lengthSum = 0.0;
        for (int k = 0; k < count; k++) {
            int i = indices[k];
            int row = k * d;
            if (scoreDirect) {
                double advantage = q[k];
                if (settings.directAdvantage()) {
                    policy.sampleMany(rows, row, rng, leaderDraws, leaderSamples);
                    advantage -= critic.blockMean(rows, row, n + m, l, leaderDraws, leaderSamples);
                }
                policy.accumulateScore(states, i * n, leaderActions, i * l,
                        settings.directWeight() * advantage / count, direct);
            }
            if (!withResponse) {
                continue;
            }
            follower.sampleMany(rows, row, rows, row + n + m, rng, followerDraws, followerSamples, m);
            double benefit = q[k] - critic.blockMean(rows, row, n, m, followerDraws, followerSamples);
            benefitSum += benefit;
            int length = buffer.subsequenceLength(i);
            lengthSum += length;
            if (valueInfluence) {
                sensitivity.influence(nextStates, i * n, influenceRow);
                double scale = settings.responseWeight() * benefit / (beta * count);
                double norm = 0.0;
                for (int c = 0; c < influenceRow.length; c++) {
                    response[c] += scale * influenceRow[c];
                    norm += influenceRow[c] * influenceRow[c];
                }
                influenceSum += Math.sqrt(norm);
                continue;
            }
            double normaliser = settings.influenceWeightedAverage()
                    ? GammaReplayIndex.influenceNormaliser(gammaF, first, length) : 1.0;
            if (normaliser == 0.0) {
                continue;
            }
            double scale = settings.responseWeight() * benefit / (beta * count * normaliser);
            double w = Math.pow(gammaF, first);
            double influence = 0.0;
            for (int step = first; step < length; step++, w *= gammaF) {
                int j = buffer.offset(i, step);
                double value = follower.softValue(states, j * n, leaderActions, j * l);
                if (settings.influenceAdvantage()) {
                    double baseline = 0.0;
                    for (int s = 0; s < leaderSamples; s++) {
                        policy.sample(states, j * n, rng, leaderDraw, 0);
                        baseline += follower.softValue(states, j * n, leaderDraw, 0);
                    }
                    value -= baseline / leaderSamples;
                }
                influence += w * value * policy.logProb(states, j * n, leaderActions, j * l) / normaliser;
                policy.accumulateScore(states, j * n, leaderActions, j * l, scale * w * value, response);
            }
            influenceSum += influence;
        }
        if (!withResponse) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[] {benefitSum / count, influenceSum / count, lengthSum / count};
    }
}
