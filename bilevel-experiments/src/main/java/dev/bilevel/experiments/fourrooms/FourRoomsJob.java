package dev.bilevel.experiments.fourrooms;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.experiments.config.Bound;
import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.evaluate.TabularEvaluator;
import dev.bilevel.experiments.follower.LearningFollowerSide;
import dev.bilevel.experiments.job.Ending;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.job.RecordedLoop;
import dev.bilevel.experiments.job.RunState;
import dev.bilevel.experiments.method.TabularEstimators;
import dev.bilevel.experiments.run.DecisionFiles;
import dev.bilevel.experiments.run.MetricColumn;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.term.RewardDesignTerms;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.planning.TabularMdpFollower;
import dev.bilevel.learn.leader.ClippedSgd;
import dev.bilevel.learn.leader.DecisionLeader;
import dev.bilevel.learn.loop.BilevelLoop;
import dev.bilevel.learn.loop.Sampler;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.problems.fourrooms.FourRooms;
import dev.bilevel.problems.fourrooms.FourRoomsConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The FourRooms incentive-design experiment: one leader method, one seed, from a resolved config to
 * a run directory ({@code config.yaml}, {@code metrics.csv}, {@code summary.json}, the final
 * decision and incentives). {@code leader_objective} is the exact {@code V_UL(start)} of the follower's
 * best response to the pre-update incentives, evaluated on the planning model, as in the paper.
 */
public final class FourRoomsJob implements ExperimentJob {

    /** Methods, as named in configs. */
    public static final List<String> METHODS = Arrays.stream(TabularEstimators.Kind.values())
            .map(TabularEstimators.Kind::id).toList();

    /** Every key a FourRooms run accepts. */
    public static final ConfigSchema SCHEMA = ConfigSchema.builder()
            .choice("problem", "four-rooms", List.of("four-rooms"), "problem")
            .choice("method", "bchg", METHODS, "leader method (hypergradient estimator)")
            .real("reg_lambda", 0.003, Bound.POSITIVE, "follower entropy temperature λ (paper: 0.001, 0.003, 0.005)")
            .integer("samples", 100, 1, 10_000_000, "transitions sampled per outer iteration (paper: 100–1000)")
            .integerOrNull("num_envs", 1, 100_000,
                    "parallel environment streams; null = ceil(samples/200) as in the paper")
            .integer("iterations", 10_000, 0, Integer.MAX_VALUE, "outer iterations")
            .longInt("seed", 0L, "random seed of the run")
            .realOrNull("learning_rate", Bound.POSITIVE,
                    "SGD step; null = the tuned default for this method and setting")
            .realOrNull("sarsa_alpha", new Bound(0.0, false, 1.0, true),
                    "SARSA step of the leader critic (bchg, hpgd-sarsa); null = tuned default")
            .real("sr_step", 0.5, new Bound(0.0, false, 1.0, true),
                    "bchg-sr: TD step of the follower's successor representation")
            .integerOrNull("sr_from", 0, Integer.MAX_VALUE,
                    "bchg-sr: first iteration of the refinement phase; null = half the iterations")
            .real("max_grad_norm", 1.0, Bound.POSITIVE, "clip the hypergradient to this global norm")
            .real("init_std", 0.01, Bound.NON_NEGATIVE, "initial incentive weights ~ N(0, init_std²)")
            .stringOrNull("initial_decision", "file of initial incentive weights, one per line (e.g. a run's "
                    + "final_decision.txt); null = N(0, init_std²)")
            .choice("critic", "sarsa", List.of("sarsa", "exact"), "bchg, bchg-sr, hpgd-sarsa: the leader critic; "
                    + "exact = the model's Q_L (a diagnostic: not decentralised)")
            .choice("coordinates", "all", List.of("all", "corridors"),
                    "incentive cells: all (d = 105) or the four corridors (d = 5)")
            .real("incentive_cost", 5.0, Bound.FINITE, "leader's cost c per unit of incentive budget spent")
            .real("fail_prob", 0.33, Bound.closed(0.0, 0.75), "slip parameter f")
            .integer("max_episode_steps", 200, 1, Integer.MAX_VALUE, "simulator time limit per episode")
            .integer("oracle_samples", 10_000, 1, 100_000_000, "hpgd-oracle: extra reset-anywhere transitions")
            .real("zero_order_perturbation", 0.1, Bound.POSITIVE, "zero-order: perturbation constant c (u = c/t)")
            .choice("follower.behaviour", "optimal", List.of("optimal", "reference-schedule", "reset-q", "carry-q",
                    LearningFollowerSide.SOFT_Q_LEARNING, LearningFollowerSide.SOFT_ACTOR_CRITIC), "optimal (warm soft"
                    + " policy iteration), the reference 100×5 schedule, suboptimal planners (reset-q, carry-q), or a"
                    + " follower that learns from its own experience in the one environment stream (soft-q-learning,"
                    + " soft-actor-critic: it acts and learns at its own rate, and the leader sees its current policy)")
            .integer("follower.rounds", 5, 0, 100_000, "reset-q / carry-q: policy rounds (5 sweeps each) per iteration")
            .with(LearningFollowerSide::keys)
            .bool("diagnostics.accuracy", false, "log the estimate's cosines to the exact hypergradient at the converged"
                    + " follower (cosine_to_exact) and, for reset-q / carry-q / the learners, at its current policy"
                    + " (cosine_to_exact_current); a privileged diagnostic that changes no other number")
            .build();

