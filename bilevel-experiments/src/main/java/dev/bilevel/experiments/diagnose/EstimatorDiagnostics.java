package dev.bilevel.experiments.diagnose;

import dev.bilevel.core.Hypergradient;
import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.cmdp.FollowerSolution;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.experiments.method.TabularEstimators.Kind;
import dev.bilevel.experiments.method.TabularEstimators;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.stats.SampleStat;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.planning.TabularMdpFollower;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Estimator diagnostics against the exact hypergradient: for each estimator and sample budget, many
 * independent one-shot estimates at one decision {@code x}, summarised as cosine similarity, relative
 * error, bias, total variance ({@link Accuracy}) and wall time.
 *
 * <p>The follower is solved exactly at {@code x}; each estimate sees the follower's exact response and
 * a batch of independent episodes ({@link TabularSampler#sampleEpisodes}) drawn from the model's own
 * kernel, with the estimators' one-shot ("episodic", unbiased) options. The zero-order estimator uses
 * no episodes: its budget is the number of random directions averaged (two exact objective evaluations
 * each). The exact estimator ignores the budget.
 *
 * <p>Randomness: a root {@code new SplitMixRandom(seed)} is split once per repeat, in repeat order;
 * repeat {@code r}'s stream then yields, by two further splits, the seed of its <em>episode stream</em>
 * and the base seed of its estimators' streams. Budget {@code n} uses the first {@code n} episodes of
 * the repeat's episode stream (budgets are nested), and every estimator sees the same batch (common
 * random numbers, so estimators are compared on identical data). An estimator's own randomness (critic
 * initialisation, zero-order directions) comes from a stream fixed by the repeat and the estimator's
 * kind. Hence every number except the timings depends only on the seed, the problem and the
 * (estimator, budget, repeat) triple, not on which other estimators or budgets are listed.
 *
 * <p>Timings are wall-clock: {@code estimateSeconds} is the estimator alone (sampling excluded and
 * reported separately). Each estimator first runs a few untimed estimates so that the timings measure
 * JIT-compiled code. Single-threaded; on a busy machine the timings are noisy, the other numbers are
 * not affected.
 */
public final class EstimatorDiagnostics {

    /** Salt that separates the estimator streams of one repeat. */
    private static final long STREAM_SALT = 0x9E3779B97F4A7C15L;

    private EstimatorDiagnostics() {
    }

