package dev.bilevel.experiments.evaluate;

import dev.bilevel.core.cmdp.ContinuousConfigurableMdp;
import dev.bilevel.core.lqr.SoftLqrSolution;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.GaussianResponse;
import dev.bilevel.learn.follower.planning.SoftLqrFollower;
import dev.bilevel.learn.leader.DecisionLeader;
import dev.bilevel.learn.loop.Step;
import dev.bilevel.learn.sampling.ContinuousBatch;
import dev.bilevel.learn.sampling.ContinuousSampler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleBiFunction;

/**
 * The metrics of a continuous configurable-MDP run (reference-configurable-mdp.md §4.1). {@code leader_objective}
 * is the {@code γ_L}-discounted leader return per episode of a separate evaluation batch sampled under the
 * pre-update decision and the follower's response to it (the paper's {@code return_UL}), with its raw components;
 * then the training batch's returns, the estimator's critic diagnostics, the gradient's group norms, the
 * follower's Riccati iterations and any extra columns computed from the configured MDP and the follower's solution.
 */
public final class DynamicsDesignEvaluator
        implements Evaluator<double[], GaussianResponse, ContinuousBatch, DecisionLeader.Update> {

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

    private final ContinuousConfigurableMdp mdp;
    private final RecordingFollower<double[], GaussianResponse, SoftLqrSolution> follower;
    private final int evalEpisodes;
    private final SplitMixRandom evaluation;
    private final List<ExtraColumn> extras;
    private final List<String> columns;

    /**
     * @param mdp the problem
     * @param follower the follower, whose solutions feed the extra columns
     * @param evalEpisodes episodes of each evaluation batch
     * @param evaluation the evaluation rollouts' stream (its own, so evaluating never changes training)
     * @param extras additional columns, appended in order
     */
    public DynamicsDesignEvaluator(ContinuousConfigurableMdp mdp, SoftLqrFollower follower, int evalEpisodes,
            SplitMixRandom evaluation, List<ExtraColumn> extras) {
        this.mdp = Objects.requireNonNull(mdp, "mdp");
        this.follower = new RecordingFollower<>(follower, r -> follower.lastSolution());
        if (evalEpisodes < 1) {
            throw new IllegalArgumentException("evaluation episodes must be ≥ 1, got " + evalEpisodes);
        }
        this.evalEpisodes = evalEpisodes;
        this.evaluation = Objects.requireNonNull(evaluation, "evaluation");
        this.extras = List.copyOf(extras);
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

    /** The follower to run the loop with: the given one, recording its solutions for the rows. */
    public Follower<double[], GaussianResponse> follower() {
        return follower;
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public double[] row(Step<double[], GaussianResponse, ContinuousBatch, DecisionLeader.Update> step) {
        double gammaL = mdp.leaderDiscount();
        double gammaF = mdp.followerDiscount();
        ContinuousConfigurableMdp.Configured configured = mdp.configure(step.decision());
        SoftLqrSolution solution = follower.recordOf(step.response());
        follower.forget(step.response());
        ContinuousBatch train = step.data();
        ContinuousBatch eval = ContinuousSampler.sample(mdp, configured, step.response(), evalEpisodes, evaluation,
                false);
        Estimate estimate = step.update().estimate();
        double[] row = new double[columns.size()];
        int k = 0;
        row[k++] = step.iteration();
        row[k++] = eval.discountedLeaderReturn(gammaL);
        for (int c = 0; c < mdp.leaderRewardComponents().size(); c++) {
            row[k++] = eval.discountedComponent(c, gammaL);
        }
        row[k++] = eval.discountedFollowerReturn(gammaF);
        row[k++] = train.discountedLeaderReturn(gammaL);
        row[k++] = train.discountedFollowerReturn(gammaF);
        row[k++] = estimate.diagnostic("mean_leader_value");
        row[k++] = estimate.diagnostic("mean_leader_q");
        row[k++] = mean(train.followerValues);
        for (double norm : step.update().groupNorms()) {
            row[k++] = norm;
        }
        row[k++] = step.update().directNorm();
        row[k++] = step.update().responseNorm();
        row[k++] = estimate.diagnostic("critic_loss");
        row[k++] = estimate.diagnostic("value_gradient_loss");
        row[k++] = solution.iterations();
        row[k++] = solution.converged() ? 1.0 : 0.0;
        for (ExtraColumn e : extras) {
            row[k++] = e.value().applyAsDouble(configured, solution);
        }
        return row;
    }

    private static double mean(double[] v) {
        double s = 0.0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