    @Override
    public String problem() {
        return "four-rooms";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public String runName(ResolvedConfig config) {
        return String.format(Locale.ROOT, "%s-lambda%s-samples%d-seed%d", config.string("method"),
                config.real("reg_lambda"), config.integer("samples"), config.longInt("seed"));
    }

    @Override
    public String describe(ResolvedConfig config) {
        return String.format(Locale.ROOT, "four-rooms %s  λ = %s  samples = %d  seed = %d  learning rate = %s",
                config.string("method"), config.real("reg_lambda"), config.integer("samples"),
                config.longInt("seed"), config.optionalReal("learning_rate").getAsDouble());
    }

    /** Fills in the defaults that depend on other keys: {@code num_envs}, learning rate and SARSA step. */
    @Override
    public ResolvedConfig complete(ResolvedConfig config) {
        ResolvedConfig out = config;
        if (config.optionalString("initial_decision").isPresent()) {
            initialDecision(config, new FourRooms(problemConfig(config)).dimension()); // fails before any file is written
        }
        int samples = config.integer("samples");
        if (config.optionalInteger("num_envs").isEmpty()) {
            out = out.with("num_envs", (samples + 199) / 200);
        }
        int envs = out.optionalInteger("num_envs").getAsInt();
        if (samples % envs != 0) {
            throw new IllegalArgumentException("samples: " + samples + " is not divisible by num_envs " + envs);
        }
        FourRoomsDefaults.Tuned tuned = FourRoomsDefaults.lookup(config.string("method"), config.real("reg_lambda"),
                samples);
        if (config.optionalReal("learning_rate").isEmpty()) {
            out = out.with("learning_rate", tuned.learningRate());
        }
        if (config.optionalReal("sarsa_alpha").isEmpty()) {
            out = out.with("sarsa_alpha", tuned.sarsaAlpha());
        }
        if (config.optionalInteger("sr_from").isEmpty()) {
            out = out.with("sr_from", config.integer("iterations") / 2);
        }
        return out;
    }

    @Override
    public Map<String, Object> run(ResolvedConfig config, RunDirectory directory, ProgressReporter progress) {
        FourRoomsConfig problemConfig = problemConfig(config);
        FourRooms fourRooms = new FourRooms(problemConfig);
        ConfigurableMdp model = fourRooms.model();
        int envs = config.optionalInteger("num_envs").getAsInt();
        int samples = config.integer("samples");
        int iterations = config.integer("iterations");

        SplitMixRandom root = new SplitMixRandom(config.longInt("seed"));
        SplitMixRandom initRng = root.split();
        SplitMixRandom criticRng = root.split();
        SplitMixRandom followerRng = root.split();
        SplitMixRandom runRng = root.split();

        double[] x0 = initialDecision(config, fourRooms.dimension());
        if (x0 == null) {
            x0 = new double[fourRooms.dimension()];
            double initStd = config.real("init_std");
            for (int j = 0; j < x0.length; j++) {
                x0[j] = initStd * initRng.nextGaussian();
            }
        }
        TabularSampler sampler = new TabularSampler(fourRooms.simulatorDynamics(), problemConfig.maxEpisodeSteps());
        double[] uniform = new double[FourRooms.STATES];
        Arrays.fill(uniform, 1.0 / FourRooms.STATES);
        int oracleSamples = config.integer("oracle_samples");
        RewardDesignTerms.OracleAccess oracle = new RewardDesignTerms.OracleAccess(sampler, uniform, envs,
                Math.max(1, oracleSamples / envs));
        TabularEstimators.Kind kind = TabularEstimators.Kind.parse(config.string("method"), "method");
        Estimator<double[], TabularResponse, TabularBatch> estimator = TabularEstimators.create(model,
                new TabularEstimators.Settings(kind, config.string("critic").equals("exact"),
                        config.optionalReal("sarsa_alpha").getAsDouble(), config.real("zero_order_perturbation"), false,
                        config.real("sr_step"), config.optionalInteger("sr_from").getAsInt()), oracle, criticRng);
        DecisionLeader<TabularResponse, TabularBatch> leader = new DecisionLeader<>(x0, estimator,
                ClippedSgd.ungrouped(x0.length, config.optionalReal("learning_rate").getAsDouble(),
                        config.real("max_grad_norm")));
        int streamLength = samples / envs;
        boolean accuracy = config.bool("diagnostics.accuracy");
        Stateful follower;
        Stateful environment;
        LearningFollowerSide.Learning learning = null;
        TabularEvaluator<TabularResponse> evaluator;
        Sampler<double[], TabularResponse, TabularBatch> sampling;
        if (LearningFollowerSide.learns(config)) {
            // One environment stream: the follower acts and learns in it; the leader records it.
            learning = LearningFollowerSide.learning(model, config, problemConfig.maxEpisodeSteps(), envs,
                    streamLength, followerRng, accuracy);
            follower = learning.learner();
            environment = learning.stream();
            evaluator = learning.evaluator();
            sampling = learning.sampler();
        } else {
            TabularMdpFollower planner = new TabularMdpFollower(model, behaviour(config.string("follower.behaviour")),
                    config.integer("follower.rounds"), followerRng);
            follower = planner;
            environment = Stateful.of();
            evaluator = TabularEvaluator.of(model, planner, accuracy);
            sampling = (x, response, rng) -> sampler.sample(response.policy(), envs, streamLength, rng);
        }
        LearningFollowerSide.LeaderSide side = LearningFollowerSide.leader(leader, model, config);
        BilevelLoop<double[], TabularResponse, TabularBatch, DecisionLeader.Update> loop = new BilevelLoop<>(
                evaluator.follower(), sampling, side.leader());

        List<MetricColumn> columns = MetricColumn.of(evaluator.columns(),
                Set.of("iteration", "completed_episodes", "follower_steps")::contains);
        int window = Math.min(1000, Math.max(iterations, 1));
        double[] tail = {0.0};
        double[] optimalTail = {0.0};
        boolean suboptimal = evaluator.columns().contains("leader_objective_optimal_follower");
        double[] first = {Double.NaN};
        double[] last = {Double.NaN};
        String label = "four-rooms " + config.string("method") + " λ=" + config.real("reg_lambda") + " samples="
                + samples + " seed=" + config.longInt("seed");
        SplitMixRandom samplingRng = runRng.split();
        SplitMixRandom learningRng = runRng.split();
        if (learning != null) {
            learning.warmUp(x0, samplingRng); // it learns before the leader first looks (restored on a resume)
        }
        Ending ending = new RecordedLoop(directory, progress).run(config, label, columns, loop,
                new RunState(follower, Stateful.of(side.state(), environment)), iterations, samplingRng, learningRng,
                evaluator, (it, row) -> {
                    double objective = row[1];
                    if (it == 0) {
                        first[0] = objective;
                    }
                    last[0] = objective;
                    if (it >= iterations - window) {
                        tail[0] += objective;
                        if (suboptimal) {
                            optimalTail[0] += row[2];
                        }
                    }
                    if ((it + 1) % 100 == 0 || it + 1 == iterations) {
                        progress.step(it + 1, String.format(Locale.ROOT, "objective %.4f", objective));
                    }
                });
        double[] finalDecision = ending.isCompleted() ? leader.decision() : null;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("problem", "four-rooms");
        summary.put("method", config.string("method"));
        summary.put("reg_lambda", config.real("reg_lambda"));
        summary.put("samples", samples);
        summary.put("seed", config.longInt("seed"));
        summary.put("iterations", iterations);
        summary.put("dimension", fourRooms.dimension());
        summary.put("status", ending.status());
        if (!ending.isCompleted()) {
            summary.put("error", ending.message());
        }
        summary.put("leader_objective_meaning", suboptimal
                ? "exact V_UL(start) of the policy the follower plays (not its best response)"
                : "exact V_UL(start) of the follower's best response");
        summary.put("leader_objective_initial", first[0]);
        summary.put("leader_objective_final", last[0]);
        boolean complete = ending.isCompleted() && iterations > 0;
        summary.put("leader_objective_last_window", complete ? tail[0] / window : Double.NaN);
        if (suboptimal) {
            summary.put("leader_objective_optimal_follower_last_window",
                    complete ? optimalTail[0] / window : Double.NaN);
        }
        summary.put("last_window", window);
        if (directory != null) {
            if (finalDecision != null) {
                directory.writeVector("final_decision.txt", finalDecision);
                directory.writeVector("final_incentives.txt", fourRooms.incentives().incentives(finalDecision));
            }
            directory.writeSummary(summary);
        }
        ending.rethrow();
        return summary;
    }

    /** The FourRooms instance a run's config describes (budget 0.2 and discounts 0.99 as the paper). */
    public static FourRoomsConfig problemConfig(ResolvedConfig config) {
        return new FourRoomsConfig(config.real("reg_lambda"),
                config.string("coordinates").equals("all") ? FourRooms.Coordinates.ALL
                        : FourRooms.Coordinates.CORRIDORS,
                config.real("fail_prob"), 0.2, config.real("incentive_cost"), 0.99, 0.99,
                config.integer("max_episode_steps"));
    }

    /** The weights in {@code initial_decision}, or null when the key is unset. */
    private static double[] initialDecision(ResolvedConfig config, int dimension) {
        Optional<String> file = config.optionalString("initial_decision");
        return file.isEmpty() ? null : DecisionFiles.read(file.get(), dimension, "initial_decision");
    }

    private static TabularMdpFollower.Behaviour behaviour(String id) {
        return switch (id) {
            case "reference-schedule" -> TabularMdpFollower.Behaviour.REFERENCE_SCHEDULE;
            case "reset-q" -> TabularMdpFollower.Behaviour.RESET_Q;
            case "carry-q" -> TabularMdpFollower.Behaviour.CARRY_Q;
            default -> TabularMdpFollower.Behaviour.OPTIMAL;
        };
    }
}
