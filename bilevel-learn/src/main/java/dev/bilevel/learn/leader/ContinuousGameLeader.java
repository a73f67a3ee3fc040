package dev.bilevel.learn.leader;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.critic.ContinuousCritic;
import dev.bilevel.learn.critic.LeaderQFunction;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.loop.Leader;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import dev.bilevel.learn.sampling.Minibatch;
import dev.bilevel.learn.sampling.Replay;
import dev.bilevel.learn.state.NetworkState;
import dev.bilevel.nn.Adam;
import dev.bilevel.nn.GradientClipping;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A linear-Gaussian leader in a continuous Markov game, trained actor-critic from a {@link ContinuousReplayBuffer}
 * (reference-markov-game.md §3.8, the reference's {@code BCHG_Opt} / {@code Baseline_Opt}):
 *
 * <ul>
 *   <li>critic {@code Q_φ([x, a_F], a_L)} ({@link ContinuousCritic}) fitted by TD on uniform batches, with the
 *       bootstrap {@code r_L + γ_L·Q_φ'([x', ā_F'], ā_L')} at the target policy's mean {@code ā_L' = K'x'} and
 *       the follower's mean {@code ā_F'} (§7.3), or at one draw of each;</li>
 *   <li>actor: the {@link Estimator} (BC-HG, Naive-PGD) on discount-weighted batches, one Adam step of {@code K}
 *       per batch after clipping the gradient to {@code maxGradNorm} ({@code +∞}: never, as the reference's
 *       Naive-PGD, §7.7);</li>
 *   <li>one Polyak step of the target critic and target policy per update (§7.9).</li>
 * </ul>
 *
 * The leader sees the follower only through its {@link GaussianGameResponse}.
 */
