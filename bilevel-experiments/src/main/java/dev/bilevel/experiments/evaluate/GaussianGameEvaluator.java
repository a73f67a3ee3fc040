package dev.bilevel.experiments.evaluate;

import dev.bilevel.core.game.ContinuousMarkovGame;
import dev.bilevel.core.lqr.LeaderAwareLqrSolution;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.follower.planning.MaxEntLqrGameFollower;
import dev.bilevel.learn.leader.ActorCriticReport;
import dev.bilevel.learn.loop.Step;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.learn.sampling.ContinuousGameSampler;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import dev.bilevel.learn.sampling.Replay;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The metrics of a linear-Gaussian leader against the MaxEnt-LQR follower (reference-markov-game.md §3.1,
 * {@code BCHG_Opt.train}): every {@code interval} iterations, after the leader's update and the follower's answer
 * to it, a Monte-Carlo leader return over fresh episodes with both policies stochastic (discounted by {@code γ_L}
 * and undiscounted, the reference's {@code AverageDiscountedTargetReturn} / {@code AverageTargetReturn}) and, given
 * an exact evaluator, the expected returns of the same policies; then the training episodes' return, the leader's
 * update report, the follower's Riccati iterations, whether the leader explored, the step count and the gain
 * {@code K} row-major ({@code K_1, K_2, …}, the reference's names).
 */
public final class GaussianGameEvaluator implements Evaluator<LinearGaussianPolicy, GaussianGameResponse,
        Replay<ContinuousReplayBuffer>, ActorCriticReport> {

    /** The exact expected leader return of a leader policy and a follower solution (see {@code LqrGame}). */
    @FunctionalInterface
    public interface ExactReturn {
        /**
         * @param gain {@code K}
         * @param noise {@code W}
         * @param follower the follower's policy
         * @param discount {@code γ} (1: undiscounted)
         * @param horizon steps
         */
        double value(double[] gain, double[] noise, LeaderAwareLqrSolution follower, double discount, int horizon);
    }

    /**
     * How often and how a run is evaluated.
     *
     * @param interval evaluate every this many iterations, ≥ 1
     * @param episodes Monte-Carlo evaluation episodes, ≥ 1
     * @param horizon steps per episode
     * @param objective what {@code leader_objective} reports
     * @param leaderDiscount {@code γ_L} of the discounted returns
     * @param responseTerm whether the leader's estimator has a follower-response term (its norm and diagnostics
     *     are NaN otherwise)
     * @param cosineToExact whether the estimator reports {@value #COSINE} (a privileged diagnostic), logged as a
     *     last column
     */
    public record Settings(int interval, int episodes, int horizon, GameObjective objective, double leaderDiscount,
            boolean responseTerm, boolean cosineToExact) {

        /** Checks ranges. */
        public Settings {
            if (interval < 1 || episodes < 1 || horizon < 1) {
                throw new IllegalArgumentException("evaluation interval, episodes and horizon must be ≥ 1");
            }
            Objects.requireNonNull(objective, "objective");
        }
    }

    /** The column, and the estimator diagnostic, of the gradient's cosine to the exact hypergradient. */
    public static final String COSINE = "cosine_to_exact";

    private final RecordingFollower<LinearGaussianPolicy, GaussianGameResponse, LeaderAwareLqrSolution> follower;
    private final Settings settings;
    private final ExactReturn exact;
    private final ContinuousGameSampler sampler;
    private final SplitMixRandom evaluation;
    private final double[] evalReturns;
    private final List<String> columns;

    /**
     * @param game the game, for evaluation episodes
     * @param follower the follower, whose solutions are logged and evaluated
     * @param settings evaluation settings
     * @param exact the exact evaluator, or {@code null} (exact columns then hold NaN)
     * @param gainEntries the number of entries of {@code K}
     * @param evaluation the evaluation episodes' stream
     */
    public GaussianGameEvaluator(ContinuousMarkovGame game, MaxEntLqrGameFollower follower, Settings settings,
            ExactReturn exact, int gainEntries, SplitMixRandom evaluation) {
        if (settings.objective().exact() && exact == null) {
            throw new IllegalArgumentException("evaluation.objective: " + settings.objective().id()
                    + " needs an exact evaluator");
        }
        this.follower = new RecordingFollower<>(follower, r -> follower.solution());
        this.settings = settings;
        this.exact = exact;
        this.sampler = new ContinuousGameSampler(game, settings.horizon(), settings.leaderDiscount(),
                follower.model().discount());
        this.evaluation = evaluation;
        this.evalReturns = new double[4 * settings.episodes()];
        List<String> names = new ArrayList<>(List.of("iteration", "leader_objective", "leader_return_discounted",
                "leader_return_undiscounted", "exact_leader_return_discounted", "exact_leader_return_undiscounted",
                "follower_return_discounted", "train_leader_return", "critic_loss", "mean_q", "gradient_norm",
                "direct_norm", "response_norm", "mean_benefit", "mean_influence", "mean_subsequence_length",
                "follower_iterations", "follower_converged", "exploring", "total_env_steps"));
        for (int k = 0; k < gainEntries; k++) {
            names.add("K_" + (k + 1));
        }
        if (settings.cosineToExact()) {
            names.add(COSINE);
        }
        columns = List.copyOf(names);
    }

    /** The follower to run the loop with: the given one, recording its solutions for the rows. */
    public Follower<LinearGaussianPolicy, GaussianGameResponse> follower() {
        return follower;
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public double[] row(Step<LinearGaussianPolicy, GaussianGameResponse, Replay<ContinuousReplayBuffer>,
            ActorCriticReport> step) {
        int it = step.iteration();
        LinearGaussianPolicy policy = step.nextDecision();
        LeaderAwareLqrSolution solution = follower.recordOf(step.nextResponse());
        follower.forget(step.response());
        ActorCriticReport d = step.update();
        double[] row = new double[columns.size()];
        Arrays.fill(row, Double.NaN);
        int c = 0;
        row[c++] = it;
        c++; // leader_objective, filled below
        if ((it + 1) % settings.interval() == 0) {
            sampler.play(policy, step.nextResponse(), false, settings.episodes(), null, evalReturns, evaluation);
            double mcDiscounted = Replay.meanReturn(evalReturns, 0);
            double mcUndiscounted = Replay.meanReturn(evalReturns, 1);
            double exactDiscounted = Double.NaN;
            double exactUndiscounted = Double.NaN;
            if (exact != null) {
                exactDiscounted = exact.value(policy.gain(), policy.noise(), solution, settings.leaderDiscount(),
                        settings.horizon());
                exactUndiscounted = exact.value(policy.gain(), policy.noise(), solution, 1.0, settings.horizon());
            }
            row[c++] = mcDiscounted;
            row[c++] = mcUndiscounted;
            row[c++] = exactDiscounted;
            row[c++] = exactUndiscounted;
            row[1] = settings.objective().pick(mcDiscounted, mcUndiscounted, exactDiscounted, exactUndiscounted);
            row[c++] = Replay.meanReturn(evalReturns, 2);
        } else {
            c += 5;
        }
        boolean response = settings.responseTerm();
        row[c++] = step.data().meanReturn(1);
        row[c++] = d.criticLoss();
        row[c++] = d.meanQ();
        row[c++] = d.gradientNorm();
        row[c++] = d.directNorm();
        row[c++] = response ? d.responseNorm() : Double.NaN;
        row[c++] = d.diagnostic("mean_benefit");
        row[c++] = d.diagnostic("mean_influence");
        row[c++] = d.diagnostic("mean_subsequence_length");
        row[c++] = solution.iterations();
        row[c++] = solution.converged() ? 1 : 0;
        row[c++] = step.data().explored() ? 1 : 0;
        row[c++] = step.data().totalSteps();
        for (double k : policy.gain()) {
            row[c++] = k;
        }
        if (settings.cosineToExact()) {
            row[c] = d.diagnostic(COSINE);
        }
        return row;
    }
}
