package dev.bilevel.learn.leader;

import dev.bilevel.core.game.DifferentiableMarkovGame;
import dev.bilevel.core.text.Identifiers;
import dev.bilevel.learn.critic.ContinuousCritic;
import dev.bilevel.learn.critic.FollowerValueSensitivity;
import dev.bilevel.learn.estimator.ContinuousBchgEstimator;
import dev.bilevel.learn.estimator.PathwiseDirectTerm;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import dev.bilevel.nn.Adam;
import dev.bilevel.nn.GradientClipping;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A linear-Gaussian leader in a continuous Markov game trained from a {@link ContinuousReplayBuffer} by BC-HG
 * or Naive-PGD (reference-markov-game.md §3.8, the reference's {@code BCHG_Opt} / {@code Baseline_Opt}):
 *
 * <ul>
 *   <li>critic {@code Q_φ([x, a_F], a_L)} ({@link ContinuousCritic}) fitted by TD on uniform batches, with the
 *       bootstrap {@code r_L + γ_L·Q_φ'([x', ā_F'], ā_L')} at the target policy's mean {@code ā_L' = K'x'} and
 *       the follower's mean {@code ā_F'} (§7.3);</li>
 *   <li>actor: the {@link ContinuousBchgEstimator} on discount-weighted batches, one Adam step of {@code K}
 *       per batch; BC-HG clips the gradient to {@code maxGradNorm}, Naive-PGD does not unless
 *       {@code clipNaive} (§7.7);</li>
 *   <li>one Polyak step of the target critic and target policy per {@link #trainOnce} (§7.9).</li>
 * </ul>
 *
 * The leader sees the follower only through its {@link GaussianGameResponse}.
 */
public final class ContinuousGameLeader {

    /** The leader algorithm. */
    public enum Method {
        /** BC-HG: direct term and Boltzmann-covariance response term. */
        BCHG,
        /** Naive-PGD: direct term only (the reference's {@code Baseline_Opt}). */
        NAIVE;

        /** The config value. */
        public String id() {
            return Identifiers.of(this);
        }

        /** Parses a config value, naming {@code field} on failure. */
        public static Method parse(String id, String field) {
            return Identifiers.parse(Method.class, id, field, "method");
        }
    }

    /** The critic's bootstrap actions at {@code x'}. */
    public enum CriticTarget {
        /** The reference: the target policy's mean and the follower's mean. */
        MEANS,
        /** One draw from each (the reference's {@code target_policy_smoothing: true}). */
        SAMPLES;

        /** The config value. */
        public String id() {
            return Identifiers.of(this);
        }

        /** Parses {@code means} or {@code samples}. */
        public static CriticTarget parse(String id, String field) {
            return Identifiers.parse(CriticTarget.class, id, field, "critic target");
        }
    }

    /** How the direct term (the gradient with the follower's policy held fixed) is estimated. */
    public enum DirectTerm {
        /** The reference: the score function times the critic's advantage on the batch. */
        SCORE,
        /**
         * Pathwise through the leader's model of the game along the buffer's episodes ({@link PathwiseDirectTerm};
         * needs a {@link DifferentiableMarkovGame}).
         */
        PATHWISE;

        /** The config value. */
        public String id() {
            return Identifiers.of(this);
        }

        /** Parses {@code score} or {@code pathwise}. */
        public static DirectTerm parse(String id, String field) {
            return Identifiers.parse(DirectTerm.class, id, field, "direct term");
        }
    }

    /** How BC-HG's response term gets the follower's sensitivity {@code ∇_K Q_F}. */
    public enum Influence {
        /** The reference: a score-function sum along the sample's episode future with {@code W_F} as reward. */
        SCORE,
        /** {@code γ_F·Ψ̂(x')} with {@code Ψ̂ ≈ ∇_K V_F} fitted by LSTD ({@link FollowerValueSensitivity}). */
        VALUE_LSTD;

        /** The config value. */
        public String id() {
            return Identifiers.of(this);
        }

        /** Parses {@code score} or {@code value-lstd}. */
        public static Influence parse(String id, String field) {
            return Identifiers.parse(Influence.class, id, field, "influence");
        }
    }

    /**
     * Hyper-parameters ({@link #reference} gives the reference's).
     *
     * @param method the algorithm
     * @param hidden the critic's hidden widths
     * @param policyLearningRate Adam step of {@code K}
     * @param criticLearningRate Adam step of the critic
     * @param batchSize samples per critic or actor step
     * @param actorSteps actor steps per {@link #trainOnce}
     * @param criticSteps critic steps per {@link #trainOnce}
     * @param withReplacement draw batches with replacement (on-policy) or without (off-policy)
     * @param targetTau Polyak step of the target critic and policy, once per {@link #trainOnce}
     * @param discount {@code γ_L}, the critic's discount
     * @param discountSampling draw actor samples with probability {@code ∝ γ_L^τ}
     * @param directAdvantage subtract the mean of {@code Q_φ(x, a_F, ã_L)} over {@code leaderSamples} draws
     *     {@code ã_L ~ π_θ(·|x)} at the sampled {@code a_F} (the reference's baseline, §7.4)
     * @param leaderSamples draws for the direct term's (and the influence's) leader baseline
     * @param followerSamples {@code M}, follower draws for the benefit's baseline
     * @param influenceAdvantage centre {@code W_F(x, a_L)} by its mean over {@code leaderSamples} draws of
     *     the leader's action (reference LQR configs: off)
     * @param influenceWeightedAverage normalise the influence weights {@code γ_F^k} to sum to one
     * @param influenceFromNextStep start the influence at {@code k = 1} (the reference includes {@code k = 0},
     *     a zero-mean term, §7.5)
     * @param directWeight {@code λ1}
     * @param responseWeight {@code λ2}
     * @param maxGradNorm clip the policy gradient to this global norm ({@code +∞}: never)
     * @param clipNaive clip Naive-PGD's gradient too (the reference's no-guidance branch returns before the
     *     clip, §7.7: {@code false} reproduces it)
     * @param criticTarget the bootstrap actions
     * @param directTerm how the direct term is estimated (reference: {@link DirectTerm#SCORE})
     * @param influence how BC-HG's response term gets {@code ∇_K Q_F} (reference: {@link Influence#SCORE})
     */
    public record Settings(Method method, int[] hidden, double policyLearningRate, double criticLearningRate,
            int batchSize, int actorSteps, int criticSteps, boolean withReplacement, double targetTau,
            double discount, boolean discountSampling, boolean directAdvantage, int leaderSamples,
            int followerSamples, boolean influenceAdvantage, boolean influenceWeightedAverage,
            boolean influenceFromNextStep, double directWeight, double responseWeight, double maxGradNorm,
            boolean clipNaive, CriticTarget criticTarget, DirectTerm directTerm, Influence influence) {

        /** Checks ranges, naming the config key. */
        public Settings {
            hidden = hidden.clone();
            for (int h : hidden) {
                if (h < 1) {
                    throw new IllegalArgumentException("leader.hidden_width: widths must be ≥ 1");
                }
            }
            positive(policyLearningRate, "leader.policy_lr");
            positive(criticLearningRate, "leader.critic_lr");
            positive(maxGradNorm, "leader.max_grad_norm");
            if (batchSize < 1) {
                throw new IllegalArgumentException("leader.batch_size: must be ≥ 1, got " + batchSize);
            }
            if (actorSteps < 0 || criticSteps < 0) {
                throw new IllegalArgumentException("leader.actor_steps / leader.critic_steps: must be ≥ 0");
            }
            if (!(targetTau >= 0.0 && targetTau <= 1.0)) {
                throw new IllegalArgumentException("leader.target_tau: must be in [0, 1], got " + targetTau);
            }
            if (!(discount > 0.0 && discount <= 1.0)) {
                throw new IllegalArgumentException("leader.discount: must be in (0, 1], got " + discount);
            }
            if (leaderSamples < 1 || followerSamples < 1) {
                throw new IllegalArgumentException("leader.leader_samples / leader.follower_samples: must be ≥ 1");
            }
        }

        private static void positive(double v, String field) {
            if (!(v > 0.0)) {
                throw new IllegalArgumentException(field + ": must be > 0, got " + v);
            }
        }

        /**
         * The reference LQREnv-v4 configs (reference-markov-game.md §5.1): critic [64, 64], Adam 0.1 for both,
         * batch 64, 5 critic steps, actor steps 10 (BC-HG and on-policy Naive-PGD) or 2 (off-policy Naive-PGD),
         * τ 0.01, γ_L 0.99, 32 leader and 256 follower draws, raw {@code W_F} in the influence, clip 1.0 for
         * BC-HG only, mean bootstrap actions.
         */
        public static Settings reference(Method method, boolean offPolicy) {
            int actor = method == Method.NAIVE && offPolicy ? 2 : 10;
            return new Settings(method, new int[] {64, 64}, 0.1, 0.1, 64, actor, 5, !offPolicy, 0.01, 0.99, true,
                    true, 32, 256, false, false, false, 1.0, 1.0, 1.0, false, CriticTarget.MEANS, DirectTerm.SCORE,
                    Influence.SCORE);
        }

        /** Whether actor steps clip the gradient. */
        public boolean clips() {
            return maxGradNorm < Double.POSITIVE_INFINITY && (method == Method.BCHG || clipNaive);
        }
    }

    /**
     * Averages over the last {@link #trainOnce}, for logging ({@code NaN} where not computed).
     *
     * @param criticLoss TD loss
     * @param meanQ mean critic value on the critic batches
     * @param gradientNorm norm of the (unclipped) policy gradient
     * @param directNorm norm of its direct part
     * @param responseNorm norm of its follower-response part
     * @param meanBenefit mean benefit {@code Q − mean_m Q(ũ_m)} (BC-HG)
     * @param meanInfluence mean influence {@code Σ_k w_k log π·W_F} (BC-HG, the reference's
     *     {@code LossComp_2_wo_Benefit})
     * @param meanSubsequenceLength mean subsequence length (BC-HG)
     */
    public record Diagnostics(double criticLoss, double meanQ, double gradientNorm, double directNorm,
            double responseNorm, double meanBenefit, double meanInfluence, double meanSubsequenceLength) {

        /** Values for an iteration without an update. */
        public static final Diagnostics NONE = new Diagnostics(Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private final Settings settings;
    private final int n;
    private final int m;
    private final int l;
    private final LinearGaussianPolicy policy;
    private final LinearGaussianPolicy targetPolicy;
    private final ContinuousCritic critic;
    private final Adam policyOptimizer;
    private final ContinuousBchgEstimator estimator;
    private final int[] indices;
    private final double[] rows;
    private final double[] nextRows;
    private final double[] targets;
    private final double[] direct;
    private final double[] response;
    private final double[] gradient;

    /** A leader without a model of the game (the score-function direct term only). */
    public ContinuousGameLeader(int stateDimension, int followerActionDimension, LinearGaussianPolicy policy,
            Settings settings, SplittableRandom rng) {
        this(stateDimension, followerActionDimension, policy, settings, rng, null);
    }

    /**
     * @param stateDimension {@code n}
     * @param followerActionDimension {@code m}
     * @param policy the initial policy (copied; its noise {@code W} stays fixed)
     * @param settings hyper-parameters
     * @param rng initialises the critic
     * @param model the leader's model of the game, needed by {@link DirectTerm#PATHWISE} (else may be null)
     */
    public ContinuousGameLeader(int stateDimension, int followerActionDimension, LinearGaussianPolicy policy,
            Settings settings, SplittableRandom rng, DifferentiableMarkovGame model) {
        this.settings = settings;
        n = stateDimension;
        m = followerActionDimension;
        l = policy.actionDimension();
        if (policy.stateDimension() != n) {
            throw new IllegalArgumentException("policy state dimension " + policy.stateDimension() + " ≠ " + n);
        }
        this.policy = policy.copy();
        targetPolicy = policy.copy();
        int d = n + m + l;
        critic = new ContinuousCritic(d, settings.hidden(), settings.criticLearningRate(), settings.batchSize(),
                Math.max(settings.leaderSamples(), settings.followerSamples()), rng);
        policyOptimizer = new Adam(l * n, settings.policyLearningRate());
        estimator = new ContinuousBchgEstimator(settings, n, m, l, model);
        indices = new int[settings.batchSize()];
        rows = new double[settings.batchSize() * d];
        nextRows = new double[settings.batchSize() * d];
        targets = new double[settings.batchSize()];
        direct = new double[l * n];
        response = new double[l * n];
        gradient = new double[l * n];
    }

    /** The hyper-parameters. */
    public Settings settings() {
        return settings;
    }

    /** The current policy (live: do not modify). */
    public LinearGaussianPolicy policy() {
        return policy;
    }

    /**
     * Critic steps, actor steps, then one Polyak step of the target critic and policy.
     *
     * @param buffer transitions, with the leader's discount as sampling discount
     * @param follower the follower that produced them (its current response)
     */
    public Diagnostics trainOnce(ContinuousReplayBuffer buffer, GaussianGameResponse follower,
            SplittableRandom rng) {
        double criticLoss = 0.0;
        double meanQ = 0.0;
        for (int step = 0; step < settings.criticSteps(); step++) {
            criticLoss += criticStep(buffer, follower, rng) / settings.criticSteps();
            meanQ += critic.lastMeanValue() / settings.criticSteps();
        }
        double[] actor = new double[6];
        for (int step = 0; step < settings.actorSteps(); step++) {
            double[] out = actorStep(buffer, follower, rng);
            for (int k = 0; k < actor.length; k++) {
                actor[k] += out[k] / settings.actorSteps();
            }
        }
        critic.polyak(settings.targetTau());
        targetPolicy.polyak(policy, settings.targetTau());
        boolean acted = settings.actorSteps() > 0;
        boolean criticised = settings.criticSteps() > 0;
        boolean bchg = acted && settings.method() == Method.BCHG;
        return new Diagnostics(criticised ? criticLoss : Double.NaN, criticised ? meanQ : Double.NaN,
                acted ? actor[0] : Double.NaN, acted ? actor[1] : Double.NaN, bchg ? actor[2] : Double.NaN,
                bchg ? actor[3] : Double.NaN, bchg ? actor[4] : Double.NaN, bchg ? actor[5] : Double.NaN);
    }

    /** One TD step; returns the loss. */
    private double criticStep(ContinuousReplayBuffer buffer, GaussianGameResponse follower,
            SplittableRandom rng) {
        int count = settings.batchSize();
        buffer.sample(count, settings.withReplacement(), false, rng, indices);
        int d = n + m + l;
        double[] next = buffer.nextStates();
        for (int k = 0; k < count; k++) {
            int i = indices[k];
            buffer.copyRow(i, rows, k * d);
            int row = k * d;
            System.arraycopy(next, i * n, nextRows, row, n);
            if (settings.criticTarget() == CriticTarget.MEANS) {
                targetPolicy.mean(nextRows, row, nextRows, row + n + m);
                follower.mean(nextRows, row, nextRows, row + n + m, nextRows, row + n);
            } else {
                targetPolicy.sample(nextRows, row, rng, nextRows, row + n + m);
                follower.sample(nextRows, row, nextRows, row + n + m, rng, nextRows, row + n);
            }
        }
        double[] qNext = critic.targetValues(nextRows, count);
        for (int k = 0; k < count; k++) {
            int i = indices[k];
            targets[k] = buffer.leaderReward(i) + (buffer.terminal(i) ? 0.0 : settings.discount() * qNext[k]);
        }
        return critic.trainStep(rows, targets, count);
    }

    /**
     * One actor step; returns {gradient norm, direct norm, response norm, mean benefit, mean influence, mean
     * subsequence length}.
     */
    private double[] actorStep(ContinuousReplayBuffer buffer, GaussianGameResponse follower,
            SplittableRandom rng) {
        int count = settings.batchSize();
        buffer.sample(count, settings.withReplacement(), settings.discountSampling(), rng, indices);
        double[] stats = estimator.estimate(buffer, indices, count, critic, policy, follower, rng, direct, response);
        for (int k = 0; k < gradient.length; k++) {
            gradient[k] = -(direct[k] + response[k]); // the loss gradient; Adam descends it
        }
        double norm = GradientClipping.globalNorm(gradient);
        if (settings.clips()) {
            GradientClipping.clipGlobalNorm(gradient, settings.maxGradNorm());
        }
        policyOptimizer.step(policy.gain(), gradient);
        return new double[] {norm, GradientClipping.globalNorm(direct), GradientClipping.globalNorm(response),
            stats[0], stats[1], stats[2]};
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ContinuousGameLeader[%s, K=%s]", settings.method().id(),
                Arrays.toString(policy.gain()));
    }
}