    /**
     * What to run.
     *
     * @param estimators which estimators, in table order (not {@code hpgd-oracle}, which needs extra
     *     reset-anywhere rollouts)
     * @param episodes sample budgets: episodes per estimate (zero-order: random directions), each ≥ 1
     * @param repeats independent estimates per (estimator, budget), ≥ 1 (≥ 2 for variances and SEs)
     * @param horizon episode length cap, ≥ 1
     * @param exactCritic BC-HG and HPGD-SARSA use the model's exact {@code Q_L} instead of SARSA, so
     *     that only Monte-Carlo error remains
     * @param sarsaAlpha SARSA step when {@code exactCritic} is false, in {@code (0, 1]}
     * @param perturbation zero-order perturbation radius, {@code > 0}
     * @param seed root seed
     */
    public record Settings(List<Kind> estimators, List<Integer> episodes, int repeats, int horizon,
            boolean exactCritic, double sarsaAlpha, double perturbation, long seed) {

        /**
         * Validates and copies.
         *
         * @throws IllegalArgumentException naming the setting
         */
        public Settings {
            estimators = List.copyOf(estimators);
            episodes = List.copyOf(episodes);
            if (estimators.isEmpty()) {
                throw new IllegalArgumentException("estimators: give at least one");
            }
            if (new HashSet<>(estimators).size() != estimators.size()) {
                throw new IllegalArgumentException("estimators: an estimator is listed twice in " + ids(estimators));
            }
            if (estimators.contains(Kind.HPGD_ORACLE)) {
                throw new IllegalArgumentException("estimators: hpgd-oracle is not supported here (it needs extra "
                        + "reset-anywhere rollouts); use hpgd-mc or hpgd-sarsa");
            }
            if (episodes.isEmpty()) {
                throw new IllegalArgumentException("episodes: give at least one budget");
            }
            for (int n : episodes) {
                if (n < 1) {
                    throw new IllegalArgumentException("episodes: " + n + " must be ≥ 1");
                }
            }
            if (new HashSet<>(episodes).size() != episodes.size()) {
                throw new IllegalArgumentException("episodes: a budget is listed twice in " + episodes);
            }
            if (repeats < 1) {
                throw new IllegalArgumentException("repeats: " + repeats + " must be ≥ 1");
            }
            if (horizon < 1) {
                throw new IllegalArgumentException("horizon: " + horizon + " must be ≥ 1");
            }
            if (!(sarsaAlpha > 0.0 && sarsaAlpha <= 1.0)) {
                throw new IllegalArgumentException("sarsa-alpha: " + sarsaAlpha + " must be in (0, 1]");
            }
            if (!(perturbation > 0.0) || Double.isInfinite(perturbation)) {
                throw new IllegalArgumentException("perturbation: " + perturbation + " must be a finite number > 0");
            }
        }

        /**
         * The defaults of {@code bilevel diagnose}: bchg, hpgd-mc, naive and zero-order at 100, 300, 1000
         * and 3000 episodes, 10 repeats, horizon 200, exact critic, seed 0. Sized so that FourRooms
         * finishes in about 15 s on two cores; zero-order dominates (about 0.3 ms per direction there,
         * two exact follower solves), which is why the budgets stop at 3000.
         *
         * @return the defaults
         */
        public static Settings defaults() {
            return new Settings(List.of(Kind.BCHG, Kind.HPGD_MC, Kind.NAIVE, Kind.ZERO_ORDER),
                    List.of(100, 300, 1000, 3000), 10, 200, true, 0.1, 0.1, 0L);
        }

        /** The same settings with other budgets. */
        public Settings withEpisodes(List<Integer> budgets) {
            return new Settings(estimators, budgets, repeats, horizon, exactCritic, sarsaAlpha, perturbation, seed);
        }

        /** "exact" or "sarsa": the leader critic of BC-HG and HPGD-SARSA. */
        public String critic() {
            return exactCritic ? "exact" : "sarsa";
        }
    }

    /**
     * One (estimator, budget) cell.
     *
     * @param estimator the estimator
     * @param episodes the budget (episodes; zero-order: directions)
     * @param repeats number of estimates summarised
     * @param samples mean data per estimate, in {@code sampleUnit}
     * @param sampleUnit {@code transitions} for sampling estimators, {@code objective evaluations} for
     *     zero-order (two per direction), {@code none} for exact
     * @param accuracy agreement with the exact hypergradient
     * @param estimateSeconds wall time of one estimate (sampling excluded)
     * @param medianEstimateSeconds the median of those times, which a stray pause (garbage collection,
     *     another process) moves less than the mean
     * @param samplingSeconds mean wall time to sample the batch (shared by the estimators at this budget;
     *     0 for estimators that use no episodes)
     */
    public record Row(Kind estimator, int episodes, int repeats, double samples, String sampleUnit,
            Accuracy accuracy, SampleStat estimateSeconds, double medianEstimateSeconds, double samplingSeconds) {

        /** Estimate wall time divided by {@link #samples()} (NaN without samples). */
        public double secondsPerSample() {
            return samples > 0.0 ? estimateSeconds.mean() / samples : Double.NaN;
        }
    }

    /**
     * The result of {@link #run}.
     *
     * @param problem the problem's name
     * @param dimension {@code d}
     * @param objective the leader's exact objective {@code F(x)}
     * @param exactGradient the exact hypergradient {@code g}
     * @param exactSeconds median wall time of one exact hypergradient from scratch (follower solve included)
     * @param settings what was run
     * @param rows one per (estimator, budget), estimators in the given order, budgets ascending
     */
    public record Report(String problem, int dimension, double objective, double[] exactGradient,
            double exactSeconds, Settings settings, List<Row> rows) {

        /** Copies. */
        public Report {
            exactGradient = exactGradient.clone();
            rows = List.copyOf(rows);
        }

        /** A copy of {@code g}. */
        @Override
        public double[] exactGradient() {
            return exactGradient.clone();
        }

        /** {@code ‖g‖}. */
        public double gradientNorm() {
            double s = 0.0;
            for (double v : exactGradient) {
                s += v * v;
            }
            return Math.sqrt(s);
        }

        /** The row of an estimator at a budget. */
        public Row row(Kind estimator, int episodes) {
            for (Row r : rows) {
                if (r.estimator() == estimator && r.episodes() == episodes) {
                    return r;
                }
            }
            throw new IllegalArgumentException("no row for " + estimator.id() + " at " + episodes + " episodes");
        }
    }

