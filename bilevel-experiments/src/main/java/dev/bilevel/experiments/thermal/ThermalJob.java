package dev.bilevel.experiments.thermal;

import dev.bilevel.core.lqr.SoftLqr;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.experiments.config.Bound;
import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.Identifiers;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.evaluate.DynamicsDesignEvaluator;
import dev.bilevel.experiments.job.Ending;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.job.RecordedLoop;
import dev.bilevel.experiments.job.RunState;
import dev.bilevel.experiments.run.MetricColumn;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.learn.critic.FittedTdCritic;
import dev.bilevel.learn.estimator.term.DynamicsDesignTerms;
import dev.bilevel.learn.follower.GaussianResponse;
import dev.bilevel.learn.follower.planning.SoftLqrFollower;
import dev.bilevel.learn.leader.ClippedSgd;
import dev.bilevel.learn.leader.DecisionLeader;
import dev.bilevel.learn.loop.BilevelLoop;
import dev.bilevel.learn.sampling.ContinuousBatch;
import dev.bilevel.learn.sampling.ContinuousSampler;
import dev.bilevel.problems.thermal.BuildingThermalControl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The BuildingThermalControl experiment (reference-configurable-mdp.md §1.2, §4, §5.3): the leader sets the
 * insulation levels and airflow adjustments of a 4-zone building (8 sigmoid weights in two groups) and trains
 * them with BC-HG, Naive-PGD, HPGD (MC) or HPGD (TD) against the soft-LQR follower; 2,000 outer iterations of 100
 * training and 50 evaluation episodes. {@code leader_objective} is the evaluation batch's
 * {@code γ_L}-discounted leader return per episode ({@code return_UL}, the paper's y-axis).
 *
 * <p>Two protocols compute the same estimators. {@code paper} is the reference's: every network refitted from
 * its initial weights each iteration, 5,000 full-batch Adam steps, {@code V̂} from 256 action samples, the LQR
 * from {@code P = Q}. {@code default} warm-starts the networks and the LQR and fits a few minibatch steps per
 * iteration, with antithetic action pairs for {@code V̂} (see {@link ThermalProtocol}).
 */
public final class ThermalJob implements ExperimentJob {

    /** Every key a thermal run accepts. */
    public static final ConfigSchema SCHEMA = ConfigSchema.builder()
            .choice("problem", "thermal", List.of("thermal"), "problem")
            .choice("method", "bchg", List.of("bchg", "naive", "hpgd-mc", "hpgd-td"),
                    "leader estimator: BC-HG, Naive-PGD, HPGD (MC), HPGD (TD)")
            .choice("protocol", "default", List.of("default", "paper"),
                    "critic/solver protocol: default (warm-started, minibatch) or paper (refit from scratch, full batch)")
            .longInt("seed", 0L, "random seed of the run")
            .integer("iterations", 2000, 0, Integer.MAX_VALUE, "outer iterations")
            .realOrNull("learning_rate", Bound.POSITIVE,
                    "leader SGD step; null = the paper's best for the method (bchg, naive 0.1; hpgd-td 0.01; hpgd-mc 0.001)")
            .real("max_grad_norm", 1.0, Bound.POSITIVE, "per-group clip of the leader gradient (insulation, airflow)")
            .integer("train_episodes", 100, 1, 1_000_000, "training episodes per iteration (100 × 100 = 10,000 samples)")
            .integer("eval_episodes", 50, 1, 1_000_000, "evaluation episodes per iteration (leader_objective)")
            .real("score_clip", 1.0, Bound.NON_NEGATIVE,
                    "per-sample, per-group L2 clip of the direct term's transition score; 0 = none")
            .real("init_std", 0.01, Bound.NON_NEGATIVE, "initial leader weights ~ N(0, init_std²) (levels ≈ 0.5)")
            .choice("critic.kind", "mlp", List.of("mlp", "quadratic"),
                    "every critic an MLP fitted by semi-gradient TD (the reference) or a quadratic fitted by LSTD"
                    + " (closed form, exact on this linear-quadratic problem; not in the reference)")
            .integer("critic.hidden_width", 64, 1, 100_000, "units per hidden layer of every network")
            .integer("critic.hidden_layers", 2, 0, 100, "hidden layers (ReLU)")
            .real("critic.learning_rate", 1e-4, Bound.POSITIVE, "Adam step of every network")
            .real("critic.max_grad_norm", 1.0, Bound.POSITIVE, "global-norm clip of every network's loss gradient")
            .choice("critic.warm_start", "auto", List.of("auto", "true", "false"),
                    "keep the networks between iterations (auto: default protocol yes, paper no)")
            .integerOrNull("critic.initial_steps", 0, 100_000_000,
                    "Adam steps of the first fit; null = the protocol's")
            .integerOrNull("critic.steps", 0, 100_000_000, "Adam steps per later fit; null = the protocol's")
            .integerOrNull("critic.batch_size", 0, 100_000_000,
                    "rows per Adam step, 0 = full batch; null = the protocol's")
            .integerOrNull("critic.value_samples", 1, 1_000_000,
                    "actions sampled per state for V̂ (bchg, hpgd-td); null = the protocol's")
            .choice("critic.value_sampling", "auto", List.of("auto", "iid", "antithetic"),
                    "V̂ action draws: independent or antithetic pairs (auto: default antithetic, paper iid)")
            .choice("critic.q_normalisation", "auto", List.of("auto", "none", "per-batch", "first-batch"),
                    "reward scaling of the Q-network (auto: none, as the reference)")
            .choice("critic.v_normalisation", "auto", List.of("auto", "none", "per-batch", "first-batch"),
                    "reward scaling of the V-network and Ψ̂ (auto: paper per-batch, default first-batch)")
            .integerOrNull("critic.subsample_from", -1, 1_000_000,
                    "T0 ≥ 0: evaluate critic terms of rows at t ≥ T0 with probability γ^(t−T0), weight γ^T0 (unbiased"
                    + " thinning); −1 = every row; null = the protocol's")
            .choice("estimator.sensitivity", "monte-carlo", List.of("monte-carlo", "centred", "model"),
                    "BC-HG's follower sensitivity: monte-carlo (the reference's Φ), centred (V_F(x') − E[V_F(x')|x,u]"
                    + " inside Φ) or model (leader's model + LSTD ∇V_F, paired baseline); the last two are not in"
                    + " the reference")
            .choice("estimator.direct", "score", List.of("score", "mirrored"),
                    "direct term: score (the reference's clipped ψ·V̂) or mirrored (½ψ·(V̂(x') − V̂(2μ − x')),"
                    + " unclipped; not in the reference)")
            .choice("follower.warm_start", "auto", List.of("auto", "true", "false"),
                    "start the Riccati iteration from the previous P (auto: default yes, paper no)")
            .real("follower.tolerance", SoftLqr.DEFAULT_TOLERANCE, Bound.POSITIVE,
                    "Riccati tolerance (relative P change and |Δv|)")
            .integer("follower.max_iterations", SoftLqr.DEFAULT_MAX_ITERATIONS, 1, Integer.MAX_VALUE,
                    "Riccati iteration budget")
            .integer("last_window", 50, 1, Integer.MAX_VALUE,
                    "summary: mean of leader_objective over this many last iterations (the paper's rolling 50)")
            .integer("selection_window", 10, 1, Integer.MAX_VALUE,
                    "summary: the notebook's selection statistic, mean over this many last iterations")
            .build();

    @Override
    public String problem() {
        return "thermal";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public ResolvedConfig complete(ResolvedConfig config) {
        ThermalMethod method = ThermalMethod.parse(config.string("method"), "method");
        ThermalProtocol protocol = ThermalProtocol.parse(config.string("protocol"));
        ResolvedConfig out = config;
        if (config.optionalReal("learning_rate").isEmpty()) {
            out = out.with("learning_rate", ThermalProtocol.paperBestLearningRate(method));
        }
        if (config.string("critic.warm_start").equals("auto")) {
            out = out.with("critic.warm_start", Boolean.toString(protocol.warmStartCritics()));
        }
        if (config.optionalInteger("critic.initial_steps").isEmpty()) {
            out = out.with("critic.initial_steps", protocol.initialSteps());
        }
        if (config.optionalInteger("critic.steps").isEmpty()) {
            out = out.with("critic.steps", protocol.steps());
        }
        if (config.optionalInteger("critic.batch_size").isEmpty()) {
            out = out.with("critic.batch_size", protocol.batchSize());
        }
        if (config.optionalInteger("critic.value_samples").isEmpty()) {
            out = out.with("critic.value_samples", protocol.valueSamples());
        }
        if (config.string("critic.value_sampling").equals("auto")) {
            out = out.with("critic.value_sampling", protocol.antithetic() ? "antithetic" : "iid");
        }
        if (config.string("critic.q_normalisation").equals("auto")) {
            out = out.with("critic.q_normalisation", "none");
        }
        if (config.string("critic.v_normalisation").equals("auto")) {
            out = out.with("critic.v_normalisation", protocol.valueNormalisation());
        }
        if (config.optionalInteger("critic.subsample_from").isEmpty()) {
            out = out.with("critic.subsample_from", protocol.subsampleFrom());
        }
        if (config.string("follower.warm_start").equals("auto")) {
            out = out.with("follower.warm_start", Boolean.toString(protocol.warmStartFollower()));
        }
        if (out.string("critic.value_sampling").equals("antithetic")
                && out.optionalInteger("critic.value_samples").getAsInt() % 2 != 0) {
            throw new IllegalArgumentException("critic.value_samples: antithetic sampling needs an even count, got "
                    + out.optionalInteger("critic.value_samples").getAsInt());
        }
        if (config.string("estimator.sensitivity").equals("model") && method != ThermalMethod.BCHG) {
            throw new IllegalArgumentException("estimator.sensitivity: 'model' applies to bchg only, not to "
                    + method.key());
        }
        return out;
    }

    @Override
    public String runName(ResolvedConfig config) {
        return String.format(Locale.ROOT, "%s-lr%s-%s-seed%d", config.string("method"),
                shortNumber(config.optionalReal("learning_rate").getAsDouble()), config.string("protocol"),
                config.longInt("seed"));
    }

    @Override
    public String describe(ResolvedConfig config) {
        return String.format(Locale.ROOT, "thermal %s  lr = %s  protocol = %s  seed = %d  iterations = %d",
                config.string("method"), shortNumber(config.optionalReal("learning_rate").getAsDouble()),
                config.string("protocol"), config.longInt("seed"), config.integer("iterations"));
    }

    private static String shortNumber(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /**
     * @param config a completed config
     * @return the estimator's critic protocol
     */
    static DynamicsDesignTerms.Options estimatorSettings(ResolvedConfig config) {
        int[] hidden = new int[config.integer("critic.hidden_layers")];
        Arrays.fill(hidden, config.integer("critic.hidden_width"));
        return new DynamicsDesignTerms.Options(
                new DynamicsDesignTerms.Critics(config.string("critic.kind").equals("quadratic"), hidden,
                        config.real("critic.learning_rate"), config.real("critic.max_grad_norm"),
                        normalisation(config.string("critic.q_normalisation")),
                        normalisation(config.string("critic.v_normalisation"))),
                new DynamicsDesignTerms.Fitting(!Boolean.parseBoolean(config.string("critic.warm_start")),
                        config.optionalInteger("critic.initial_steps").getAsInt(),
                        config.optionalInteger("critic.steps").getAsInt(),
                        config.optionalInteger("critic.batch_size").getAsInt()),
                new DynamicsDesignTerms.ValueSampling(config.optionalInteger("critic.value_samples").getAsInt(),
                        config.string("critic.value_sampling").equals("antithetic")),
                config.real("score_clip"), config.optionalInteger("critic.subsample_from").getAsInt(),
                Identifiers.parse(DynamicsDesignTerms.Sensitivity.class, config.string("estimator.sensitivity"),
                        "estimator.sensitivity", "sensitivity"),
                config.string("estimator.direct").equals("mirrored"));
    }

    private static FittedTdCritic.Normalisation normalisation(String id) {
        return switch (id) {
            case "none" -> FittedTdCritic.Normalisation.NONE;
            case "per-batch" -> FittedTdCritic.Normalisation.PER_BATCH;
            case "first-batch" -> FittedTdCritic.Normalisation.FIRST_BATCH;
            default -> throw new IllegalArgumentException("normalisation: unknown '" + id + "'");
        };
    }

    @Override
    public Map<String, Object> run(ResolvedConfig config, RunDirectory directory, ProgressReporter progress) {
        BuildingThermalControl env = new BuildingThermalControl();
        ThermalMethod method = ThermalMethod.parse(config.string("method"), "method");
        int iterations = config.integer("iterations");
        double learningRate = config.optionalReal("learning_rate").getAsDouble();
        SplitMixRandom root = new SplitMixRandom(config.longInt("seed"));
        SplitMixRandom initRng = root.split();
        SplitMixRandom criticInit = root.split();
        SplitMixRandom sampling = root.split();
        SplitMixRandom evaluation = root.split();
        SplitMixRandom estimation = root.split();
        double[] w0 = new double[BuildingThermalControl.DECISION_DIMENSION];
        double initStd = config.real("init_std");
        for (int i = 0; i < w0.length; i++) {
            w0[i] = initStd * initRng.nextGaussian();
        }
        SoftLqrFollower follower = new SoftLqrFollower(env, new SoftLqr(config.real("follower.tolerance"),
                config.integer("follower.max_iterations")), Boolean.parseBoolean(config.string("follower.warm_start")));
        List<DynamicsDesignEvaluator.ExtraColumn> extras = new ArrayList<>();
        extras.add(new DynamicsDesignEvaluator.ExtraColumn("exact_leader_return",
                (c, s) -> ((BuildingThermalControl.Design) c).expectedLeaderReturn(s, env.horizon(), null)));
        for (int i = 0; i < BuildingThermalControl.ZONES; i++) {
            int k = i;
            extras.add(new DynamicsDesignEvaluator.ExtraColumn("insulation_" + i,
                    (c, s) -> ((BuildingThermalControl.Design) c).insulation()[k]));
        }
        for (int i = 0; i < BuildingThermalControl.ZONES; i++) {
            int k = i;
            extras.add(new DynamicsDesignEvaluator.ExtraColumn("airflow_" + i,
                    (c, s) -> ((BuildingThermalControl.Design) c).airflow()[k]));
        }
        DynamicsDesignEvaluator evaluator = new DynamicsDesignEvaluator(env, follower, config.integer("eval_episodes"),
                evaluation, extras);
        DecisionLeader<GaussianResponse, ContinuousBatch> leader = new DecisionLeader<>(w0,
                method.estimator(env, estimatorSettings(config), criticInit),
                new ClippedSgd(env.decisionGroups(), learningRate, config.real("max_grad_norm")));
        int trainEpisodes = config.integer("train_episodes");
        BilevelLoop<double[], GaussianResponse, ContinuousBatch, DecisionLeader.Update> loop = new BilevelLoop<>(
                evaluator.follower(), (w, response, rng) -> ContinuousSampler.sample(env, env.configure(w), response,
                        trainEpisodes, rng), leader);
        List<String> names = evaluator.columns();

        Set<String> integers = Set.of("iteration", "lqr_iterations", "lqr_converged");
        List<MetricColumn> columns = MetricColumn.of(names, integers::contains);
        int exactColumn = names.indexOf("exact_leader_return");
        int convergedColumn = names.indexOf("lqr_converged");
        int window = Math.min(config.integer("last_window"), Math.max(iterations, 1));
        int selection = Math.min(config.integer("selection_window"), Math.max(iterations, 1));
        Deque<double[]> tail = new ArrayDeque<>();
        double[] first = {Double.NaN};
        double[] last = {Double.NaN};
        int[] unconverged = {0};
        Ending ending = new RecordedLoop(directory, progress).run(config, describe(config), columns, loop,
                new RunState(follower, Stateful.of(leader, Stateful.streams(evaluation))), iterations, sampling, estimation, evaluator, (it, row) -> {
                    if (it == 0) {
                        first[0] = row[1];
                    }
                    last[0] = row[1];
                    if (row[convergedColumn] == 0.0) {
                        unconverged[0]++;
                    }
                    tail.addLast(new double[] {row[1], row[exactColumn]});
                    if (tail.size() > window) {
                        tail.removeFirst();
                    }
                    if ((it + 1) % 10 == 0 || it + 1 == iterations) {
                        progress.step(it + 1, String.format(Locale.ROOT, "return_UL %.1f", row[1]));
                    }
                });
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("problem", problem());
        summary.put("method", method.key());
        summary.put("protocol", config.string("protocol"));
        summary.put("learning_rate", learningRate);
        summary.put("seed", config.longInt("seed"));
        summary.put("iterations", iterations);
        summary.put("status", ending.status());
        if (!ending.isCompleted()) {
            summary.put("error", ending.message());
        }
        summary.put("leader_objective_meaning", "Monte-Carlo gamma_L-discounted leader return per episode over the "
                + config.integer("eval_episodes") + " evaluation episodes (return_UL)");
        summary.put("leader_objective_initial", first[0]);
        summary.put("leader_objective_final", last[0]);
        boolean complete = ending.isCompleted() && iterations > 0;
        summary.put("leader_objective_last_window", complete ? tailMean(tail, window, 0) : Double.NaN);
        summary.put("leader_objective_selection_window", complete ? tailMean(tail, selection, 0) : Double.NaN);
        summary.put("exact_leader_return_last_window", complete ? tailMean(tail, window, 1) : Double.NaN);
        summary.put("last_window", window);
        summary.put("selection_window", selection);
        summary.put("lqr_unconverged_iterations", unconverged[0]);
        if (unconverged[0] > 0) {
            summary.put("warnings", List.of(unconverged[0] + " follower solves did not converge within"
                    + " follower.max_iterations = " + config.integer("follower.max_iterations")
                    + " (or to follower.tolerance); those responses are approximate"));
        }
        double[] weights = leader.decision();
        BuildingThermalControl.Design design = env.configure(weights);
        summary.put("final_insulation", design.insulation());
        summary.put("final_airflow", design.airflow());
        if (directory != null) {
            directory.writeVector("final_decision.txt", weights);
            double[] levels = new double[BuildingThermalControl.DECISION_DIMENSION];
            System.arraycopy(design.insulation(), 0, levels, 0, BuildingThermalControl.ZONES);
            System.arraycopy(design.airflow(), 0, levels, BuildingThermalControl.ZONES, BuildingThermalControl.ZONES);
            directory.writeVector("final_levels.txt", levels);
            directory.writeSummary(summary);
        }
        ending.rethrow();
        return summary;
    }

    private static double tailMean(Deque<double[]> tail, int count, int column) {
        double sum = 0.0;
        int n = 0;
        var it = tail.descendingIterator();
        while (it.hasNext() && n < count) {
            sum += it.next()[column];
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
