package dev.bilevel.learn.estimator.term;

import dev.bilevel.core.game.LeaderGameModel;
import dev.bilevel.core.game.LeaderValueModel;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.learn.critic.FollowerValueSensitivity;
import dev.bilevel.learn.critic.LeaderQFunction;
import dev.bilevel.learn.critic.ModelLeaderCritic;
import dev.bilevel.learn.estimator.BoltzmannCovariance;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.EstimationTerms;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import dev.bilevel.learn.sampling.Minibatch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The estimation terms of a leader with a linear-Gaussian policy {@code N(Kx, WWᵀ)} in a continuous Markov game
 * (the LQR game), from a minibatch of a {@link ContinuousReplayBuffer} and the leader's critic
 * {@code Q(x, a_F, a_L)} (reference-markov-game.md §3.8; method.md §2.5). The estimate is the ascent direction in
 * {@code K} ({@code l×n}):
 *
 * <pre>direct    (λ1/N) Σ_i ∇log π_θ(a_L,i|x_i) · A_i,
 *           A_i = Q(x_i, a_F,i, a_L,i) − (1/32) Σ_j Q(x_i, a_F,i, ã_j),   ã_j ~ π_θ(·|x_i)
 * benefit   Q(x_i, a_F,i, a_L,i) − (1/M) Σ_m Q(x_i, ũ_m, a_L,i),   ũ_m ~ π_F(·|x_i, a_L,i)
 * response  (λ2/(β N)) Σ_i benefit_i · Σ_{k} w_k ∇log π_θ(a_L|x)_{i+k} · Ŵ_F(x, a_L)_{i+k}
 *           Ŵ_F = W_F (or W_F − mean over leader draws), w_k = γ_F^k over the sample's episode future</pre>
 *
 * Two options replace the terms whose variance grows like {@code 1/W} as the leader's noise {@code W} shrinks (both
 * off in the reference configs): {@link Direct#PATHWISE} takes the direct term from a {@link PathwiseDirectTerm}
 * through the leader's model of the game, and {@link Influence#VALUE_LSTD} replaces the tail sum by
 * {@code γ_F·Ψ̂(x'_i)} of a {@link FollowerValueSensitivity} refitted to the buffer at every estimate. A leader that
 * knows its value in closed form ({@link LeaderValueModel}) can go further and compute instead of fit: with
 * {@link Benefit#MODEL} the benefit and with {@link Direct#MODEL} the direct term come from a
 * {@link ModelLeaderCritic} (its own model, its own policy and the follower's observed policy), which leaves the
 * sampled states and actions and the fitted {@code Ψ̂} as the only estimated parts. Scratch is allocated once: an
 * instance is single-threaded.
 */
public final class GaussianPolicyTerms implements EstimationTerms<LinearGaussianPolicy, GaussianGameResponse,
        Minibatch<ContinuousReplayBuffer, LeaderQFunction>> {

    /** How the direct term (the gradient with the follower's policy held fixed) is estimated. */
    public enum Direct {
        /** The reference: the score function times the critic's advantage on the batch. */
        SCORE,
        /** Pathwise through the leader's model of the game along the buffer's episodes ({@link PathwiseDirectTerm}). */
        PATHWISE,
        /**
         * Reparameterised through the leader's model critic at each sampled state, {@code ∇_a Q̄(x, a)·xᵀ}
         * ({@link ModelLeaderCritic}): no score, no episode path.
         */
        MODEL
    }

    /** Where BC-HG's benefit {@code Q_L(x, a_F, a_L) − E_{ũ~π_F}Q_L(x, ũ, a_L)} comes from. */
    public enum Benefit {
        /** The reference: the learned critic, its baseline over {@code M} follower draws. */
        CRITIC,
        /** The leader's model critic, in closed form ({@link ModelLeaderCritic}). */
        MODEL
    }

    /** How BC-HG's response term gets the follower's sensitivity {@code ∇_K Q_F}. */
    public enum Influence {
        /** The reference: a score-function sum along the sample's episode future with {@code W_F} as reward. */
        SCORE,
        /** {@code γ_F·Ψ̂(x')} with {@code Ψ̂ ≈ ∇_K V_F} fitted by LSTD ({@link FollowerValueSensitivity}). */
        VALUE_LSTD
    }

    /**
     * Estimator options ({@link #reference()} gives the reference's).
     *
     * @param direct how the direct term is estimated
     * @param directAdvantage subtract the mean of {@code Q(x, a_F, ã_L)} over {@code leaderSamples} draws
     *     {@code ã_L ~ π_θ(·|x)} at the sampled {@code a_F} (the reference's baseline, §7.4)
     * @param leaderSamples draws for the direct term's (and the influence's) leader baseline
     * @param followerSamples {@code M}, follower draws for the benefit's baseline
     * @param sensitivity how the response term gets {@code ∇_K Q_F}
     * @param influence how the tail sum weighs {@code W_F}, and the terms' weights
     * @param benefit where BC-HG's benefit comes from
     * @param covariancePairs 0: BC-HG's covariance from each row's sampled follower action; {@code k > 0}: from
     *     {@code k} mirrored pairs of follower actions drawn from its observed policy, with the successor's
     *     sensitivity centred ({@link ModelLeaderCritic#accumulateCovariance}; needs {@link Benefit#MODEL} and
     *     {@link Influence#VALUE_LSTD})
     */
    public record Options(Direct direct, boolean directAdvantage, int leaderSamples, int followerSamples,
            Influence sensitivity, InfluenceOptions influence, Benefit benefit, int covariancePairs) {

        /** Checks ranges. */
        public Options {
            Objects.requireNonNull(direct, "direct");
            Objects.requireNonNull(sensitivity, "sensitivity");
            Objects.requireNonNull(influence, "influence");
            Objects.requireNonNull(benefit, "benefit");
            if (covariancePairs < 0) {
                throw new IllegalArgumentException("covariance pairs must be ≥ 0, got " + covariancePairs);
            }
            if (covariancePairs > 0 && (benefit != Benefit.MODEL || sensitivity != Influence.VALUE_LSTD)) {
                throw new IllegalArgumentException("drawing the covariance's follower actions needs the model "
                        + "benefit and the LSTD value sensitivity");
            }
            if (leaderSamples < 1 || followerSamples < 1) {
                throw new IllegalArgumentException("leader and follower samples must be ≥ 1, got " + leaderSamples
                        + " and " + followerSamples);
            }
        }

        /** The options with the learned critic's benefit. */
        public Options(Direct direct, boolean directAdvantage, int leaderSamples, int followerSamples,
                Influence sensitivity, InfluenceOptions influence) {
            this(direct, directAdvantage, leaderSamples, followerSamples, sensitivity, influence, Benefit.CRITIC, 0);
        }

        /** The reference LQREnv-v4 configs (§5.1): score terms, 32 leader and 256 follower draws, raw {@code W_F}. */
        public static Options reference() {
            return new Options(Direct.SCORE, true, 32, 256, Influence.SCORE, InfluenceOptions.reference(false));
        }

        /** Whether a term reads the leader's model critic. */
        boolean usesModelCritic() {
            return direct == Direct.MODEL || benefit == Benefit.MODEL;
        }
    }

    private final Options options;
    private final int n;
    private final int m;
    private final int l;
    private final PathwiseDirectTerm pathwise;
    private final ModelLeaderCritic modelCritic;
    private final double[] rows;
    private final double[] q;
    private final double[] leaderDraws;
    private final double[] followerDraws;
    private final double[] leaderDraw;
    private final double[] influenceRow;
    private FollowerValueSensitivity sensitivity;
    private double sensitivityDiscount = Double.NaN;

    /**
     * @param stateDimension {@code n}
     * @param followerActionDimension {@code m}
     * @param leaderActionDimension {@code l}
     * @param batchSize the largest minibatch
     * @param leaderDiscount {@code γ_L}, the pathwise term's discount
     * @param options estimator options
     * @param model the leader's model of the game, needed by {@link Direct#PATHWISE} (else may be null)
     * @throws IllegalArgumentException when the pathwise direct term is asked for without a model
     */
    public GaussianPolicyTerms(int stateDimension, int followerActionDimension, int leaderActionDimension,
            int batchSize, double leaderDiscount, Options options, LeaderGameModel model) {
        this(stateDimension, followerActionDimension, leaderActionDimension, batchSize, leaderDiscount, options,
                model, 0);
    }

    /**
     * @param stateDimension {@code n}
     * @param followerActionDimension {@code m}
     * @param leaderActionDimension {@code l}
     * @param batchSize the largest minibatch
     * @param leaderDiscount {@code γ_L}, the pathwise term's and the model critic's discount
     * @param options estimator options
     * @param model the leader's model of the game, needed by {@link Direct#PATHWISE} and, as a
     *     {@link LeaderValueModel}, by {@link Direct#MODEL} and {@link Benefit#MODEL} (else may be null)
     * @param horizon the episode length, needed by the model critic (else ignored)
     * @throws IllegalArgumentException when a term is asked for without the model it needs
     */
    public GaussianPolicyTerms(int stateDimension, int followerActionDimension, int leaderActionDimension,
            int batchSize, double leaderDiscount, Options options, LeaderGameModel model, int horizon) {
        this.options = Objects.requireNonNull(options, "options");
        n = stateDimension;
        m = followerActionDimension;
        l = leaderActionDimension;
        if (options.direct() == Direct.PATHWISE) {
            if (model == null) {
                throw new IllegalArgumentException("the pathwise direct term needs the leader's model of the game");
            }
            pathwise = new PathwiseDirectTerm(model, leaderDiscount);
        } else {
            pathwise = null;
        }
        if (options.usesModelCritic()) {
            if (!(model instanceof LeaderValueModel valueModel)) {
                throw new IllegalArgumentException("the model critic needs the leader's closed-form value model of "
                        + "the game");
            }
            modelCritic = new ModelLeaderCritic(valueModel, leaderDiscount, horizon);
        } else {
            modelCritic = null;
        }
        rows = new double[batchSize * (n + m + l)];
        q = new double[batchSize];
        leaderDraws = new double[options.leaderSamples() * l];
        followerDraws = new double[options.followerSamples() * m];
        leaderDraw = new double[l];
        influenceRow = new double[l * n];
    }

    /** The most draws of one input block the critic is asked to average (its slice scratch). */
    public int maxDraws() {
        return Math.max(options.leaderSamples(), options.followerSamples());
    }

    /** The follower-value sensitivity fit, once made. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("GaussianPolicyTerms").writeDouble(sensitivityDiscount);
        out.write(sensitivity);
    }

    @Override
    public void restoreState(StateReader in) {
        double discount = in.begin("GaussianPolicyTerms").readDouble();
        if (in.readAbsent()) {
            sensitivity = null;
            return;
        }
        sensitivity = new FollowerValueSensitivity(n, l, options.leaderSamples(), discount);
        sensitivityDiscount = discount;
        sensitivity.restoreState(in);
    }

    @Override
    public Pass open(Estimation<LinearGaussianPolicy, GaussianGameResponse,
            Minibatch<ContinuousReplayBuffer, LeaderQFunction>> estimation, Response response) {
        if (response == Response.CENTRED) {
            throw new UnsupportedOperationException("HPGD is not defined for Markov games");
        }
        if (estimation.data().count() > q.length) {
            throw new IllegalArgumentException("a minibatch of " + estimation.data().count()
                    + " samples exceeds the batch size of " + q.length + " these terms were built for");
        }
        return new GaussianPass(estimation, response == Response.COVARIANCE);
    }

    /** One minibatch's estimate. */
    private final class GaussianPass implements Pass {

        private final ContinuousReplayBuffer buffer;
        private final int[] indices;
        private final int count;
        private final LeaderQFunction critic;
        private final LinearGaussianPolicy policy;
        private final GaussianGameResponse follower;
        private final SplitMixRandom rng;
        private final boolean withResponse;
        private final boolean valueInfluence;
        private final ModelLeaderCritic.SuccessorFunction influenceAt;
        private final double[] direct;
        private final double[] response;
        private final int d;
        private double benefitSum;
        private double influenceSum;
        private double lengthSum;

        GaussianPass(Estimation<LinearGaussianPolicy, GaussianGameResponse,
                Minibatch<ContinuousReplayBuffer, LeaderQFunction>> e, boolean withResponse) {
            buffer = e.data().buffer();
            indices = e.data().indices();
            count = e.data().count();
            critic = e.data().critic();
            policy = e.decision();
            follower = e.response();
            rng = e.rng();
            this.withResponse = withResponse;
            d = n + m + l;
            direct = new double[l * n];
            response = new double[l * n];
            for (int k = 0; k < count; k++) {
                buffer.copyRow(indices[k], rows, k * d);
            }
            if (options.direct() == Direct.SCORE || options.benefit() == Benefit.CRITIC) {
                System.arraycopy(critic.values(rows, count), 0, q, 0, count);
            }
            if (pathwise != null) {
                pathwise.estimate(buffer, policy, follower, options.influence().directWeight(), direct);
            }
            if (modelCritic != null) {
                modelCritic.prepare(policy, follower);
            }
            valueInfluence = withResponse && options.sensitivity() == Influence.VALUE_LSTD;
            if (valueInfluence) {
                if (sensitivity == null) {
                    sensitivity = new FollowerValueSensitivity(n, l, options.leaderSamples(), follower.discount());
                    sensitivityDiscount = follower.discount();
                }
                sensitivity.fit(buffer, policy, follower, rng);
            }
            influenceAt = valueInfluence ? sensitivity::influence : null;
        }

        @Override
        public int samples() {
            return count;
        }

        @Override
        public void direct(int k) {
            if (pathwise != null) {
                return;
            }
            int i = indices[k];
            if (options.direct() == Direct.MODEL) {
                modelCritic.accumulateDirect(buffer.states(), i * n, buffer.leaderActions(), i * l,
                        buffer.subsequenceLength(i), options.influence().directWeight() / count, direct);
                return;
            }
            int row = k * d;
            double advantage = q[k];
            if (options.directAdvantage()) {
                policy.sampleMany(rows, row, rng, leaderDraws, options.leaderSamples());
                advantage -= critic.blockMean(rows, row, n + m, l, leaderDraws, options.leaderSamples());
            }
            policy.accumulateScore(buffer.states(), i * n, buffer.leaderActions(), i * l,
                    options.influence().directWeight() * advantage / count, direct);
        }

        @Override
        public double benefit(int k) {
            if (options.benefit() == Benefit.MODEL) {
                int i = indices[k];
                return modelCritic.benefit(buffer.states(), i * n, buffer.followerActions(), i * m,
                        buffer.leaderActions(), i * l, buffer.subsequenceLength(i));
            }
            int row = k * d;
            follower.sampleMany(rows, row, rows, row + n + m, rng, followerDraws, options.followerSamples(), m);
            return q[k] - critic.blockMean(rows, row, n, m, followerDraws, options.followerSamples());
        }

        @Override
        public void covariance(int k, double benefit) {
            int i = indices[k];
            double beta = follower.temperature();
            benefitSum += benefit;
            int length = buffer.subsequenceLength(i);
            lengthSum += length;
            InfluenceOptions influence = options.influence();
            if (valueInfluence) {
                sensitivity.influence(buffer.nextStates(), i * n, influenceRow);
                boolean drawn = options.covariancePairs() > 0;
                double scale = influence.responseWeight() * benefit / (beta * count);
                double norm = 0.0;
                for (int c = 0; c < influenceRow.length; c++) {
                    if (!drawn) {
                        response[c] += scale * influenceRow[c];
                    }
                    norm += influenceRow[c] * influenceRow[c];
                }
                influenceSum += Math.sqrt(norm);
                if (drawn) {
                    modelCritic.accumulateCovariance(buffer.states(), i * n, buffer.leaderActions(), i * l, length,
                            options.covariancePairs(), rng, influenceAt, l * n,
                            influence.responseWeight() / (beta * count), response);
                }
                return;
            }
            int first = influence.first();
            double gammaF = follower.discount();
            double normaliser = influence.weightedAverage() ? BoltzmannCovariance.weightSum(gammaF, first, length)
                    : 1.0;
            if (normaliser == 0.0) {
                return;
            }
            double scale = influence.responseWeight() * benefit / (beta * count * normaliser);
            double[] states = buffer.states();
            double[] leaderActions = buffer.leaderActions();
            double[] sum = {0.0};
            BoltzmannCovariance.walk(buffer, i, first, length, gammaF, (j, w) -> {
                double value = follower.softValue(states, j * n, leaderActions, j * l);
                if (influence.advantage()) {
                    double baseline = 0.0;
                    for (int s = 0; s < options.leaderSamples(); s++) {
                        policy.sample(states, j * n, rng, leaderDraw, 0);
                        baseline += follower.softValue(states, j * n, leaderDraw, 0);
                    }
                    value -= baseline / options.leaderSamples();
                }
                sum[0] += w * value * policy.logProb(states, j * n, leaderActions, j * l) / normaliser;
                policy.accumulateScore(states, j * n, leaderActions, j * l, scale * w * value, response);
            });
            influenceSum += sum[0];
        }

        @Override
        public Estimate close() {
            Map<String, Double> diagnostics = new LinkedHashMap<>();
            diagnostics.put("mean_benefit", withResponse ? benefitSum / count : Double.NaN);
            diagnostics.put("mean_influence", withResponse ? influenceSum / count : Double.NaN);
            diagnostics.put("mean_subsequence_length", withResponse ? lengthSum / count : Double.NaN);
            return new Estimate(direct, response, diagnostics);
        }
    }
}