public final class ContinuousGameLeader implements Leader<LinearGaussianPolicy, GaussianGameResponse,
        Replay<ContinuousReplayBuffer>, ActorCriticReport>, Stateful {

    /** The critic's bootstrap actions at {@code x'}. */
    public enum CriticTarget {
        /** The reference: the target policy's mean and the follower's mean. */
        MEANS,
        /** One draw from each (the reference's {@code target_policy_smoothing: true}). */
        SAMPLES
    }

    /**
     * Hyper-parameters.
     *
     * @param hidden the critic's hidden widths
     * @param policyLearningRate Adam step of {@code K}
     * @param criticLearningRate Adam step of the critic
     * @param discount {@code γ_L}, the critic's discount
     * @param sampling how minibatches are drawn
     * @param schedule steps per update, warm-up and target step
     * @param maxGradNorm clip the policy gradient to this global norm ({@code +∞}: never)
     * @param criticTarget the bootstrap actions
     */
    public record Settings(int[] hidden, double policyLearningRate, double criticLearningRate, double discount,
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
            if (!(discount > 0.0 && discount <= 1.0)) {
                throw new IllegalArgumentException("discount must be in (0, 1], got " + discount);
            }
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

        /**
         * The reference LQREnv-v4 configs (reference-markov-game.md §5.1): critic [64, 64], Adam 0.1 for both, batch
         * 64, 5 critic steps, {@code actorSteps} actor steps, τ 0.01, γ_L 0.99, mean bootstrap actions, the gradient
         * clipped to 1.0 (the reference's BC-HG; its Naive-PGD does not clip).
         */
        public static Settings reference(int actorSteps, boolean offPolicy) {
            return new Settings(new int[] {64, 64}, 0.1, 0.1, 0.99, ReplaySampling.reference(offPolicy),
                    new UpdateSchedule(actorSteps, 5, 0, 0.01), 1.0, CriticTarget.MEANS);
        }
    }

    private final Settings settings;
    private final int n;
    private final int m;
    private final int l;
    private final Estimator<LinearGaussianPolicy, GaussianGameResponse,
            Minibatch<ContinuousReplayBuffer, LeaderQFunction>> estimator;
    private final LinearGaussianPolicy policy;
    private final LinearGaussianPolicy targetPolicy;
    private final ContinuousCritic critic;
    private final Adam policyOptimizer;
    private final int[] indices;
    private final double[] rows;
    private final double[] nextRows;
    private final double[] targets;
    private final double[] gradient;
    private int updates;

    /**
     * @param stateDimension {@code n}
     * @param followerActionDimension {@code m}
     * @param policy the initial policy (copied; its noise {@code W} stays fixed)
     * @param settings hyper-parameters
     * @param estimator the actor's hypergradient estimator, in {@code K}
     * @param criticSlices the most draws of one input block the estimator averages the critic over
     * @param rng initialises the critic
     */
    public ContinuousGameLeader(int stateDimension, int followerActionDimension, LinearGaussianPolicy policy,
            Settings settings, Estimator<LinearGaussianPolicy, GaussianGameResponse,
                    Minibatch<ContinuousReplayBuffer, LeaderQFunction>> estimator, int criticSlices,
            SplitMixRandom rng) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        n = stateDimension;
        m = followerActionDimension;
        l = policy.actionDimension();
        if (policy.stateDimension() != n) {
            throw new IllegalArgumentException("policy state dimension " + policy.stateDimension() + " ≠ " + n);
        }
        this.policy = policy.copy();
        targetPolicy = policy.copy();
        int d = n + m + l;
        int batch = settings.sampling().batchSize();
        critic = new ContinuousCritic(d, settings.hidden(), settings.criticLearningRate(), batch, criticSlices, rng);
        policyOptimizer = new Adam(l * n, settings.policyLearningRate());
        indices = new int[batch];
        rows = new double[batch * d];
        nextRows = new double[batch * d];
        targets = new double[batch];
        gradient = new double[l * n];
    }

    /** The hyper-parameters. */
    public Settings settings() {
        return settings;
    }

    /** Its policy and target policy gains, critic, optimiser, update count and estimator's state. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("ContinuousGameLeader").writeDoubles(policy.gain()).writeDoubles(targetPolicy.gain())
                .writeInt(updates);
        NetworkState.write(out, policyOptimizer);
        critic.saveState(out);
        estimator.saveState(out);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("ContinuousGameLeader").readDoubles(policy.gain());
        in.readDoubles(targetPolicy.gain());
        updates = in.readInt();
        NetworkState.read(in, policyOptimizer);
        critic.restoreState(in);
        estimator.restoreState(in);
    }

    /** The current policy (live: do not modify), the decision the follower responds to. */
    @Override
    public LinearGaussianPolicy decision() {
        return policy;
    }

    /**
     * Once the buffer holds enough transitions: critic steps, actor steps, then one Polyak step of the target critic
     * and policy.
     *
     * @param data the replay buffer, with the leader's discount as sampling discount
     * @param follower the follower's response the data were collected under
     */
    @Override
    public ActorCriticReport learn(Replay<ContinuousReplayBuffer> data, GaussianGameResponse follower,
            SplitMixRandom rng) {
        ContinuousReplayBuffer buffer = data.buffer();
        if (buffer.size() < settings.schedule().minBufferSize()) {
            return ActorCriticReport.NONE;
        }
        ActorCriticReport report = ActorCriticRound.run(settings.schedule(), out -> {
            out[0] = criticStep(buffer, follower, rng);
            out[1] = critic.lastMeanValue();
        }, norms -> actorStep(buffer, follower, rng, norms));
        critic.polyak(settings.schedule().targetTau());
        targetPolicy.polyak(policy, settings.schedule().targetTau());
        updates++;
        return report;
    }

    /** One TD step; returns the loss. */
    private double criticStep(ContinuousReplayBuffer buffer, GaussianGameResponse follower, SplitMixRandom rng) {
        int count = settings.sampling().batchSize();
        buffer.sample(count, settings.sampling().withReplacement(), false, rng, indices);
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
     * One actor step: writes {gradient norm, direct norm, response norm} into {@code norms} and returns the
     * estimate.
     */
    private Estimate actorStep(ContinuousReplayBuffer buffer, GaussianGameResponse follower, SplitMixRandom rng,
            double[] norms) {
        int count = settings.sampling().batchSize();
        buffer.sample(count, settings.sampling().withReplacement(), settings.sampling().discountWeighted(), rng,
                indices);
        Estimate estimate = estimator.estimate(new Estimation<>(updates, policy, follower,
                new Minibatch<>(buffer, indices, count, critic), rng));
        double[] direct = estimate.direct();
        double[] response = estimate.response();
        for (int k = 0; k < gradient.length; k++) {
            gradient[k] = -(direct[k] + response[k]); // the loss gradient; Adam descends it
        }
        norms[0] = settings.maxGradNorm() < Double.POSITIVE_INFINITY
                ? GradientClipping.clipGlobalNorm(gradient, settings.maxGradNorm())
                : GradientClipping.globalNorm(gradient);
        policyOptimizer.step(policy.gain(), gradient);
        norms[1] = GradientClipping.globalNorm(direct);
        norms[2] = GradientClipping.globalNorm(response);
        return estimate;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ContinuousGameLeader[K=%s]", Arrays.toString(policy.gain()));
    }
}
