package dev.bilevel.learn.loop;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.learn.estimator.CmdpEstimate;
import dev.bilevel.learn.estimator.CmdpEstimationContext;
import dev.bilevel.learn.estimator.CmdpEstimator;
import dev.bilevel.learn.estimator.TrajectorySums;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.planning.TabularMdpFollower;
import dev.bilevel.learn.leader.LeaderKnowledge;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The leader's outer loop on a tabular configurable MDP. Each iteration: the follower re-optimises
 * against the current decision; the leader's objective under that response is evaluated exactly on
 * the model (for the record only); the follower's policy generates an on-policy batch; the
 * estimator returns a hypergradient; the leader takes an SGD ascent step after clipping the gradient
 * to a global norm.
 *
 * <p>The estimator sees only the decision, the follower's {@link TabularResponse}, the batch and the
 * leader's own knowledge. Randomness comes from one seed, split once per component, so a run's numbers
 * do not depend on anything else running in the process.
 */
public final class CmdpTrainer {

    /**
     * Loop settings.
     *
     * @param iterations outer iterations
     * @param learningRate SGD step
     * @param maxGradNorm clip the gradient to this global norm ({@code ∞} for none)
     * @param streams parallel environment streams per batch
     * @param stepsPerStream steps per stream per batch
     */
    public record Settings(int iterations, double learningRate, double maxGradNorm, int streams, int stepsPerStream) {

        /** Validates the settings, naming the config key. */
        public Settings {
            if (iterations < 0) {
                throw new IllegalArgumentException("iterations: " + iterations + " must be ≥ 0");
            }
            if (!(learningRate > 0.0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning_rate: " + learningRate + " must be a finite number > 0");
            }
            if (!(maxGradNorm > 0.0)) {
                throw new IllegalArgumentException("max_grad_norm: " + maxGradNorm + " must be > 0");
            }
            if (streams < 1 || stepsPerStream < 1) {
                throw new IllegalArgumentException("samples: need ≥ 1 stream of ≥ 1 step, got " + streams + "×"
                        + stepsPerStream);
            }
        }
    }

    /** Receives one metrics row per iteration, in {@link #columns()} order. */
    @FunctionalInterface
    public interface Listener {
        /** Called after iteration {@code iteration}'s update; {@code row} is reused afterwards. */
        void onIteration(int iteration, double[] row);
    }

    private final ConfigurableMdp model;
    private final TabularSampler sampler;
    private final TabularMdpFollower follower;
    private final CmdpEstimator estimator;
    private final Settings settings;
    private final LeaderKnowledge leader;
    private final List<String> columns;

    /**
     * @param model the model (the follower's planning model; used here only to evaluate the objective)
     * @param sampler the environment the data comes from
     * @param follower the follower
     * @param estimator the leader's hypergradient estimator
     * @param settings loop settings
     */
    public CmdpTrainer(ConfigurableMdp model, TabularSampler sampler, TabularMdpFollower follower, CmdpEstimator estimator,
            Settings settings) {
        this.model = model;
        this.sampler = sampler;
        this.follower = follower;
        this.estimator = estimator;
        this.settings = settings;
        this.leader = new LeaderKnowledge(model.followerReward(), model.leaderReward(), model.leaderDiscount());
        List<String> names = new ArrayList<>(List.of("iteration", "leader_objective"));
        if (follower.suboptimal()) {
            names.add("leader_objective_optimal_follower");
            names.add("kl_gap");
        }
        names.addAll(List.of("leader_return_estimate", "gradient_norm", "direct_norm", "response_norm",
                "completed_episodes", "follower_steps"));
        this.columns = List.copyOf(names);
    }

    /** The metrics columns, {@code iteration} and {@code leader_objective} first. */
    public List<String> columns() {
        return columns;
    }

    /**
     * Runs the loop from {@code x0} and returns the final decision.
     *
     * @throws ArithmeticException when the gradient or the objective stops being finite
     */
    public double[] run(double[] x0, SplittableRandom rng, Listener listener) {
        if (x0.length != model.dimension()) {
            throw new IllegalArgumentException("initial decision: expected " + model.dimension() + " entries, got "
                    + x0.length);
        }
        SplittableRandom samplingRng = rng.split();
        SplittableRandom estimatorRng = rng.split();
        double[] x = x0.clone();
        double[] row = new double[columns.size()];
        for (int it = 0; it < settings.iterations(); it++) {
            TabularResponse response = follower.respond(x);
            double[] leaderReward = model.leaderReward().evaluate(x);
            double objective = objective(response.policy(), leaderReward);
            TabularBatch batch = sampler.sample(response.policy(), settings.streams(), settings.stepsPerStream(),
                    samplingRng);
            CmdpEstimate estimate = estimator.estimate(new CmdpEstimationContext(it, x.clone(), response, batch, leader,
                    estimatorRng));
            double[] g = estimate.gradient();
            double norm = norm(g);
            if (!Double.isFinite(norm) || !Double.isFinite(objective)) {
                throw new ArithmeticException("diverged at iteration " + it + ": gradient norm " + norm
                        + ", objective " + objective);
            }
            double step = settings.learningRate() * Math.min(1.0, settings.maxGradNorm() / Math.max(norm, 1e-300));
            for (int j = 0; j < x.length; j++) {
                x[j] += step * g[j];
            }
            int c = 0;
            row[c++] = it;
            row[c++] = objective;
            if (follower.suboptimal()) {
                row[c++] = objective(follower.optimalResponse().policy(), leaderReward);
                row[c++] = klGap(response.policy(), follower.optimalResponse().policy());
            }
            row[c++] = returnEstimate(batch, leaderReward);
            row[c++] = norm;
            row[c++] = norm(estimate.direct());
            row[c++] = norm(estimate.response());
            row[c++] = batch.completedEpisodes();
            row[c] = follower.lastSteps();
            listener.onIteration(it, row);
        }
        return x;
    }

    private double objective(double[] policy, double[] leaderReward) {
        return PolicyEvaluation.initialValue(model.dynamics(),
                PolicyEvaluation.evaluate(model.dynamics(), policy, leaderReward, model.leaderDiscount())
                        .stateValues());
    }

    /** Mean discounted leader return of the episodes that start in the batch (sampled dynamics). */
    private double returnEstimate(TabularBatch batch, double[] leaderReward) {
        double[] returns = TrajectorySums.returns(batch,
                TrajectorySums.rowValues(batch, leaderReward, model.actions()), model.leaderDiscount());
        double sum = 0.0;
        int count = 0;
        for (int e = 0; e < batch.streams(); e++) {
            for (int i = e * batch.length(), end = i + batch.streamLength(e); i < end; i++) {
                if (batch.times()[i] == 0) {
                    sum += returns[i];
                    count++;
                }
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Mean over states of {@code KL(π ‖ π*)}. */
    private double klGap(double[] policy, double[] optimal) {
        int actions = model.actions();
        double sum = 0.0;
        for (int s = 0; s < model.states(); s++) {
            for (int a = 0; a < actions; a++) {
                double p = policy[s * actions + a];
                if (p > 0.0) {
                    sum += p * (Math.log(p) - Math.log(Math.max(optimal[s * actions + a], 1e-300)));
                }
            }
        }
        return sum / model.states();
    }

    static double norm(double[] v) {
        double sum = 0.0;
        for (double x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
