package dev.bilevel.experiments.diagnose;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.experiments.method.TabularEstimators.Kind;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.stats.SampleStat;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.leader.TabularFollowerFit;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.problems.json.ConfigurableMdpProblem;
import dev.bilevel.problems.json.RandomProblems;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What observed-only access costs an estimator: on the same batches, its cosine to the exact hypergradient when
 * it is handed the follower's true response (white-box) and when it is handed only the response a leader fits to
 * the batch ({@link TabularFollowerFit}: π̂_F from the follower's actions, V̂_F by soft TD on its rewards, the
 * announced λ and γ_F), against the number of observed transitions.
 *
 * <p>Each problem's follower is solved exactly at the problem's decision. For a budget of {@code N} transitions a
 * repeat takes the shortest prefix of its episode stream (independent episodes of at most {@code horizon} steps)
 * that holds at least {@code N} transitions; budgets are nested. Both accesses see that batch, a fresh estimator
 * and the same estimator randomness ({@link EstimatorDiagnostics}'s streams), so the difference between them is
 * the fitted response alone. The fit starts from nothing for every estimate (no decay, one pass).
 */
public final class ObservedAccess {

    private ObservedAccess() {
    }

    /**
     * What to run.
     *
     * @param estimators sampling estimators, in table order
     * @param transitions budgets: observed transitions per estimate, each ≥ 1
     * @param repeats independent batches per (problem, budget), ≥ 2
     * @param horizon episode length cap, ≥ 1
     * @param exactCritic BC-HG and HPGD-SARSA use the model's {@code Q_L} (under the response they are handed)
     * @param sarsaAlpha SARSA step otherwise, in {@code (0, 1]}
     * @param pseudoCount the fit's pseudo-count per action, {@code > 0}
     * @param valueStep the fit's soft TD step, in {@code (0, 1]}
     * @param seed root seed
     */
    public record Settings(List<Kind> estimators, List<Integer> transitions, int repeats, int horizon,
            boolean exactCritic, double sarsaAlpha, double pseudoCount, double valueStep, long seed) {

        /**
         * Validates and copies.
         *
         * @throws IllegalArgumentException naming the setting
         */
        public Settings {
            estimators = List.copyOf(estimators);
            transitions = transitions.stream().sorted().toList();
            if (estimators.isEmpty() || new HashSet<>(estimators).size() != estimators.size()) {
                throw new IllegalArgumentException("estimators: give each estimator once");
            }
            for (Kind kind : estimators) {
                if (!EstimatorDiagnostics.usesEpisodes(kind) || kind == Kind.HPGD_ORACLE || kind == Kind.BCHG_SR) {
                    throw new IllegalArgumentException("estimators: " + kind.id() + " does not estimate from one "
                            + "observed batch; use bchg, hpgd-mc, hpgd-sarsa, naive or sobirl");
                }
            }
            if (transitions.isEmpty() || transitions.get(0) < 1 || new HashSet<>(transitions).size()
                    != transitions.size()) {
                throw new IllegalArgumentException("transitions: give distinct budgets ≥ 1, got " + transitions);
            }
            if (repeats < 2) {
                throw new IllegalArgumentException("repeats: " + repeats + " must be ≥ 2");
            }
            if (horizon < 1) {
                throw new IllegalArgumentException("horizon: " + horizon + " must be ≥ 1");
            }
            if (!(sarsaAlpha > 0.0 && sarsaAlpha <= 1.0)) {
                throw new IllegalArgumentException("sarsa-alpha: " + sarsaAlpha + " must be in (0, 1]");
            }
            if (!(pseudoCount > 0.0) || Double.isInfinite(pseudoCount)) {
                throw new IllegalArgumentException("pseudo-count: " + pseudoCount + " must be a finite number > 0");
            }
            if (!(valueStep > 0.0 && valueStep <= 1.0)) {
                throw new IllegalArgumentException("value-td-step: " + valueStep + " must be in (0, 1]");
            }
        }

        /**
         * The defaults of {@code bilevel diagnose --observed}: bchg, hpgd-mc and naive at 10³ … 10⁵ transitions
         * (five budgets, half a decade apart), 10 repeats, horizon 200, exact critic, the fit of
         * {@code follower.access: observed} (pseudo-count 0.1, TD step 0.1), seed 0.
         *
         * @return the defaults
         */
        public static Settings defaults() {
            return new Settings(List.of(Kind.BCHG, Kind.HPGD_MC, Kind.NAIVE),
                    List.of(1_000, 3_000, 10_000, 30_000, 100_000), 10, 200, true, 0.1, 0.1, 0.1, 0L);
        }

        EstimatorDiagnostics.Settings diagnostics() {
            return new EstimatorDiagnostics.Settings(estimators, List.of(1), repeats, horizon, exactCritic, sarsaAlpha,
                    0.1, seed);
        }

        /** "exact" or "sarsa". */
        public String critic() {
            return exactCritic ? "exact" : "sarsa";
        }
    }

    /**
     * One (problem, estimator, budget) cell.
     *
     * @param problem the problem's name
     * @param estimator the estimator
     * @param budget the transitions asked for
     * @param transitions mean transitions in the batches (the budget, rounded up to whole episodes)
     * @param whiteBox cosine to the exact hypergradient with the follower's true response
     * @param observed cosine with the fitted response, on the same batches
     * @param policyError the fit's policy error: the total variation between π̂_F and π_F, averaged over the
     *     batch's visits (the same for every estimator)
     */
    public record Row(String problem, Kind estimator, int budget, double transitions, SampleStat whiteBox,
            SampleStat observed, SampleStat policyError) {

        /** {@code observed / whiteBox}: the fraction of the white-box cosine that observing keeps. */
        public double ratio() {
            return observed.mean() / whiteBox.mean();
        }
    }

    /**
     * Random configurable MDPs of the kind {@link RandomProblems#configurableMdp} writes as problem files, each at
     * its {@code parameters0}.
     *
     * @param count how many, ≥ 1; problem {@code i} has seed {@code seed + i}
     * @param seed the first problem's seed
     * @param states states per problem
     * @param actions actions per state
     * @param dimension the leader's {@code d}
     * @param discount both discounts
     * @param temperature the follower's λ
     * @return the problems, named {@code random-SEED}
     */
    public static List<ConfigurableMdpProblem> randomProblems(int count, long seed, int states, int actions,
            int dimension, double discount, double temperature) {
        if (count < 1) {
            throw new IllegalArgumentException("problems: " + count + " must be ≥ 1");
        }
        List<ConfigurableMdpProblem> problems = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            problems.add(RandomProblems.configurableMdp(seed + i, states, actions, dimension, discount, temperature));
        }
        return problems;
    }

    /**
     * Runs the study.
     *
     * @param problems the problems, in table order
     * @param settings what to run
     * @param progress one step per (problem, repeat)
     * @return rows by problem, estimator, then budget ascending
     */
    public static List<Row> run(List<DiagnosticProblem> problems, Settings settings, ProgressReporter progress) {
        Objects.requireNonNull(progress, "progress");
        List<Kind> kinds = settings.estimators();
        List<Integer> budgets = settings.transitions();
        int repeats = settings.repeats();
        List<Row> rows = new ArrayList<>();
        progress.start("observed access", (long) problems.size() * repeats);
        try {
            int done = 0;
            for (DiagnosticProblem problem : problems) {
                EstimatorDiagnostics.Setup setup = new EstimatorDiagnostics.Setup(problem, settings.diagnostics());
                double[] exact = setup.exact.gradient();
                double[] followerReward = setup.mdp.followerReward().evaluate(setup.x);
                int cells = kinds.size() * budgets.size();
                double[][] white = new double[cells][repeats];
                double[][] seen = new double[cells][repeats];
                double[][] used = new double[budgets.size()][repeats];
                double[][] tv = new double[budgets.size()][repeats];
                SplitMixRandom root = new SplitMixRandom(settings.seed());
                for (int r = 0; r < repeats; r++) {
                    SplitMixRandom repeat = root.split();
                    long episodeSeed = repeat.split().nextLong();
                    long estimatorSeed = repeat.split().nextLong();
                    for (int b = 0; b < budgets.size(); b++) {
                        TabularBatch batch = prefix(setup, budgets.get(b), episodeSeed);
                        used[b][r] = batch.usedRows();
                        TabularFollowerFit fit = new TabularFollowerFit(setup.mdp.states(), setup.mdp.actions(),
                                setup.response.temperature(), setup.response.discount(), 1.0,
                                settings.pseudoCount(), settings.valueStep());
                        fit.observe(batch, followerReward);
                        TabularResponse fitted = fit.response();
                        tv[b][r] = policyError(batch, setup.response.policy(), fitted.policy(), setup.mdp.actions());
                        for (int k = 0; k < kinds.size(); k++) {
                            Kind kind = kinds.get(k);
                            int cell = k * budgets.size() + b;
                            white[cell][r] = cosine(exact, setup.estimate(kind, 0, batch, setup.response,
                                    EstimatorDiagnostics.estimatorStream(estimatorSeed, kind)).gradient());
                            seen[cell][r] = cosine(exact, setup.estimate(kind, 0, batch, fitted,
                                    EstimatorDiagnostics.estimatorStream(estimatorSeed, kind)).gradient());
                        }
                    }
                    progress.step(++done, problem.name());
                }
                for (int k = 0; k < kinds.size(); k++) {
                    for (int b = 0; b < budgets.size(); b++) {
                        int cell = k * budgets.size() + b;
                        rows.add(new Row(problem.name(), kinds.get(k), budgets.get(b), SampleStat.of(used[b]).mean(),
                                SampleStat.of(white[cell]), SampleStat.of(seen[cell]), SampleStat.of(tv[b])));
                    }
                }
            }
        } finally {
            progress.close();
        }
        return rows;
    }

    /**
     * The shortest prefix of the episode stream seeded by {@code seed} that holds at least {@code budget}
     * transitions (every episode of a stream is drawn from it in order, so a longer draw extends a shorter one).
     */
    static TabularBatch prefix(EstimatorDiagnostics.Setup setup, int budget, long seed) {
        int episodes = Math.max(1, budget / setup.settings.horizon());
        TabularBatch batch = setup.sample(episodes, new SplitMixRandom(seed));
        while (batch.usedRows() < budget) {
            episodes *= 2;
            batch = setup.sample(episodes, new SplitMixRandom(seed));
        }
        int total = 0;
        int needed = 0;
        while (total < budget) {
            total += batch.streamLength(needed++);
        }
        return needed == batch.streams() ? batch : setup.sample(needed, new SplitMixRandom(seed));
    }

    /** Σ over the batch's rows of TV(π̂(·|s), π(·|s)), divided by the rows. */
    static double policyError(TabularBatch batch, double[] policy, double[] fitted, int actions) {
        int[] s = batch.states();
        double sum = 0.0;
        int rows = 0;
        for (int e = 0; e < batch.streams(); e++) {
            for (int i = batch.streamStart(e), end = batch.streamEnd(e); i < end; i++) {
                double tv = 0.0;
                for (int a = 0, o = s[i] * actions; a < actions; a++) {
                    tv += Math.abs(policy[o + a] - fitted[o + a]);
                }
                sum += 0.5 * tv;
                rows++;
            }
        }
        return rows == 0 ? Double.NaN : sum / rows;
    }

    private static double cosine(double[] exact, double[] estimate) {
        double c = dev.bilevel.core.math.Vectors.cosine(estimate, exact);
        return Double.isNaN(c) ? 0.0 : c;
    }
}
