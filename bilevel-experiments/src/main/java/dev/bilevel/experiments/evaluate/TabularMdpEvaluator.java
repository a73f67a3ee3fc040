package dev.bilevel.experiments.evaluate;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.learn.estimator.term.TrajectorySums;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.planning.TabularMdpFollower;
import dev.bilevel.learn.leader.DecisionLeader;
import dev.bilevel.learn.loop.Step;
import dev.bilevel.learn.sampling.TabularBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * The metrics of a tabular configurable MDP run. {@code leader_objective} is the exact leader value
 * {@code V_L(start)} of the follower's response to the pre-update decision, evaluated on the model; for a
 * deliberately suboptimal follower also the value under its converged best response and the mean
 * {@code KL(π_F ‖ π_F*)} over states. {@code follower_steps} is the follower solver's steps for that response.
 */
public final class TabularMdpEvaluator
        implements Evaluator<double[], TabularResponse, TabularBatch, DecisionLeader.Update> {

    /** What is recorded of the follower with each response. */
    private record Solve(int steps, TabularResponse optimal) {
    }

    private final ConfigurableMdp model;
    private final RecordingFollower<double[], TabularResponse, Solve> follower;
    private final boolean suboptimal;
    private final List<String> columns;

    /**
     * @param model the model the objective is evaluated on
     * @param follower the follower, whose solver statistics are logged
     */
    public TabularMdpEvaluator(ConfigurableMdp model, TabularMdpFollower follower) {
        this.model = model;
        this.follower = new RecordingFollower<>(follower, r -> new Solve(follower.lastSteps(),
                follower.suboptimal() ? follower.optimalResponse() : r));
        this.suboptimal = follower.suboptimal();
        List<String> names = new ArrayList<>(List.of("iteration", "leader_objective"));
        if (suboptimal) {
            names.add("leader_objective_optimal_follower");
            names.add("kl_gap");
        }
        names.addAll(List.of("leader_return_estimate", "gradient_norm", "direct_norm", "response_norm",
                "completed_episodes", "follower_steps"));
        this.columns = List.copyOf(names);
    }

    /** The follower to run the loop with: the given one, recording its statistics for the rows. */
    public Follower<double[], TabularResponse> follower() {
        return follower;
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public double[] row(Step<double[], TabularResponse, TabularBatch, DecisionLeader.Update> step) {
        int it = step.iteration();
        double[] leaderReward = model.leaderReward().evaluate(step.decision());
        double objective = objective(step.response().policy(), leaderReward);
        DecisionLeader.Update update = step.update();
        if (!Double.isFinite(objective)) {
            throw new ArithmeticException("diverged at iteration " + it + ": gradient norm " + update.gradientNorm()
                    + ", objective " + objective);
        }
        Solve solve = follower.recordOf(step.response());
        follower.forget(step.response());
        double[] row = new double[columns.size()];
        int c = 0;
        row[c++] = it;
        row[c++] = objective;
        if (suboptimal) {
            row[c++] = objective(solve.optimal().policy(), leaderReward);
            row[c++] = klGap(step.response().policy(), solve.optimal().policy());
        }
        row[c++] = returnEstimate(step.data(), leaderReward);
        row[c++] = update.gradientNorm();
        row[c++] = update.directNorm();
        row[c++] = update.responseNorm();
        row[c++] = step.data().completedEpisodes();
        row[c] = solve.steps();
        return row;
    }

    /** The exact leader value {@code V_L(start)} of a follower policy. */
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
}
