package dev.bilevel.learn.loop;

import dev.bilevel.core.cmdp.ContinuousConfigurableMdp;
import dev.bilevel.core.lqr.SoftLqrSolution;
import dev.bilevel.learn.estimator.ContinuousHypergradientEstimator;
import dev.bilevel.learn.follower.GaussianResponse;
import dev.bilevel.learn.follower.planning.SoftLqrFollower;
import dev.bilevel.learn.leader.ClippedSgd;
import dev.bilevel.learn.sampling.ContinuousBatch;
import dev.bilevel.learn.sampling.ContinuousSampler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;

/**
 * The outer loop for a continuous configurable MDP (reference-configurable-mdp.md §4.1): each iteration the
 * follower re-solves against the current decision; a training batch and a separate evaluation batch are
 * sampled under the pre-update decision; the estimator fits its critics and returns the leader's gradient;
 * each parameter group takes a clipped SGD ascent step. {@code leader_objective} is the evaluation batch's
 * {@code γ_L}-discounted leader return per episode (the paper's y-axis, {@code return_UL}).
 *
 * <p>The trainer writes nothing; it hands each metrics row to a listener. Randomness comes from three streams
 * (training rollouts, evaluation rollouts, estimation), so evaluation never changes the training trajectory.
 */
public final class ContinuousTrainer {

    /**
     * @param iterations outer iterations
     * @param trainEpisodes episodes per training batch (the reference: 100)
     * @param evalEpisodes episodes per evaluation batch (the reference: 50)
     * @param learningRate SGD step
     * @param maxGradNorm per-group clip (the reference: 1)
     */
    public record Settings(int iterations, int trainEpisodes, int evalEpisodes, double learningRate,
            double maxGradNorm) {

        /** Validates. */
        public Settings {
            if (iterations < 0 || trainEpisodes < 1 || evalEpisodes < 1) {
                throw new IllegalArgumentException("iterations ≥ 0 and episodes ≥ 1 required");
            }
        }
    }

    /**
     * A metrics column computed from the configured MDP and the follower's solution (an exact evaluation, the
     * decision in problem units, …).
     *
     * @param name the column name
     * @param value its value
     */
    public record ExtraColumn(String name,
            ToDoubleBiFunction<ContinuousConfigurableMdp.Configured, SoftLqrSolution> value) {
    }

    /** Receives one metrics row per iteration, in {@link #columns()} order. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param iteration the 0-based iteration
         * @param row the values (owned by the caller afterwards)
         */
        void iteration(int iteration, double[] row);
    }

    private final ContinuousConfigurableMdp mdp;
    private final SoftLqrFollower follower;
    private final ContinuousHypergradientEstimator estimator;
    private final Settings settings;
    private final ClippedSgd optimizer;
    private final List<ExtraColumn> extras;
    private final double[] weights;
    private final List<String> columns;

    /**
     * @param mdp the problem
     * @param follower the follower
     * @param estimator the leader's estimator (owns its critics)
     * @param settings run lengths and the optimiser
     * @param initialWeights the leader's initial decision (copied)
     * @param extras additional columns, appended in order
     */
    public ContinuousTrainer(ContinuousConfigurableMdp mdp, SoftLqrFollower follower,
            ContinuousHypergradientEstimator estimator, Settings settings, double[] initialWeights,
            List<ExtraColumn> extras) {
        this.mdp = Objects.requireNonNull(mdp, "mdp");
        this.follower = Objects.requireNonNull(follower, "follower");
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (initialWeights.length != mdp.decisionDimension()) {
            throw new IllegalArgumentException("initial weights have " + initialWeights.length + " entries, need "
                    + mdp.decisionDimension());
        }
        this.weights = initialWeights.clone();
        this.extras = List.copyOf(extras);
        this.optimizer = new ClippedSgd(mdp.decisionGroups(), settings.learningRate(), settings.maxGradNorm());
        List<String> names = new ArrayList<>(List.of("iteration", "leader_objective"));
        for (String c : mdp.leaderRewardComponents()) {
            names.add("return_UL_" + c);
        }
        names.addAll(List.of("return_LL", "return_UL_train", "return_LL_train", "V_UL", "Q_UL", "V_LL"));
        int[] groups = mdp.decisionGroups();
        for (int g = 0; g < groups.length; g++) {
            names.add("grad_norm_group" + g);
        }
        names.addAll(List.of("direct_norm", "response_norm", "critic_loss", "value_gradient_loss",
                "lqr_iterations", "lqr_converged"));
        for (ExtraColumn e : this.extras) {
            names.add(e.name());
        }
        this.columns = Collections.unmodifiableList(names);
    }

    /** @return the metrics columns */
    public List<String> columns() {
        return columns;
    }

    /** @return a copy of the current decision */
    public double[] weights() {
        return weights.clone();
    }

    /**
     * Runs all iterations.
     *
     * @param sampling training rollouts
     * @param evaluation evaluation rollouts
     * @param estimation critic minibatches and action samples
     * @param listener receives each row
     * @throws ArithmeticException when the follower's Riccati iteration or a gradient diverges
     */
    public void run(SplittableRandom sampling, SplittableRandom evaluation, SplittableRandom estimation,
            Listener listener) {
        double gammaL = mdp.leaderDiscount();
        double gammaF = mdp.followerDiscount();
        int components = mdp.leaderRewardComponents().size();
        for (int it = 0; it < settings.iterations(); it++) {
            ContinuousConfigurableMdp.Configured configured = mdp.configure(weights);
            GaussianResponse response = follower.respond(weights);
            SoftLqrSolution solution = follower.lastSolution();
            ContinuousBatch train = ContinuousSampler.sample(mdp, configured, response, settings.trainEpisodes(),
                    sampling);
            ContinuousBatch eval = ContinuousSampler.sample(mdp, configured, response, settings.evalEpisodes(),
                    evaluation, false);
            ContinuousHypergradientEstimator.Estimate est = estimator.estimate(train, configured, response, estimation);

            double[] row = new double[columns.size()];
            int k = 0;
            row[k++] = it;
            row[k++] = eval.discountedLeaderReturn(gammaL);
            for (int c = 0; c < components; c++) {
                row[k++] = eval.discountedComponent(c, gammaL);
            }
            row[k++] = eval.discountedFollowerReturn(gammaF);
            row[k++] = meanReturnFromStart(train, gammaL);
            row[k++] = train.discountedFollowerReturn(gammaF);
            row[k++] = est.meanLeaderValue();
            row[k++] = est.meanLeaderQ();
            row[k++] = mean(train.followerValues);
            double[] norms = optimizer.ascend(weights, est.gradient());
            for (double norm : norms) {
                row[k++] = norm;
            }
            row[k++] = norm(est.direct());
            row[k++] = norm(est.response());
            row[k++] = est.criticLoss();
            row[k++] = est.valueGradientLoss();
            row[k++] = solution.iterations();
            row[k++] = solution.converged() ? 1.0 : 0.0;
            for (ExtraColumn e : extras) {
                row[k++] = e.value().applyAsDouble(configured, solution);
            }
            listener.iteration(it, row);
        }
    }

    /** The reference's {@code return_UL_train}: the mean discounted leader return from the episode starts. */
    private static double meanReturnFromStart(ContinuousBatch batch, double gamma) {
        return batch.discountedLeaderReturn(gamma);
    }

    private static double mean(double[] v) {
        double s = 0.0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double norm(double[] v) {
        double s = 0.0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