    /**
     * Runs the diagnostics.
     *
     * @param problem the model and decision
     * @param settings what to run
     * @param progress receives one step per (repeat, budget)
     * @return the report
     */
    public static Report run(DiagnosticProblem problem, Settings settings, ProgressReporter progress) {
        Objects.requireNonNull(progress, "progress");
        Setup setup = new Setup(problem, settings);
        List<Integer> budgets = settings.episodes().stream().sorted().toList();
        List<Kind> kinds = settings.estimators();
        int repeats = settings.repeats();
        int cells = kinds.size() * budgets.size();
        double[][][] estimates = new double[cells][repeats][];
        double[][] seconds = new double[cells][repeats];
        double[][] samples = new double[cells][repeats];
        double[][] sampling = new double[budgets.size()][repeats];
        boolean needsEpisodes = kinds.stream().anyMatch(EstimatorDiagnostics::usesEpisodes);

        warmUp(setup, kinds, budgets.get(0));
        SplitMixRandom root = new SplitMixRandom(settings.seed());
        progress.start(problem.name() + " diagnose", (long) repeats * budgets.size());
        try {
            for (int r = 0; r < repeats; r++) {
                SplitMixRandom repeat = root.split();
                long episodeSeed = repeat.split().nextLong();
                long estimatorSeed = repeat.split().nextLong();
                for (int b = 0; b < budgets.size(); b++) {
                    int n = budgets.get(b);
                    TabularBatch batch = null;
                    if (needsEpisodes) {
                        long t0 = System.nanoTime();
                        batch = setup.sample(n, new SplitMixRandom(episodeSeed));
                        sampling[b][r] = (System.nanoTime() - t0) * 1e-9;
                    }
                    for (int k = 0; k < kinds.size(); k++) {
                        Kind kind = kinds.get(k);
                        int cell = k * budgets.size() + b;
                        SplitMixRandom own = estimatorStream(estimatorSeed, kind);
                        Timed timed = setup.estimate(kind, n, batch, own);
                        estimates[cell][r] = timed.gradient();
                        seconds[cell][r] = timed.seconds();
                        samples[cell][r] = timed.samples();
                    }
                    progress.step((long) r * budgets.size() + b + 1);
                }
            }
        } finally {
            progress.close();
        }

        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
            Kind kind = kinds.get(k);
            for (int b = 0; b < budgets.size(); b++) {
                int cell = k * budgets.size() + b;
                rows.add(new Row(kind, budgets.get(b), repeats, SampleStat.of(samples[cell]).mean(), sampleUnit(kind),
                        Accuracy.of(setup.exact.gradient(), estimates[cell]), SampleStat.of(seconds[cell]),
                        median(seconds[cell]),
                        usesEpisodes(kind) ? SampleStat.of(sampling[b]).mean() : 0.0));
            }
        }
        return new Report(problem.name(), problem.dimension(), setup.exact.objective(), setup.exact.gradient(),
                exactSeconds(problem), settings, rows);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /** The unit of {@link Row#samples()} for an estimator. */
    static String sampleUnit(Kind kind) {
        return switch (kind) {
            case ZERO_ORDER -> "objective evaluations";
            case EXACT -> "none";
            default -> "transitions";
        };
    }

    static boolean usesEpisodes(Kind kind) {
        return kind != Kind.ZERO_ORDER && kind != Kind.EXACT;
    }

    static SplitMixRandom estimatorStream(long base, Kind kind) {
        return new SplitMixRandom(base + STREAM_SALT * (kind.ordinal() + 1));
    }

