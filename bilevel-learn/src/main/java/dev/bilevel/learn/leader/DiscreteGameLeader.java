package dev.bilevel.learn.leader;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.loop.Leader;
import dev.bilevel.learn.sampling.GammaReplayBuffer;
import dev.bilevel.learn.sampling.Minibatch;
import dev.bilevel.learn.sampling.Replay;
import dev.bilevel.nn.Initializer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A neural leader with a categorical policy {@code π_θ(b|s)} in a tabular Markov game, trained actor-critic from a
 * {@link GammaReplayBuffer} (reference-markov-game.md §3.3–3.6). Its critic {@code Q_φ(s,a)[b]} is fitted by TD on
 * uniform minibatches; each actor step hands a discount-weighted minibatch and the critic's table to its
 * {@link Estimator} (BC-HG, Naive-PGD) and takes one Adam step along the estimate. Bi-level actor-critic (Bi-AC) is
 * this leader with the Stackelberg critic target ({@link CriticTarget#STACKELBERG}) and Naive-PGD's estimator.
 *
 * <p>Policy network: one-hot state → hidden (ReLU) → logits, Xavier-uniform weights. Critic: one-hot (state,
 * follower action) → hidden (ReLU) → one value per leader action, Xavier-normal weights. Both have Adam
 * optimisers and Polyak target copies updated once per update. The leader sees the follower only through its
 * {@link TabularGameResponse}.
 */
public final class DiscreteGameLeader
        implements Leader<double[], TabularGameResponse, Replay<GammaReplayBuffer>, ActorCriticReport>,
        Stateful {

    /** The critic's bootstrap target at {@code s'}. */
    public enum CriticTarget {
        /** The reference (BC-HG, Naive-PGD): the target policy's mode and the follower's mode at {@code s'}. */
        MODES,
        /** The expectation over both stochastic policies (a SARSA-expectation target). */
        EXPECTATION,
        /** Bi-AC: the Stackelberg value of the next state's stage game, {@code max_b Q'(s', a*(s',b), b)}. */
        STACKELBERG
    }

    /**
     * Hyper-parameters ({@link #reference} gives the reference's, with one actor and one critic step).
     *
     * @param hidden hidden layer widths of both networks
     * @param policyLearningRate Adam step of the policy
     * @param criticLearningRate Adam step of the critic
     * @param sampling how minibatches are drawn
     * @param schedule steps per update, warm-up and target step
     * @param maxGradNorm clip the policy gradient to this global norm ({@code +∞}: never, as the reference's
     *     discrete configs)
     * @param criticTarget the critic's bootstrap target
     */
    public record Settings(int[] hidden, double policyLearningRate, double criticLearningRate,
            ReplaySampling sampling, UpdateSchedule schedule, double maxGradNorm, CriticTarget criticTarget) {

        /** Checks ranges. */
        public Settings {
            hidden = hidden.clone();
            for (int h : hidden) {
                if (h < 1) {
                    throw new IllegalArgumentException("hidden widths must be ≥ 1");
                }
            }
            Objects.requireNonNull(sampling, "sampling");
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(criticTarget, "criticTarget");
            positive(policyLearningRate, "policy learning rate");
            positive(criticLearningRate, "critic learning rate");
            positive(maxGradNorm, "max gradient norm");
        }

        private static void positive(double v, String what) {
            if (!(v > 0.0)) {
                throw new IllegalArgumentException(what + " must be > 0, got " + v);
            }
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }

        /** The reference DiscreteToy4 values common to every config (§5.1), with one actor and one critic step. */
        public static Settings reference(CriticTarget target) {
            return new Settings(new int[] {64, 64}, 1e-4, 1e-3, ReplaySampling.reference(false),
                    new UpdateSchedule(1, 1, 0, 0.01), Double.POSITIVE_INFINITY, target);
        }
    }

    private final Settings settings;
    private final int states;
    private final int nb;
    private final int na;
    private final double leaderDiscount;
    private final Estimator<double[], TabularGameResponse, Minibatch<GammaReplayBuffer, double[]>> estimator;
    private final OneHotNetwork policy;
    private final OneHotNetwork critic;
    private final double[] probabilities;
    private final double[] targetProbabilities;
    private final int[] indices;
    private final double[] logitGradient;
    private final double[] directLogitGradient;
    private final double[] responseLogitGradient;
    private final double[] criticGradient;
    private final double[] expectedCritic;
    private int updates;

    /**
     * @param states {@code S}
     * @param leaderActions {@code B}
     * @param followerActions {@code A}
     * @param leaderDiscount {@code γ_L}, the critic's discount
     * @param settings hyper-parameters
     * @param estimator the actor's hypergradient estimator, in score coefficients {@code c(s,b)}
     * @param rng initialises the networks (policy first, then critic)
     */
    public DiscreteGameLeader(int states, int leaderActions, int followerActions, double leaderDiscount,
            Settings settings, Estimator<double[], TabularGameResponse, Minibatch<GammaReplayBuffer, double[]>>
                    estimator, SplitMixRandom rng) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        this.states = states;
        this.nb = leaderActions;
        this.na = followerActions;
        this.leaderDiscount = leaderDiscount;
        int[] hidden = settings.hidden();
        policy = new OneHotNetwork(new int[] {states}, nb, hidden, Initializer.XAVIER_UNIFORM,
                settings.policyLearningRate(), rng);
        critic = new OneHotNetwork(new int[] {states, na}, nb, hidden, Initializer.XAVIER_NORMAL,
                settings.criticLearningRate(), rng);
        probabilities = new double[states * nb];
        targetProbabilities = new double[states * nb];
        indices = new int[settings.sampling().batchSize()];
        logitGradient = new double[states * nb];
        directLogitGradient = new double[states * nb];
        responseLogitGradient = new double[states * nb];
        criticGradient = new double[states * na * nb];
        expectedCritic = new double[states * nb];
        refreshPolicy();
    }

    /** The hyper-parameters. */
    public Settings settings() {
        return settings;
    }

    /** Its policy and critic networks, its current policy table, its update count and its estimator's state. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("DiscreteGameLeader").writeDoubles(probabilities).writeInt(updates);
        policy.saveState(out);
        critic.saveState(out);
        estimator.saveState(out);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("DiscreteGameLeader").readDoubles(probabilities);
        updates = in.readInt();
        policy.restoreState(in);
        critic.restoreState(in);
        estimator.restoreState(in);
    }

    /** {@code π_θ(b|s)} at {@code [s·B + b]} (a copy): the decision the follower responds to. */
    @Override
    public double[] decision() {
        return probabilities.clone();
    }

    /**
     * Once the buffer holds enough transitions: critic steps, actor steps, then one Polyak step of both target
     * networks.
     *
     * @param data the replay buffer, with the leader's discount as sampling discount
     * @param follower the follower's response the data were collected under
     */
    @Override
    public ActorCriticReport learn(Replay<GammaReplayBuffer> data, TabularGameResponse follower, SplitMixRandom rng) {
        GammaReplayBuffer buffer = data.buffer();
        if (buffer.size() < settings.schedule().minBufferSize()) {
            return ActorCriticReport.NONE;
        }
        ActorCriticReport report = ActorCriticRound.run(settings.schedule(), out -> criticStep(buffer, follower, rng,
                out), norms -> actorStep(buffer, follower, rng, norms));
        policy.polyak(settings.schedule().targetTau());
        critic.polyak(settings.schedule().targetTau());
        refreshPolicy();
        updates++;
        return report;
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

    /** One critic step; writes {loss, mean Q of the batch} into {@code out}. */
    private void criticStep(GammaReplayBuffer buffer, TabularGameResponse follower, SplitMixRandom rng,
            double[] out) {
        int n = settings.sampling().batchSize();
        buffer.sample(n, settings.sampling().withReplacement(), false, rng, indices);
        double[] targetQ = critic.targetTable();
        if (settings.criticTarget() != CriticTarget.STACKELBERG) {
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
        out[0] = loss;
        out[1] = meanQ;
    }

    /** The bootstrap value of {@code s'} from the target networks. */
    private double nextValue(int next, double[] targetQ, TabularGameResponse follower) {
        switch (settings.criticTarget()) {
            case STACKELBERG -> {
                double best = Double.NEGATIVE_INFINITY;
                for (int b = 0; b < nb; b++) {
                    int a = followerMode(follower, next, b);
                    best = Math.max(best, targetQ[(next * na + a) * nb + b]);
                }
                return best;
            }
            case EXPECTATION -> {
                double v = 0.0;
                for (int b = 0; b < nb; b++) {
                    v += targetProbabilities[next * nb + b] * expectedCritic[next * nb + b];
                }
                return v;
            }
            default -> {
                int b = argmax(targetProbabilities, next * nb, nb);
                return targetQ[(next * na + followerMode(follower, next, b)) * nb + b];
            }
        }
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

    /**
     * One actor step: writes {gradient norm, direct norm, response norm} into {@code norms} and returns the
     * estimate.
     */
    private Estimate actorStep(GammaReplayBuffer buffer, TabularGameResponse follower, SplitMixRandom rng,
            double[] norms) {
        int n = settings.sampling().batchSize();
        buffer.sample(n, settings.sampling().withReplacement(), settings.sampling().discountWeighted(), rng, indices);
        double[] q = critic.table();
        softmaxRows(policy.table(), probabilities);
        Estimate estimate = estimator.estimate(new Estimation<>(updates, probabilities, follower,
                new Minibatch<>(buffer, indices, n, q), rng));
        // Loss = −Σ coefficient·log π(b|s); d(−log π(b|s))/d logits_s = π(·|s) − e_b.
        logitGradientOf(estimate.direct(), directLogitGradient);
        logitGradientOf(estimate.response(), responseLogitGradient);
        for (int x = 0; x < logitGradient.length; x++) {
            logitGradient[x] = directLogitGradient[x] + responseLogitGradient[x];
        }
        double directNorm = policy.gradientNorm(directLogitGradient);
        double responseNorm = allZero(estimate.response()) ? 0.0 : policy.gradientNorm(responseLogitGradient);
        norms[0] = policy.step(logitGradient, settings.maxGradNorm());
        norms[1] = directNorm;
        norms[2] = responseNorm;
        return estimate;
    }

    private static boolean allZero(double[] v) {
        for (double x : v) {
            if (x != 0.0) {
                return false;
            }
        }
        return true;
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
        return String.format(Locale.ROOT, "DiscreteGameLeader[%s target, %d states, %d×%d actions]",
                settings.criticTarget().name().toLowerCase(Locale.ROOT), states, nb, na);
    }
}
