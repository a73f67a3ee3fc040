package dev.bilevel.experiments.evaluate;

import dev.bilevel.core.game.JointPolicy;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.game.SoftQIteration;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.follower.learning.GameSoftQLearningFollower;
import dev.bilevel.learn.follower.planning.TabularGameFollower;
import dev.bilevel.learn.leader.ActorCriticReport;
import dev.bilevel.learn.loop.Step;
import dev.bilevel.learn.sampling.GameEpisodeSampler;
import dev.bilevel.learn.sampling.GammaReplayBuffer;
import dev.bilevel.learn.sampling.Replay;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The metrics of a neural leader against a tabular game follower (reference-markov-game.md §3.1). Every
 * {@code interval} iterations, after the leader's update and the follower's answer to it: a Monte-Carlo leader
 * return over fresh episodes (discounted by {@code γ_L} and undiscounted, as the reference's
 * {@code AverageDiscountedTargetReturn} / {@code AverageTargetReturn}), the exact expected returns of the joint
 * policy over the same horizon and, for a deliberately suboptimal follower, the exact return against its converged
 * best response and its KL gap. Other rows hold NaN there. Then the training episodes' return, the leader's update
 * report, the follower's sweeps and the step count.
 */
public final class TabularGameEvaluator
        implements Evaluator<double[], TabularGameResponse, Replay<GammaReplayBuffer>, ActorCriticReport> {

    /** What is recorded of the follower with each response. */
    private record Solve(int sweeps, TabularGameResponse optimal, double optimalityGap) {
    }

    /**
     * How often and how a run is evaluated.
     *
     * @param interval evaluate every this many iterations, ≥ 1
     * @param episodes Monte-Carlo evaluation episodes, ≥ 1
     * @param objective what {@code leader_objective} reports
     * @param keyState a state whose {@code π_θ(0|s)} is logged ({@code −1}: none)
     */
    public record Settings(int interval, int episodes, GameObjective objective, int keyState) {

        /** Checks ranges. */
        public Settings {
            if (interval < 1 || episodes < 1) {
                throw new IllegalArgumentException("evaluation interval and episodes must be ≥ 1");
            }
            Objects.requireNonNull(objective, "objective");
        }
    }

    private final MarkovGame game;
    private final int horizon;
    private final RecordingFollower<double[], TabularGameResponse, Solve> follower;
    private final boolean suboptimal;
    private final Settings settings;
    private final GameEpisodeSampler sampler;
    private final SplitMixRandom evaluation;
    private final double[] evalReturns;
    private final List<String> columns;

    /**
     * @param game the game, for evaluation episodes and exact evaluation
     * @param horizon steps per episode
     * @param follower the follower, whose solver statistics are logged
     * @param settings evaluation settings
     * @param evaluation the evaluation episodes' stream (its own, so evaluating never changes training)
     */
    public TabularGameEvaluator(MarkovGame game, int horizon, TabularGameFollower follower, Settings settings,
            SplitMixRandom evaluation) {
        this(game, horizon, new RecordingFollower<>(follower, r -> new Solve(follower.solution().sweeps(),
                follower.behaviour().suboptimal() ? follower.optimalResponse() : r, follower.optimalityGap())),
                follower.behaviour().suboptimal(), settings, evaluation);
    }

    /**
     * An evaluator of runs against a follower that learns on its own. Its rows compare what the follower plays with
     * its best response to the same leader policy, solved exactly for the diagnostic (the leader never sees it), and
     * {@code follower_sweeps} counts the transitions it has learned from.
     *
     * @param game the game
     * @param horizon steps per episode
     * @param learner the follower
     * @param settings evaluation settings
     * @param evaluation the evaluation episodes' stream
     * @return the evaluator
     */
    public static TabularGameEvaluator ofLearner(MarkovGame game, int horizon, GameSoftQLearningFollower learner,
            Settings settings, SplitMixRandom evaluation) {
        SoftQIteration exact = SoftQIteration.exact();
        return new TabularGameEvaluator(game, horizon, new RecordingFollower<double[], TabularGameResponse, Solve>(
                learner, (policy, r) -> {
                    // solved from scratch every time, so that a resumed run logs the same bits
                    TabularGameResponse optimal = TabularGameFollower.response(game, exact.solve(game, policy, null));
                    return new Solve((int) Math.min(Integer.MAX_VALUE, learner.steps()), optimal,
                            TabularGameFollower.meanKl(r.policy(), optimal.policy(), game.followerActions()));
                }), true, settings, evaluation);
    }

    private TabularGameEvaluator(MarkovGame game, int horizon,
            RecordingFollower<double[], TabularGameResponse, Solve> follower, boolean suboptimal, Settings settings,
            SplitMixRandom evaluation) {
        this.game = game;
        this.horizon = horizon;
        this.suboptimal = suboptimal;
        this.follower = follower;
        this.settings = settings;
        this.sampler = new GameEpisodeSampler(game, horizon);
        this.evaluation = evaluation;
        this.evalReturns = new double[4 * settings.episodes()];
        List<String> names = new ArrayList<>(List.of("iteration", "leader_objective", "leader_return_discounted",
                "leader_return_undiscounted", "exact_leader_return_discounted", "exact_leader_return_undiscounted"));
        if (suboptimal) {
            names.add("leader_objective_optimal_follower");
            names.add("kl_gap");
        }
        names.addAll(List.of("follower_return_discounted", "train_leader_return", "critic_loss", "mean_q",
                "gradient_norm", "direct_norm", "response_norm", "mean_benefit", "mean_subsequence_length",
                "follower_sweeps", "total_env_steps"));
        if (settings.keyState() >= 0) {
            names.add("leader_p0_key_state");
        }
        columns = List.copyOf(names);
    }

    /** The follower to run the loop with: the given one, recording its statistics for the rows. */
    public Follower<double[], TabularGameResponse> follower() {
        return follower;
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    /**
     * @throws ArithmeticException when the leader's policy became NaN; the row was built (and is in the exception's
     *     {@link NonFinitePolicy#row()}) so that it can be written first
     */
    @Override
    public double[] row(Step<double[], TabularGameResponse, Replay<GammaReplayBuffer>, ActorCriticReport> step) {
        int it = step.iteration();
        double[] policy = step.nextDecision();
        TabularGameResponse response = step.nextResponse();
        Solve solve = follower.recordOf(response);
        follower.forget(step.response());
        ActorCriticReport d = step.update();
        double[] row = new double[columns.size()];
        Arrays.fill(row, Double.NaN);
        int c = 0;
        row[c++] = it;
        c++; // leader_objective, filled below
        if ((it + 1) % settings.interval() == 0) {
            sampler.play(policy, response, false, settings.episodes(), null, evalReturns, evaluation);
            double mcDiscounted = Replay.meanReturn(evalReturns, 0);
            double mcUndiscounted = Replay.meanReturn(evalReturns, 1);
            double exactDiscounted = exactReturn(policy, response, game.leaderDiscount());
            double exactUndiscounted = exactReturn(policy, response, 1.0);
            row[c++] = mcDiscounted;
            row[c++] = mcUndiscounted;
            row[c++] = exactDiscounted;
            row[c++] = exactUndiscounted;
            row[1] = settings.objective().pick(mcDiscounted, mcUndiscounted, exactDiscounted, exactUndiscounted);
            if (suboptimal) {
                row[c++] = exactReturn(policy, solve.optimal(),
                        settings.objective().discounted() ? game.leaderDiscount() : 1.0);
                row[c++] = solve.optimalityGap();
            }
            row[c++] = Replay.meanReturn(evalReturns, 2);
        } else {
            c += suboptimal ? 7 : 5;
        }
        row[c++] = step.data().meanReturn(1);
        row[c++] = d.criticLoss();
        row[c++] = d.meanQ();
        row[c++] = d.gradientNorm();
        row[c++] = d.directNorm();
        row[c++] = d.responseNorm();
        row[c++] = d.diagnostic("mean_benefit");
        row[c++] = d.diagnostic("mean_subsequence_length");
        row[c++] = solve.sweeps();
        row[c++] = step.data().totalSteps();
        if (settings.keyState() >= 0) {
            row[c++] = policy[settings.keyState() * game.leaderActions()];
        }
        for (double p : policy) {
            if (Double.isNaN(p)) {
                throw new NonFinitePolicy("the leader's policy became NaN at iteration " + it, row);
            }
        }
        return row;
    }

    /** The exact expected leader return over the horizon (discount 1: undiscounted). */
    private double exactReturn(double[] leaderPolicy, TabularGameResponse response, double discount) {
        double[] joint = JointPolicy.of(leaderPolicy, response.policy(), game.leaderActions(), game.followerActions());
        return PolicyEvaluation.finiteHorizonReturn(game.dynamics(), joint, game.leaderReward(), discount, horizon);
    }
}
