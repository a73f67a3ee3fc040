package dev.bilevel.experiments.evaluate;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.game.ExactGameHypergradient;
import dev.bilevel.core.game.JointPolicy;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.game.TabularSoftmaxPolicy;
import dev.bilevel.core.math.Vectors;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.learn.estimator.term.TrajectorySums;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.FollowerResponse;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.learning.TabularLearningFollower;
import dev.bilevel.learn.follower.planning.TabularGameFollower;
import dev.bilevel.learn.follower.planning.TabularMdpFollower;
import dev.bilevel.learn.leader.DecisionLeader;
import dev.bilevel.learn.loop.Step;
import dev.bilevel.learn.sampling.TabularBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The metrics of a leader with a decision vector on a tabular problem: a configurable MDP (the decision sets the
 * follower's incentives) or a Markov game with a tabular softmax leader (the decision is its logits).
 * {@code leader_objective} is the exact leader value {@code V_L(start)} of the follower's response to the
 * pre-update decision, evaluated on the model; for a deliberately suboptimal follower also the value under its
 * converged best response and the mean {@code KL(π_F ‖ π_F*)} over states. Then the batch's Monte-Carlo return,
 * the estimate's norms, the completed episodes and the follower solver's steps for that response.
 *
 * <p>With the accuracy diagnostic (a privileged view: the exact model), two more columns measure the leader's
 * hypergradient estimate, before clipping, against the exact hypergradient at the same decision: {@value #COSINE},
 * its cosine to the hypergradient of the follower's converged best response, the true gradient of the leader's
 * objective; and, for a deliberately suboptimal follower, {@value #COSINE_CURRENT}, its cosine to the same
 * formula evaluated at the follower's current policy, which is what a leader that takes the follower's answer at
 * face value estimates.
 *
 * @param <R> the follower's response
 */
public final class TabularEvaluator<R extends FollowerResponse>
        implements Evaluator<double[], R, TabularBatch, DecisionLeader.Update> {

    /** The column of the estimate's cosine to the exact hypergradient at the converged follower. */
    public static final String COSINE = GaussianGameEvaluator.COSINE;
    /** The column of the estimate's cosine to the exact hypergradient formula at the follower's current policy. */
    public static final String COSINE_CURRENT = "cosine_to_exact_current";

    /** The exact hypergradient at a decision, with the follower playing a given policy (its best response, or not). */
    @FunctionalInterface
    private interface ExactGradient {
        double[] at(double[] decision, double[] followerPolicy);
    }

    /** What is recorded of the follower with each response: solver steps, and the converged answer's policy. */
    private record Solve(int steps, double[] optimalPolicy) {
    }

    private final TabularDynamics dynamics;
    private final double leaderDiscount;
    private final Function<double[], double[]> leaderReward;
    private final BiFunction<double[], R, double[]> behaviour;
    private final RecordingFollower<double[], R, Solve> follower;
    private final boolean suboptimal;
    private final int states;
    private final ExactGradient exact;
    private final Function<R, double[]> followerPolicy;
    private final List<String> columns;

    private TabularEvaluator(TabularDynamics dynamics, double leaderDiscount, Function<double[], double[]> leaderReward,
            BiFunction<double[], R, double[]> behaviour, RecordingFollower<double[], R, Solve> follower,
            boolean suboptimal, int states, ExactGradient exact, Function<R, double[]> followerPolicy) {
        this.dynamics = dynamics;
        this.leaderDiscount = leaderDiscount;
        this.leaderReward = leaderReward;
        this.behaviour = behaviour;
        this.follower = follower;
        this.suboptimal = suboptimal;
        this.states = states;
        this.exact = exact;
        this.followerPolicy = followerPolicy;
        List<String> names = new ArrayList<>(List.of("iteration", "leader_objective"));
        if (suboptimal) {
            names.add("leader_objective_optimal_follower");
            names.add("kl_gap");
        }
        names.addAll(List.of("leader_return_estimate", "gradient_norm", "direct_norm", "response_norm",
                "completed_episodes", "follower_steps"));
        if (exact != null) {
            names.add(COSINE);
            if (suboptimal) {
                names.add(COSINE_CURRENT);
            }
        }
        this.columns = List.copyOf(names);
    }

    /**
     * For a configurable MDP.
     *
     * @param model the model the objective is evaluated on
     * @param follower the follower, whose solver statistics are logged
     */
    public static TabularEvaluator<TabularResponse> of(ConfigurableMdp model, TabularMdpFollower follower) {
        return of(model, follower, false);
    }

    /**
     * For a configurable MDP, with or without the accuracy columns.
     *
     * @param model the model the objective is evaluated on
     * @param follower the follower, whose solver statistics are logged
     * @param accuracy log the estimate's cosines to the exact hypergradients ({@link ExactHypergradient})
     */
    public static TabularEvaluator<TabularResponse> of(ConfigurableMdp model, TabularMdpFollower follower,
            boolean accuracy) {
        Objects.requireNonNull(model, "model");
        RecordingFollower<double[], TabularResponse, Solve> recording = new RecordingFollower<>(follower,
                r -> new Solve(follower.lastSteps(), (follower.suboptimal() ? follower.optimalResponse() : r).policy()));
        return new TabularEvaluator<>(model.dynamics(), model.leaderDiscount(), x -> model.leaderReward().evaluate(x),
                (x, r) -> r.policy(), recording, follower.suboptimal(), model.states(),
                accuracy ? (x, policy) -> ExactHypergradient.compute(model, x, policy).gradient() : null,
                TabularResponse::policy);
    }

    /**
     * For a configurable MDP whose follower learns on its own ({@link TabularLearningFollower}): a suboptimal
     * follower by nature, so the rows also hold the leader's value under its converged best response to the same
     * decision (solved from scratch on the model, for the row only) and the KL gap; {@code follower_steps} counts
     * the transitions it has learned from so far.
     *
     * @param model the model the objective is evaluated on
     * @param follower the learning follower
     * @param accuracy log the estimate's cosines to the exact hypergradients
     */
    public static TabularEvaluator<TabularResponse> ofLearner(ConfigurableMdp model, TabularLearningFollower follower,
            boolean accuracy) {
        Objects.requireNonNull(model, "model");
        RecordingFollower<double[], TabularResponse, Solve> recording = new RecordingFollower<>(follower,
                (x, r) -> new Solve((int) Math.min(Integer.MAX_VALUE, follower.updates()),
                        SoftPolicyIteration.exact().solve(model.dynamics(), model.followerReward().evaluate(x),
                                model.followerDiscount(), model.temperature(), null).policy()));
        return new TabularEvaluator<>(model.dynamics(), model.leaderDiscount(), x -> model.leaderReward().evaluate(x),
                (x, r) -> r.policy(), recording, true, model.states(),
                accuracy ? (x, policy) -> ExactHypergradient.compute(model, x, policy).gradient() : null,
                TabularResponse::policy);
    }

    /**
     * For a Markov game whose leader plays {@code softmax(θ)}: the follower answers the policy of the logits.
     *
     * @param game the game the objective is evaluated on
     * @param follower the follower, whose solver statistics are logged
     */
    public static TabularEvaluator<TabularGameResponse> of(MarkovGame game, TabularGameFollower follower) {
        return of(game, follower, false);
    }

    /**
     * For a Markov game with a softmax leader, with or without the accuracy column (the follower converges, so
     * the one exact hypergradient is {@link ExactGameHypergradient}'s).
     *
     * @param game the game the objective is evaluated on
     * @param follower the follower, whose solver statistics are logged
     * @param accuracy log the estimate's cosine to the exact hypergradient
     * @throws IllegalArgumentException with {@code accuracy} for a deliberately suboptimal follower
     */
    public static TabularEvaluator<TabularGameResponse> of(MarkovGame game, TabularGameFollower follower,
            boolean accuracy) {
        Objects.requireNonNull(game, "game");
        if (accuracy && follower.behaviour().suboptimal()) {
            throw new IllegalArgumentException("the accuracy columns of a game need a converged follower");
        }
        int nb = game.leaderActions();
        int na = game.followerActions();
        Function<double[], double[]> policy = logits -> TabularSoftmaxPolicy.probabilities(logits, game.states(), nb);
        Follower<double[], TabularGameResponse> onLogits = logits -> follower.respond(policy.apply(logits));
        RecordingFollower<double[], TabularGameResponse, Solve> recording = new RecordingFollower<>(onLogits,
                r -> new Solve(follower.solution().sweeps(), r.policy()));
        double[] reward = game.leaderReward();
        return new TabularEvaluator<>(game.dynamics(), game.leaderDiscount(), logits -> reward,
                (logits, r) -> JointPolicy.of(policy.apply(logits), r.policy(), nb, na), recording, false,
                game.states(), accuracy ? (logits, ignored) -> ExactGameHypergradient.compute(game, logits).gradient()
                        : null, TabularGameResponse::policy);
    }

    /** The follower to run the loop with: the given one, recording its statistics for the rows. */
    public Follower<double[], R> follower() {
        return follower;
    }

    /**
     * The policy over the dynamics' actions that the leader's decision and the follower's response make: the
     * follower's policy, or the joint policy of a game; what the batches are sampled from.
     */
    public double[] behaviour(double[] decision, R response) {
        return behaviour.apply(decision, response);
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public double[] row(Step<double[], R, TabularBatch, DecisionLeader.Update> step) {
        int it = step.iteration();
        double[] reward = leaderReward.apply(step.decision());
        double objective = objective(behaviour.apply(step.decision(), step.response()), reward);
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
            row[c++] = objective(solve.optimalPolicy(), reward);
            row[c++] = klGap(behaviour.apply(step.decision(), step.response()), solve.optimalPolicy());
        }
        row[c++] = returnEstimate(step.data(), reward);
        row[c++] = update.gradientNorm();
        row[c++] = update.directNorm();
        row[c++] = update.responseNorm();
        row[c++] = step.data().completedEpisodes();
        row[c++] = solve.steps();
        if (exact != null) {
            double[] estimate = update.estimate().gradient();
            row[c++] = Vectors.cosine(estimate, exact.at(step.decision(), solve.optimalPolicy()));
            if (suboptimal) {
                row[c] = Vectors.cosine(estimate, exact.at(step.decision(), followerPolicy.apply(step.response())));
            }
        }
        return row;
    }

    /** The exact leader value {@code V_L(start)} of a policy over the dynamics' actions. */
    private double objective(double[] policy, double[] reward) {
        return PolicyEvaluation.initialValue(dynamics,
                PolicyEvaluation.evaluate(dynamics, policy, reward, leaderDiscount).stateValues());
    }

    /** Mean discounted leader return of the episodes that start in the batch (sampled dynamics). */
    private double returnEstimate(TabularBatch batch, double[] reward) {
        double[] returns = TrajectorySums.returns(batch, TrajectorySums.rowValues(batch, reward, dynamics.actions()),
                leaderDiscount);
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
        int actions = dynamics.actions();
        double sum = 0.0;
        for (int s = 0; s < states; s++) {
            for (int a = 0; a < actions; a++) {
                double p = policy[s * actions + a];
                if (p > 0.0) {
                    sum += p * (Math.log(p) - Math.log(Math.max(optimal[s * actions + a], 1e-300)));
                }
            }
        }
        return sum / states;
    }
}