    /**
     * Untimed estimates on throwaway randomness, so that the timings measure JIT-compiled code: ten per
     * sampling estimator from a batch of the smallest budget (at most 1000 episodes), three per
     * zero-order estimator with at most five directions (each direction already costs two exact solves).
     */
    private static void warmUp(Setup setup, List<Kind> kinds, int budget) {
        SplitMixRandom rng = new SplitMixRandom(0x5EEDL);
        TabularBatch batch = setup.sample(Math.min(budget, 1000), rng.split());
        for (int round = 0; round < 10; round++) {
            for (Kind kind : kinds) {
                boolean cheap = usesEpisodes(kind);
                if (cheap || round < 3) {
                    setup.estimate(kind, cheap ? budget : Math.min(budget, 5), batch, rng.split());
                }
            }
        }
    }

    /** Median over seven timed runs (after three untimed) of a from-scratch exact hypergradient. */
    static double exactSeconds(DiagnosticProblem problem) {
        ConfigurableMdp mdp = problem.mdp();
        double[] x = problem.decision();
        for (int i = 0; i < 3; i++) {
            ExactHypergradient.compute(mdp, x);
        }
        double[] t = new double[7];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            ExactHypergradient.compute(mdp, x);
            t[i] = (System.nanoTime() - t0) * 1e-9;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    static String ids(List<Kind> kinds) {
        return String.join(",", kinds.stream().map(Kind::id).toList());
    }

    /** An estimate, its estimator wall time and the data it used. */
    record Timed(double[] gradient, double seconds, double samples) {
    }

    /** The exactly solved follower at {@code x} and what every estimate needs. */
    static final class Setup {

        final ConfigurableMdp mdp;
        final double[] x;
        final FollowerSolution follower;
        final TabularResponse response;
        final Hypergradient exact;
        final TabularSampler sampler;
        final Settings settings;

        Setup(DiagnosticProblem problem, Settings settings) {
            this.mdp = problem.mdp();
            this.x = problem.decision();
            this.settings = settings;
            follower = SoftPolicyIteration.exact().solve(mdp.dynamics(), mdp.followerReward().evaluate(x),
                    mdp.followerDiscount(), mdp.temperature(), null);
            response = TabularMdpFollower.response(mdp, follower);
            exact = ExactHypergradient.compute(mdp, x, follower.policy());
            sampler = new TabularSampler(mdp.dynamics(), settings.horizon());
            if (!allFinite(exact.gradient())) {
                throw new ArithmeticException("the exact hypergradient of " + problem.name() + " is not finite");
            }
        }

        TabularBatch sample(int episodes, SplitMixRandom rng) {
            return sampler.sampleEpisodes(follower.policy(), episodes, settings.horizon(), rng);
        }

        /**
         * One estimate by a fresh estimator. {@code own} is split into the estimator's initialisation
         * stream and its estimation stream, in that order.
         */
        Timed estimate(Kind kind, int budget, TabularBatch batch, SplitMixRandom own) {
            return estimate(kind, budget, batch, response, own);
        }

        /** One estimate by a fresh estimator handed {@code handed} as the follower's response. */
        Timed estimate(Kind kind, int budget, TabularBatch batch, TabularResponse handed, SplitMixRandom own) {
            Estimator<double[], TabularResponse, TabularBatch> estimator = TabularEstimators.create(mdp, new TabularEstimators.Settings(kind,
                    settings.exactCritic(), settings.sarsaAlpha(), settings.perturbation(), true), null, own.split());
            SplitMixRandom rng = own.split();
            if (kind == Kind.ZERO_ORDER) {
                double[] g = new double[x.length];
                TabularBatch none = new TabularBatch(1, 1);
                long t0 = System.nanoTime();
                for (int n = 0; n < budget; n++) {
                    double[] one = estimator.estimate(new Estimation<>(0, x, handed, none, rng)).gradient();
                    for (int j = 0; j < g.length; j++) {
                        g[j] += one[j] / budget;
                    }
                }
                return new Timed(g, (System.nanoTime() - t0) * 1e-9, 2.0 * budget);
            }
            TabularBatch data = batch != null ? batch : new TabularBatch(1, 1);
            long t0 = System.nanoTime();
            double[] g = estimator.estimate(new Estimation<>(0, x, handed, data, rng)).gradient();
            double seconds = (System.nanoTime() - t0) * 1e-9;
            return new Timed(g, seconds, usesEpisodes(kind) ? data.usedRows() : 0.0);
        }

        private static boolean allFinite(double[] v) {
            for (double x : v) {
                if (!Double.isFinite(x)) {
                    return false;
                }
            }
            return true;
        }
    }
}
