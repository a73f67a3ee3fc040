package dev.bilevel.learn.leader;

import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.text.Identifiers;
import dev.bilevel.learn.estimator.ActorCoefficients;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.sampling.GammaReplayBuffer;
import dev.bilevel.nn.Initializer;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A neural leader with a categorical policy {@code π_θ(b|s)} in a tabular Markov game, trained from a
 * {@link GammaReplayBuffer} by one of three algorithms (reference-markov-game.md §3.3–3.6):
 *
 * <ul>
 *   <li>{@link Method#BCHG}: critic {@code Q_φ(s,a)[b]}, direct term plus the Boltzmann-covariance
 *       follower-response term {@code (1/λ)·benefit·influence} over each sample's episode future;</li>
 *   <li>{@link Method#NAIVE}: the same critic and the direct term only (Naive-PGD);</li>
 *   <li>{@link Method#BIAC}: Bi-level actor-critic, whose critic bootstraps on the Stackelberg value
 *       of the next state's stage game, with the direct-term actor.</li>
 * </ul>
 *
 * <p>Policy network: one-hot state → hidden (ReLU) → logits, Xavier-uniform weights. Critic: one-hot
 * (state, follower action) → hidden (ReLU) → one value per leader action, Xavier-normal weights. Both
 * have Adam optimisers and Polyak target copies updated once per {@link #trainOnce}. The leader sees
 * the follower only through its {@link TabularGameResponse}.
 */
public final class DiscreteGameLeader {

    /** The leader algorithm. */
    public enum Method {
        /** BC-HG: direct term and Boltzmann-covariance response term. */
        BCHG,
        /** Naive-PGD: direct term only. */
        NAIVE,
        /** Bi-AC: Stackelberg critic target, direct term only. */
        BIAC;

        /** The config value. */
        public String id() {
            return Identifiers.of(this);
        }

        /** Parses a config value, naming {@code field} on failure. */
        public static Method parse(String id, String field) {
            return Identifiers.parse(Method.class, id, field, "method");
        }
    }

    /** The critic's bootstrap target for BC-HG and Naive-PGD. */
    public enum CriticTarget {
        /** The reference: the target policy's mode and the follower's mode at {@code s'}. */
        MODES,
        /** The expectation over both stochastic policies (a SARSA-expectation target). */
        EXPECTATION;

        /** Parses {@code modes} or {@code expectation}. */
        public static CriticTarget parse(String id, String field) {
            return Identifiers.parse(CriticTarget.class, id, field, "critic target");
        }
    }

    /**
     * Hyper-parameters (reference values in {@link #reference(Method)}).
     *
     * @param method the algorithm
     * @param hidden hidden layer widths of both networks
     * @param policyLearningRate Adam step of the policy
     * @param criticLearningRate Adam step of the critic
     * @param batchSize samples per critic or actor step
     * @param actorSteps actor steps per {@link #trainOnce}
     * @param criticSteps critic steps per {@link #trainOnce}
     * @param withReplacement draw batches with replacement (on-policy) or without (off-policy)
     * @param targetTau Polyak step of the target networks, once per {@link #trainOnce}
     * @param discountSampling draw actor samples with probability {@code ∝ γ_L^τ}
     * @param directAdvantage subtract {@code Σ_b π_θ(b|s)·Q_φ(s,a)[b]} (with the sampled follower action, as
     *     the reference does) in the direct term
     * @param followerSamples {@code M} follower actions drawn for the benefit's baseline; 0 uses the exact
     *     expectation under {@code π_F}
     * @param influenceAdvantage centre {@code W_F(s,b)} by {@code Σ_b' π_θ(b'|s)·W_F(s,b')} in the influence
     * @param influenceWeightedAverage normalise the influence weights {@code γ_F^k} to sum to one
     * @param influenceFromNextStep start the influence sum at {@code k = 1} (the reference includes the
     *     sampled step itself, {@code k = 0}, a zero-mean term)
     * @param directWeight {@code λ1}
     * @param responseWeight {@code λ2}
     * @param maxGradNorm clip the policy gradient to this global norm ({@code +∞}: never, as the
     *     reference's discrete configs)
     * @param criticTarget bootstrap target of the BC-HG and Naive-PGD critic
     */
    public record Settings(Method method, int[] hidden, double policyLearningRate, double criticLearningRate,
            int batchSize, int actorSteps, int criticSteps, boolean withReplacement, double targetTau,
            boolean discountSampling, boolean directAdvantage, int followerSamples, boolean influenceAdvantage,
            boolean influenceWeightedAverage, boolean influenceFromNextStep, double directWeight,
            double responseWeight, double maxGradNorm, CriticTarget criticTarget) {

        /** Checks ranges, naming the config key. */
        public Settings {
            hidden = hidden.clone();
            for (int h : hidden) {
                if (h < 1) {
                    throw new IllegalArgumentException("leader.hidden_sizes: widths must be ≥ 1");
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
            if (followerSamples < 0) {
                throw new IllegalArgumentException("leader.follower_samples: must be ≥ 0, got " + followerSamples);
            }
        }

        private static void positive(double v, String field) {
            if (!(v > 0.0)) {
                throw new IllegalArgumentException(field + ": must be > 0, got " + v);
            }
        }

        /** The reference DiscreteToy4 values common to every config (§5.1), with one actor and one critic step. */
        public static Settings reference(Method method) {
            return new Settings(method, new int[] {64, 64}, 1e-4, 1e-3, 64, 1, 1, true, 0.01, true, true, 256,
                    true, false, false, 1.0, 1.0, Double.POSITIVE_INFINITY, CriticTarget.MODES);
        }

        /** The same with other step counts and replacement. */
        public Settings withSteps(int actor, int critic, boolean replace) {
            return new Settings(method, hidden, policyLearningRate, criticLearningRate, batchSize, actor, critic,
                    replace, targetTau, discountSampling, directAdvantage, followerSamples, influenceAdvantage,
                    influenceWeightedAverage, influenceFromNextStep, directWeight, responseWeight, maxGradNorm,
                    criticTarget);
        }
    }

    /** Averages over the last {@link #trainOnce}, for logging. */
    public record Diagnostics(double criticLoss, double meanQ, double gradientNorm, double directNorm,
            double responseNorm, double meanBenefit, double meanSubsequenceLength) {

        /** Values for an iteration without an update. */
        public static final Diagnostics NONE = new Diagnostics(Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN);
    }

    private final Settings settings;
    private final int states;
    private final int nb;
    private final int na;
    private final double leaderDiscount;
    private final OneHotNetwork policy;
    private final OneHotNetwork critic;
    private final double[] probabilities;
    private final double[] targetProbabilities;
    private final int[] indices;
    private final double[] directCoefficients;
    private final double[] responseCoefficients;
    private final double[] logitGradient;
    private final double[] directLogitGradient;
    private final double[] responseLogitGradient;
    private final double[] criticGradient;
    private final double[] expectedCritic;
    private final ActorCoefficients actorCoefficients;

    /**
     * @param game the game (sizes and the leader's discount; the leader never reads the follower's reward)
     * @param settings hyper-parameters
     * @param rng initialises the networks
     */
    public DiscreteGameLeader(MarkovGame game, Settings settings, SplittableRandom rng) {
        this.settings = settings;
        states = game.states();
        nb = game.leaderActions();
        na = game.followerActions();
        leaderDiscount = game.leaderDiscount();
        policy = new OneHotNetwork(new int[] {states}, nb, settings.hidden(), Initializer.XAVIER_UNIFORM,
                settings.policyLearningRate(), rng);
        critic = new OneHotNetwork(new int[] {states, na}, nb, settings.hidden(), Initializer.XAVIER_NORMAL,
                settings.criticLearningRate(), rng);
        probabilities = new double[states * nb];
        targetProbabilities = new double[states * nb];
        indices = new int[settings.batchSize()];
        directCoefficients = new double[states * nb];
        responseCoefficients = new double[states * nb];
        logitGradient = new double[states * nb];
        directLogitGradient = new double[states * nb];
        responseLogitGradient = new double[states * nb];
        criticGradient = new double[states * na * nb];
        expectedCritic = new double[states * nb];
        actorCoefficients = new ActorCoefficients(settings, states, nb, na);
        refreshPolicy();
    }

    /** The hyper-parameters. */
    public Settings settings() {
        return settings;
    }

    /** {@code π_θ(b|s)} at {@code [s·B + b]} (a copy). */
    public double[] policy() {
        return probabilities.clone();
    }

    /** The critic's table {@code Q_φ(s,a)[b]} at {@code [(s·A + a)·B + b]} (a copy). */
    public double[] criticTable() {
        return critic.table().clone();
    }

    /**
     * Critic steps, actor steps, then one Polyak step of both target networks.
     *
     * @param buffer transitions, with the leader's discount as sampling discount
     * @param follower the follower that produced them (its current response)
     */
    public Diagnostics trainOnce(GammaReplayBuffer buffer, TabularGameResponse follower, SplittableRandom rng) {
        double criticLoss = 0.0;
        double meanQ = 0.0;
        for (int step = 0; step < settings.criticSteps(); step++) {
            double[] out = criticStep(buffer, follower, rng);
            criticLoss += out[0] / settings.criticSteps();
            meanQ += out[1] / settings.criticSteps();
        }
        double[] actor = new double[5];
        for (int step = 0; step < settings.actorSteps(); step++) {
            double[] out = actorStep(buffer, follower, rng);
            for (int k = 0; k < actor.length; k++) {
                actor[k] += out[k] / settings.actorSteps();
            }
        }
        policy.polyak(settings.targetTau());
        critic.polyak(settings.targetTau());
        refreshPolicy();
        boolean acted = settings.actorSteps() > 0;
        boolean criticised = settings.criticSteps() > 0;
        return new Diagnostics(criticised ? criticLoss : Double.NaN, criticised ? meanQ : Double.NaN,
                acted ? actor[0] : Double.NaN, acted ? actor[1] : Double.NaN, acted ? actor[2] : Double.NaN,
                acted && settings.method() == Method.BCHG ? actor[3] : Double.NaN,
                acted && settings.method() == Method.BCHG ? actor[4] : Double.NaN);
    }

    private void refreshPolicy() {
        softmaxRows(policy.table(), probabilities);
    }

    private void softmaxRows(double[] logits, double[] out) {
        for (int s = 0; s < states; s++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int b = 0; b < nb; b++) {
                max = Math.max(max, logits[s * nb + b]);
            }
            double sum = 0.0;
            for (int b = 0; b < nb; b++) {
                double e = Math.exp(logits[s * nb + b] - max);
                out[s * nb + b] = e;
                sum += e;
            }
            for (int b = 0; b < nb; b++) {
                out[s * nb + b] /= sum;
            }
        }
    }

    /** One critic step; returns {loss, mean Q of the batch}. */
    private double[] criticStep(GammaReplayBuffer buffer, TabularGameResponse follower, SplittableRandom rng) {
        int n = settings.batchSize();
        buffer.sample(n, settings.withReplacement(), false, rng, indices);
        double[] targetQ = critic.targetTable();
        if (settings.method() != Method.BIAC) {
            softmaxRows(policy.targetTable(), targetProbabilities);
            if (settings.criticTarget() == CriticTarget.EXPECTATION) {
                expectedNextValues(targetQ, follower);
            }
        }
        double[] q = critic.table();
        Arrays.fill(criticGradient, 0.0);
        double loss = 0.0;
        double meanQ = 0.0;
        for (int k = 0; k < n; k++) {
            int i = indices[k];
            int s = buffer.state(i);
            int a = buffer.followerAction(i);
            int b = buffer.leaderAction(i);
            double y = buffer.leaderReward(i);
            if (!buffer.terminal(i)) {
                y += leaderDiscount * nextValue(buffer.nextState(i), targetQ, follower);
            }
            int cell = (s * na + a) * nb + b;
            double error = q[cell] - y;
            loss += error * error / n;
            meanQ += q[cell] / n;
            criticGradient[cell] += 2.0 * error / n;
        }
        critic.step(criticGradient, Double.POSITIVE_INFINITY);
        return new double[] {loss, meanQ};
    }

    /** The bootstrap value of {@code s'} from the target networks. */
    private double nextValue(int next, double[] targetQ, TabularGameResponse follower) {
        if (settings.method() == Method.BIAC) {
            double best = Double.NEGATIVE_INFINITY;
            for (int b = 0; b < nb; b++) {
                int a = followerMode(follower, next, b);
                best = Math.max(best, targetQ[(next * na + a) * nb + b]);
            }
            return best;
        }
        if (settings.criticTarget() == CriticTarget.EXPECTATION) {
            double v = 0.0;
            for (int b = 0; b < nb; b++) {
                v += targetProbabilities[next * nb + b] * expectedCritic[next * nb + b];
            }
            return v;
        }
        int b = argmax(targetProbabilities, next * nb, nb);
        return targetQ[(next * na + followerMode(follower, next, b)) * nb + b];
    }

    private void expectedNextValues(double[] targetQ, TabularGameResponse follower) {
        for (int s = 0; s < states; s++) {
            for (int b = 0; b < nb; b++) {
                double v = 0.0;
                for (int a = 0; a < na; a++) {
                    v += follower.probability(s, b, a) * targetQ[(s * na + a) * nb + b];
                }
                expectedCritic[s * nb + b] = v;
            }
        }
    }

    private int followerMode(TabularGameResponse follower, int s, int b) {
        return argmax(follower.policy(), (s * nb + b) * na, na);
    }

    /** The first index of the largest entry (as torch's argmax). */
    private static int argmax(double[] v, int offset, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (v[offset + k] > v[offset + best]) {
                best = k;
            }
        }
        return best;
    }

    /** One actor step; returns {gradient norm, direct norm, response norm, mean benefit, mean subsequence length}. */
    private double[] actorStep(GammaReplayBuffer buffer, TabularGameResponse follower, SplittableRandom rng) {
        int n = settings.batchSize();
        buffer.sample(n, settings.withReplacement(), settings.discountSampling(), rng, indices);
        double[] q = critic.table();
        softmaxRows(policy.table(), probabilities);
        double[] stats = actorCoefficients.accumulate(buffer, indices, n, q, probabilities, follower, rng,
                directCoefficients, responseCoefficients);
        // Loss = −Σ coefficient·log π(b|s); d(−log π(b|s))/d logits_s = π(·|s) − e_b.
        logitGradientOf(directCoefficients, directLogitGradient);
        logitGradientOf(responseCoefficients, responseLogitGradient);
        for (int x = 0; x < logitGradient.length; x++) {
            logitGradient[x] = directLogitGradient[x] + responseLogitGradient[x];
        }
        double directNorm = policy.gradientNorm(directLogitGradient);
        double responseNorm = settings.method() == Method.BCHG ? policy.gradientNorm(responseLogitGradient) : 0.0;
        double norm = policy.step(logitGradient, settings.maxGradNorm());
        return new double[] {norm, directNorm, responseNorm, stats[0], stats[1]};
    }

    /** The loss gradient with respect to the logits of {@code −Σ_{s,b} coefficient(s,b)·log π(b|s)}. */
    private void logitGradientOf(double[] coefficients, double[] out) {
        for (int s = 0; s < states; s++) {
            double total = 0.0;
            for (int b = 0; b < nb; b++) {
                total += coefficients[s * nb + b];
            }
            for (int b = 0; b < nb; b++) {
                out[s * nb + b] = probabilities[s * nb + b] * total - coefficients[s * nb + b];
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DiscreteGameLeader[%s, %d states, %d×%d actions]", settings.method().id(),
                states, nb, na);
    }
}
