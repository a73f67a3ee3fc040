package dev.bilevel.experiments.diagnose;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.method.TabularEstimators.Kind;
import dev.bilevel.problems.fourrooms.FourRooms;
import dev.bilevel.problems.json.RandomProblems;
import dev.bilevel.experiments.stats.SampleStat;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How estimator cost and accuracy change with the leader's dimension {@code d} (method notes §2.7):
 * FourRooms with incentives on the corridors ({@code d = 5}) and on every cell ({@code d = 105}), and
 * random configurable MDPs of fixed size whose rewards depend on {@code d} incentive features.
 *
 * <p>For each problem and estimator it runs {@link EstimatorDiagnostics} at two budgets, {@code N} and
 * {@code N/4} episodes (nested: the smaller batch is the first quarter of the larger), reports accuracy
 * at {@code N}, and splits the estimate's median wall time {@code t = fixed + marginal · samples}
 * (medians, because a single pause would otherwise swing the slope): the <em>marginal</em> time per
 * sample is the slope {@code (t(N) − t(N/4)) / (samples(N) − samples(N/4))}, and the <em>fixed</em>
 * time per estimate is {@code t(N) − marginal · samples(N)} (for BC-HG: evaluating the rewards at {@code x}, the exact
 * critic if used, and contracting {@code S·A} weights with the {@code S·A×d} reward Jacobian, once per
 * estimate). BC-HG's per-sample work touches only scalars and an {@code S·A} table, so its marginal cost
 * should not depend on {@code d}; only the fixed part does. (A slope between two large budgets is used
 * rather than the time of a one-episode estimate, because the fixed part itself costs more when it
 * runs after a large batch has evicted the {@code S·A×d} features from the cache.)
 *
 * <p>The random problems are {@link RandomProblems#configurableMdp} instances with the same seed, whose
 * kernel and base follower reward are therefore the same for every {@code d} (they are drawn before the
 * features). Their initial distribution and terminal states are drawn after the features, so each
 * instance gets those of the {@code d = 1} instance instead: the follower's problem is then identical
 * for every {@code d} and, at {@code x = 0}, so are its policy and the sampled episodes; only the
 * features (and the leader's base reward) change with {@code d}. All problems are evaluated at
 * {@code x = 0}, FourRooms on its planning model.
 */
public final class DimensionScaling {

    private DimensionScaling() {
    }

    /**
     * What to run.
     *
     * @param estimators the estimators (not {@code hpgd-oracle})
     * @param episodes the budget per estimate (zero-order: directions)
     * @param repeats estimates per (problem, estimator)
     * @param horizon episode length cap
     * @param exactCritic BC-HG with the model's {@code Q_L}
     * @param sarsaAlpha SARSA step otherwise
     * @param perturbation zero-order radius
     * @param seed root seed of the estimates, and the seed of the random problems
     * @param includeFourRooms whether to include the two FourRooms problems
     * @param fourRoomsTemperature FourRooms follower temperature {@code λ}
     * @param dimensions {@code d} of the random problems, each ≥ 1
     * @param states states of the random problems
     * @param actions actions of the random problems
     * @param discount both discounts of the random problems
     * @param temperature follower temperature of the random problems
     */
    public record Settings(List<Kind> estimators, int episodes, int repeats, int horizon, boolean exactCritic,
            double sarsaAlpha, double perturbation, long seed, boolean includeFourRooms, double fourRoomsTemperature,
            List<Integer> dimensions, int states, int actions, double discount, double temperature) {

        /**
         * Validates and copies.
         *
         * @throws IllegalArgumentException naming the setting
         */
        public Settings {
            estimators = List.copyOf(estimators);
            dimensions = List.copyOf(dimensions);
            diagnostics(estimators, episodes, repeats, horizon, exactCritic, sarsaAlpha, perturbation, seed);
            for (int d : dimensions) {
                if (d < 1) {
                    throw new IllegalArgumentException("dimensions: " + d + " must be ≥ 1");
                }
            }
            if (dimensions.isEmpty() && !includeFourRooms) {
                throw new IllegalArgumentException("dimensions: give at least one dimension or include FourRooms");
            }
            if (states < 1 || actions < 1) {
                throw new IllegalArgumentException("states, actions: must be ≥ 1, got " + states + ", " + actions);
            }
        }

        /**
         * The defaults of {@code bilevel diagnose --scaling}: BC-HG with the exact critic, 1000 episodes,
         * 10 repeats, horizon 200, seed 0; FourRooms at {@code λ = 0.003}; random problems with 30
         * states, 4 actions, {@code γ = 0.9}, {@code λ = 0.1} and {@code d} = 10, 100, 1000, 10000.
         *
         * @return the defaults
         */
        public static Settings defaults() {
            return new Settings(List.of(Kind.BCHG), 1000, 10, 200, true, 0.1, 0.1, 0L, true, 0.003,
                    List.of(10, 100, 1000, 10_000), 30, 4, 0.9, 0.1);
        }

        /** The per-problem diagnostics settings. */
        public EstimatorDiagnostics.Settings diagnostics() {
            return diagnostics(estimators, episodes, repeats, horizon, exactCritic, sarsaAlpha, perturbation, seed);
        }

        private static EstimatorDiagnostics.Settings diagnostics(List<Kind> estimators, int episodes, int repeats,
                int horizon, boolean exactCritic, double sarsaAlpha, double perturbation, long seed) {
            return new EstimatorDiagnostics.Settings(estimators, List.of(episodes), repeats, horizon, exactCritic,
                    sarsaAlpha, perturbation, seed);
        }
    }

    /**
     * One problem of the study.
     *
     * @param family {@code four-rooms} or {@code random}
     * @param problem the model and decision
     */
    public record Case(String family, DiagnosticProblem problem) {
    }

    /**
     * One (problem, estimator) result.
     *
     * @param family {@code four-rooms} or {@code random}
     * @param problem the problem's name
     * @param dimension {@code d}
     * @param states states of the problem
     * @param actions actions of the problem
     * @param estimator the estimator
     * @param episodes the budget
     * @param repeats estimates
     * @param samples mean data per estimate (see {@link EstimatorDiagnostics.Row#sampleUnit()})
     * @param sampleUnit the unit of {@code samples}
     * @param estimateSeconds wall time of one estimate at the budget
     * @param fixedSeconds the per-estimate part of the median time, {@code t(N) − marginal·samples(N)}; a
     *     difference of noisy timings, so it can come out slightly negative when it is small
     * @param marginalSecondsPerSample the median time per extra sample, the slope between the budgets
     *     {@code N/4} and {@code N} (NaN without samples, or when {@code N < 2})
     * @param samplingSeconds mean wall time to sample the batch
     * @param exactSeconds median wall time of the exact hypergradient (follower solve included)
     * @param cosine cosine similarity with the exact hypergradient
     * @param relativeError {@code ‖ĝ − g‖/‖g‖}
     */
    public record Row(String family, String problem, int dimension, int states, int actions, Kind estimator,
            int episodes, int repeats, double samples, String sampleUnit, SampleStat estimateSeconds,
            double fixedSeconds, double marginalSecondsPerSample, double samplingSeconds, double exactSeconds,
            SampleStat cosine, SampleStat relativeError) {

        /** Estimate wall time divided by samples (NaN without samples). */
        public double secondsPerSample() {
            return samples > 0.0 ? estimateSeconds.mean() / samples : Double.NaN;
        }
    }

    /**
     * The problems of the study, in order: FourRooms corridors and all (if included), then the random
     * problems in the given order of {@code d}.
     *
     * @param settings the settings
     * @return the problems
     */
    public static List<Case> cases(Settings settings) {
        List<Case> cases = new ArrayList<>();
        if (settings.includeFourRooms()) {
            cases.add(new Case("four-rooms", DiagnosticProblem.fourRooms(settings.fourRoomsTemperature(),
                    FourRooms.Coordinates.CORRIDORS)));
            cases.add(new Case("four-rooms", DiagnosticProblem.fourRooms(settings.fourRoomsTemperature(),
                    FourRooms.Coordinates.ALL)));
        }
        TabularDynamics shared = settings.dimensions().isEmpty() ? null : random(settings, 1).dynamics();
        for (int d : settings.dimensions()) {
            ConfigurableMdp features = random(settings, d);
            ConfigurableMdp mdp = new ConfigurableMdp(shared, features.followerReward(), features.leaderReward(),
                    features.followerDiscount(), features.leaderDiscount(), features.temperature());
            cases.add(new Case("random", new DiagnosticProblem("random-d" + d, mdp, new double[d])));
        }
        return cases;
    }

    private static ConfigurableMdp random(Settings settings, int dimension) {
        return RandomProblems.configurableMdp(settings.seed(), settings.states(), settings.actions(), dimension,
                settings.discount(), settings.temperature()).mdp();
    }

    /**
     * Runs the study.
     *
     * @param settings what to run
     * @param progress one step per problem
     * @return rows by problem (in {@link #cases} order), then estimator
     */
    public static List<Row> run(Settings settings, ProgressReporter progress) {
        Objects.requireNonNull(progress, "progress");
        List<Case> cases = cases(settings);
        int large = settings.episodes();
        int small = Math.max(1, large / 4);
        EstimatorDiagnostics.Settings diagnostics = settings.diagnostics()
                .withEpisodes(small == large ? List.of(large) : List.of(small, large));
        List<Row> rows = new ArrayList<>();
        progress.start("dimension scaling", cases.size());
        // A throwaway run of the first problem (two repeats), so that JIT compilation does not land in
        // the first problem's timings.
        EstimatorDiagnostics.run(cases.get(0).problem(), new EstimatorDiagnostics.Settings(diagnostics.estimators(),
                diagnostics.episodes(), Math.min(2, diagnostics.repeats()), diagnostics.horizon(),
                diagnostics.exactCritic(), diagnostics.sarsaAlpha(), diagnostics.perturbation(), diagnostics.seed()),
                ProgressReporter.silent());
        try {
            int done = 0;
            for (Case c : cases) {
                DiagnosticProblem problem = c.problem();
                EstimatorDiagnostics.Report report = EstimatorDiagnostics.run(problem, diagnostics,
                        ProgressReporter.silent());
                for (Kind kind : settings.estimators()) {
                    EstimatorDiagnostics.Row r = report.row(kind, large);
                    EstimatorDiagnostics.Row s = report.row(kind, small);
                    double marginal = r.samples() > s.samples()
                            ? (r.medianEstimateSeconds() - s.medianEstimateSeconds()) / (r.samples() - s.samples())
                            : Double.NaN;
                    double fixed = r.medianEstimateSeconds() - marginal * r.samples();
                    rows.add(new Row(c.family(), problem.name(), problem.dimension(), problem.mdp().states(),
                            problem.mdp().actions(), kind, large, r.repeats(), r.samples(), r.sampleUnit(),
                            r.estimateSeconds(), fixed, marginal, r.samplingSeconds(), report.exactSeconds(),
                            r.accuracy().cosine(), r.accuracy().relativeError()));
                }
                progress.step(++done, problem.name() + " d=" + problem.dimension());
            }
        } finally {
            progress.close();
        }
        return rows;
    }
}
