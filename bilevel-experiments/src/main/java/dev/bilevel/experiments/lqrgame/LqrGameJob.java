package dev.bilevel.experiments.lqrgame;

import dev.bilevel.core.lqr.LeaderAwareLqrProblem;
import dev.bilevel.core.lqr.LeaderAwareMaxEntLqr;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.experiments.config.Bound;
import dev.bilevel.experiments.config.ConfigSchema;
import dev.bilevel.experiments.config.Identifiers;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.evaluate.GameObjective;
import dev.bilevel.experiments.evaluate.GaussianGameEvaluator;
import dev.bilevel.experiments.job.Ending;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.job.RecordedLoop;
import dev.bilevel.experiments.job.RunState;
import dev.bilevel.experiments.run.MetricColumn;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.experiments.run.WindowMean;
import dev.bilevel.learn.critic.LeaderQFunction;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.method.BchgEstimator;
import dev.bilevel.learn.estimator.method.NaiveEstimator;
import dev.bilevel.learn.estimator.term.GaussianPolicyTerms;
import dev.bilevel.learn.estimator.term.InfluenceOptions;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.follower.planning.MaxEntLqrGameFollower;
import dev.bilevel.learn.leader.ActorCriticReport;
import dev.bilevel.learn.leader.ContinuousGameLeader;
import dev.bilevel.learn.leader.ReplaySampling;
import dev.bilevel.learn.leader.UpdateSchedule;
import dev.bilevel.learn.loop.BilevelLoop;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.learn.sampling.ContinuousGameSampler;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import dev.bilevel.learn.sampling.Minibatch;
import dev.bilevel.learn.sampling.Replay;
import dev.bilevel.learn.sampling.ReplayCollector;
import dev.bilevel.problems.lqr.LqrGame;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The bi-level LQR Markov game ({@code LQREnv-v4}, reference-markov-game.md §1.3, §2.3, §3.8, §5.1): a
 * linear-Gaussian leader {@code a ~ N(Kx, W²)} ({@code W = 10⁻³} fixed, {@code K ~ N(0, I)} initially)
 * trained by BC-HG or Naive-PGD (on- or off-policy) against the closed-form MaxEnt-LQR follower
 * ({@code γ_F = 0.95}, {@code β = 0.1}), 500 outer iterations of 4 episodes of 100 steps, the first 11 with
 * {@code N(0, 1)} leader actions. The estimator's defaults are the leader's model critic
 * ({@code configs/lqr-game/model-critic/}: model direct term and benefit, 8 drawn covariance pairs, the LSTD-fitted
 * follower sensitivity, Adam 0.005, no critic steps), which dominates the reference's (docs/results/lqr-game.md);
 * the reference's estimators are {@code configs/lqr-game/*.yaml}, which name every key that differs. Everything
 * else defaults to the reference configs. {@code leader_objective} is the
 * evaluation named by {@code evaluation.objective}: by default the Monte-Carlo undiscounted leader return
 * over 10 episodes with both policies stochastic, the reference's {@code AverageTargetReturn} and the
 * paper's LQR metric; the exact expectation of the same return is logged beside it.
 */
public final class LqrGameJob implements ExperimentJob {

    /** Every key an LQR-game run accepts. */
    public static final ConfigSchema SCHEMA = ConfigSchema.builder()
            .choice("problem", "lqr-game", List.of("lqr-game"), "problem")
            .choice("method", "bchg", List.of("bchg", "naive"), "leader algorithm: BC-HG or Naive-PGD")
            .bool("off_policy", false, "off-policy replay (1e6 transitions, batches without replacement) "
                    + "instead of the last iteration's 400, with replacement")
            .longInt("seed", 0L, "random seed of the run")
            .integer("iterations", 500, 0, Integer.MAX_VALUE, "outer iterations")
            .integer("episodes", 4, 1, 100_000, "training episodes per iteration")
            .integer("horizon", LqrGame.HORIZON, 1, 1_000_000, "steps per episode")
            .longInt("explore_steps", 4000L, -1L, Long.MAX_VALUE,
                    "N(0,1) leader actions while total steps ≤ this (reference 4000: the first 11 iterations; −1: never)")
            .real("follower.discount", 0.95, Bound.closedOpen(0.0, 1.0), "γ_F")
            .real("follower.temperature", 0.1, Bound.POSITIVE, "β, the follower's entropy weight")
            .integer("follower.max_iterations", LeaderAwareMaxEntLqr.REFERENCE_MAX_ITERATIONS, 1, 100_000_000,
                    "Riccati iterations per solve (reference 1000; the solve is re-run from scratch every iteration)")
            .real("follower.tolerance", LeaderAwareMaxEntLqr.REFERENCE_TOLERANCE, Bound.POSITIVE,
                    "Riccati tolerance on ‖ΔP_xx‖_F and |Δv|")
            .bool("follower.relative_tolerance", false,
                    "divide ‖ΔP_xx‖_F by ‖P_xx‖_F before comparing (reference: absolute)")
            .real("leader.init_k_mean", 0.0, Bound.FINITE, "mean of the initial K entries")
            .real("leader.init_k_std", 1.0, Bound.NON_NEGATIVE, "standard deviation of the initial K entries")
            .real("leader.noise_std", 1e-3, Bound.POSITIVE, "W, the leader policy's fixed noise")
            .integer("leader.hidden_width", 64, 1, 100_000, "critic units per hidden layer")
            .integer("leader.hidden_layers", 2, 0, 100, "critic hidden layers (ReLU)")
            .real("leader.policy_lr", 0.005, Bound.POSITIVE, "Adam step of K (the reference configs: 0.1)")
            .real("leader.critic_lr", 0.1, Bound.POSITIVE, "Adam step of the critic")
            .integer("leader.batch_size", 64, 1, 1_000_000, "samples per actor or critic step")
            .integerOrNull("leader.actor_steps", 0, 1_000_000,
                    "actor steps per iteration; null = the reference config's (10 bchg / naive on-policy, 2 naive off-policy)")
            .integerOrNull("leader.critic_steps", 0, 1_000_000, "critic steps per iteration; null = 5 where a term reads the"
                    + " learned critic (the reference), else 0")
            .real("leader.target_tau", 0.01, Bound.closed(0.0, 1.0), "Polyak step of the target critic and policy, once per iteration")
            .real("leader.discount", 0.99, new Bound(0.0, false, 1.0, true),
                    "γ_L: critic discount and actor-sampling weight γ_L^t")
            .bool("leader.discount_sampling", true, "actor samples drawn ∝ γ_L^t")
            .bool("leader.direct_advantage", true,
                    "direct term against the mean of Q(x, a_F, ã_L) over leader draws, with the sampled a_F (reference)")
            .integer("leader.leader_samples", 32, 1, 1_000_000, "leader draws for the direct term's baseline")
            .integer("leader.follower_samples", 256, 1, 1_000_000, "bchg: follower draws M for the benefit's baseline")
            .bool("leader.influence_advantage", false,
                    "bchg: centre W_F(x,a_L) by its mean over leader draws (reference LQR configs: false)")
            .bool("leader.influence_weighted_average", false, "bchg: normalise the influence weights γ_F^k")
            .bool("leader.influence_from_next_step", false,
                    "bchg: start the influence at k = 1 (reference: k = 0, a zero-mean extra term)")
            .real("leader.direct_weight", 1.0, Bound.FINITE, "λ1, weight of the direct term")
            .real("leader.response_weight", 1.0, Bound.FINITE, "λ2, weight of the follower-response term")
            .real("leader.max_grad_norm", 1.0, Bound.POSITIVE,
                    "clip the policy gradient to this global norm (reference 1.0; a huge value never clips)")
            .bool("leader.clip_naive", false,
                    "naive: clip too (the reference's Baseline path returns before the clip, §7.7: false)")
            .choice("leader.critic_target", "means", List.of("means", "samples"),
                    "critic bootstrap actions at x': the target policy's and the follower's means (reference) or draws")
            .choice("leader.direct", "model", List.of("score", "pathwise", "model"),
                    "direct term: score function times the critic's advantage (reference), pathwise through the "
                            + "leader's model along the buffer's episodes, or reparameterised through the leader's "
                            + "model critic at each sampled state (default)")
            .choice("leader.benefit", "model", List.of("critic", "model"),
                    "bchg: the benefit Q_L − E_ũ Q_L from the learned critic (reference) or in closed form from the "
                            + "leader's model, its policy and the follower's observed policy (default)")
            .integerOrNull("leader.covariance_pairs", 0, 1_000_000,
                    "bchg with leader.benefit: model and leader.influence: value-lstd: 0 = the covariance from each"
                            + " row's sampled follower action; k > 0 = from k mirrored pairs of follower actions drawn"
                            + " from its observed policy (Rao-Blackwellised, the sensitivity centred); null = 8 where"
                            + " those hold, else 0")
            .choice("leader.exact_terms", "none", List.of("none", "measure", "total", "direct", "response"),
                    "diagnostic ladder (privileged): replace the estimate's direct part, response part or both by"
                    + " their exact values from the model and the follower's Riccati solution; any value but none"
                    + " also logs cosine_to_exact, the used gradient's cosine to the exact one")
            .choice("leader.influence", "value-lstd", List.of("score", "value-lstd"),
                    "bchg: the follower's sensitivity from a score-function sum (reference) or γ_F·Ψ̂(x') with "
                            + "Ψ̂ ≈ ∇_K V_F fitted by LSTD to mirrored-draw differences of the follower's value (default)")
            .integerOrNull("replay.capacity", 1, Integer.MAX_VALUE,
                    "replay size; null = one iteration's transitions on-policy, 1,000,000 off-policy")
            .integer("replay.min_size", 400, 0, Integer.MAX_VALUE, "leader updates start at this many transitions")
            .bool("replay.reference_subsequence_edge", true,
                    "reproduce the reference's subsequence edge case at the write pointer")
            .integer("evaluation.interval", 1, 1, Integer.MAX_VALUE, "evaluate every this many iterations")
            .integer("evaluation.episodes", 10, 1, 1_000_000, "Monte-Carlo evaluation episodes")
            .choice("evaluation.objective", "mc-undiscounted",
                    List.of("mc-undiscounted", "mc-discounted", "exact-undiscounted", "exact-discounted"),
                    "what leader_objective reports: the Monte-Carlo undiscounted leader return (the paper's "
                            + "AverageTargetReturn), the discounted one, or their exact expectations")
            .integer("last_window", 50, 1, Integer.MAX_VALUE, "summary: mean of leader_objective over this many last iterations")
            .build();

    /** The reference's "proposed" gain from {@code MaxEntLQR.ipynb} (leader return ≈ 3.86). */
    static final double[] PROPOSED_K = {-9.683, -10.25};

    @Override
    public String problem() {
        return "lqr-game";
    }

    @Override
    public ConfigSchema schema() {
        return SCHEMA;
    }

    @Override
    public ResolvedConfig complete(ResolvedConfig config) {
        ResolvedConfig out = config;
        boolean naive = config.string("method").equals("naive");
        boolean offPolicy = config.bool("off_policy");
        boolean drawable = !naive && config.string("leader.benefit").equals("model")
                && config.string("leader.influence").equals("value-lstd");
        OptionalInt pairs = config.optionalInteger("leader.covariance_pairs");
        if (pairs.isEmpty()) {
            out = out.with("leader.covariance_pairs", drawable ? 8 : 0);
        } else if (pairs.getAsInt() > 0 && !drawable) {
            throw new IllegalArgumentException("leader.covariance_pairs: drawing the covariance's follower actions "
                    + "needs method bchg, leader.benefit: model and leader.influence: value-lstd");
        }
        if (config.optionalInteger("leader.critic_steps").isEmpty()) {
            boolean readsCritic = config.string("leader.direct").equals("score")
                    || !naive && config.string("leader.benefit").equals("critic");
            out = out.with("leader.critic_steps", readsCritic ? 5 : 0);
        }
        if (config.optionalInteger("leader.actor_steps").isEmpty()) {
            out = out.with("leader.actor_steps", naive && offPolicy ? 2 : 10);
        }
        if (config.optionalInteger("replay.capacity").isEmpty()) {
            out = out.with("replay.capacity", offPolicy ? 1_000_000
                    : config.integer("episodes") * config.integer("horizon"));
        }
        return out;
    }

    @Override
    public String runName(ResolvedConfig config) {
        return String.format(Locale.ROOT, "%s%s-seed%d", config.string("method"),
                config.bool("off_policy") ? "-offpolicy" : "", config.longInt("seed"));
    }

    @Override
    public String describe(ResolvedConfig config) {
        return String.format(Locale.ROOT, "lqr-game %s (%s)  seed = %d  actor/critic steps = %d/%d",
                config.string("method"), config.bool("off_policy") ? "off-policy" : "on-policy",
                config.longInt("seed"), config.optionalInteger("leader.actor_steps").getAsInt(),
                config.optionalInteger("leader.critic_steps").getAsInt());
    }

    @Override
    public Map<String, Object> run(ResolvedConfig config, RunDirectory directory, ProgressReporter progress) {
        LqrGame game = LqrGame.referenceV4();
        boolean bchg = config.string("method").equals("bchg");
        boolean offPolicy = config.bool("off_policy");
        int[] hidden = new int[config.integer("leader.hidden_layers")];
        Arrays.fill(hidden, config.integer("leader.hidden_width"));
        double leaderDiscount = config.real("leader.discount");
        boolean clips = bchg || config.bool("leader.clip_naive");
        ContinuousGameLeader.Settings leaderSettings = new ContinuousGameLeader.Settings(hidden,
                config.real("leader.policy_lr"), config.real("leader.critic_lr"), leaderDiscount,
                new ReplaySampling(config.integer("leader.batch_size"), !offPolicy,
                        config.bool("leader.discount_sampling")),
                new UpdateSchedule(config.optionalInteger("leader.actor_steps").getAsInt(),
                        config.optionalInteger("leader.critic_steps").getAsInt(), config.integer("replay.min_size"),
                        config.real("leader.target_tau")),
                clips ? config.real("leader.max_grad_norm") : Double.POSITIVE_INFINITY,
                Identifiers.parse(ContinuousGameLeader.CriticTarget.class, config.string("leader.critic_target"),
                        "leader.critic_target", "critic target"));
        GaussianPolicyTerms.Options termOptions = new GaussianPolicyTerms.Options(
                Identifiers.parse(GaussianPolicyTerms.Direct.class, config.string("leader.direct"), "leader.direct",
                        "direct term"),
                config.bool("leader.direct_advantage"), config.integer("leader.leader_samples"),
                config.integer("leader.follower_samples"),
                Identifiers.parse(GaussianPolicyTerms.Influence.class, config.string("leader.influence"),
                        "leader.influence", "influence"),
                new InfluenceOptions(config.bool("leader.influence_advantage"),
                        config.bool("leader.influence_weighted_average"),
                        config.bool("leader.influence_from_next_step"), config.real("leader.direct_weight"),
                        config.real("leader.response_weight")),
                Identifiers.parse(GaussianPolicyTerms.Benefit.class, config.string("leader.benefit"),
                        "leader.benefit", "benefit"),
                config.optionalInteger("leader.covariance_pairs").getAsInt());
        LeaderAwareMaxEntLqr solver = new LeaderAwareMaxEntLqr(config.real("follower.tolerance"),
                config.integer("follower.max_iterations"), config.bool("follower.relative_tolerance"));
        int iterations = config.integer("iterations");
        int horizon = config.integer("horizon");
        GameObjective objective = GameObjective.parse(config.string("evaluation.objective"), "evaluation.objective");

        SplitMixRandom root = new SplitMixRandom(config.longInt("seed"));
        SplitMixRandom init = root.split();
        int n = game.stateDimension();
        int m = game.followerActionDimension();
        int l = game.leaderActionDimension();
        double[] k0 = new double[l * n];
        for (int i = 0; i < k0.length; i++) {
            k0[i] = config.real("leader.init_k_mean") + config.real("leader.init_k_std") * init.nextGaussian();
        }
        double[] noise = new double[l * l];
        for (int i = 0; i < l; i++) {
            noise[i * l + i] = config.real("leader.noise_std");
        }
        LinearGaussianPolicy initial = new LinearGaussianPolicy(n, k0, noise);
        int batchSize = config.integer("leader.batch_size");
        GaussianPolicyTerms terms = new GaussianPolicyTerms(n, m, l, batchSize, leaderDiscount, termOptions, game,
                horizon);
        Estimator<LinearGaussianPolicy, GaussianGameResponse, Minibatch<ContinuousReplayBuffer, LeaderQFunction>>
                estimator = bchg ? new BchgEstimator<>(terms) : new NaiveEstimator<>(terms);
        LeaderAwareLqrProblem followerModel = game.followerModel(config.real("follower.discount"),
                config.real("follower.temperature"));
        ExactTerms.Rung exactTerms = ExactTerms.Rung.parse(config.string("leader.exact_terms"), "leader.exact_terms");
        if (exactTerms != ExactTerms.Rung.NONE) {
            estimator = new ExactTerms(estimator, exactTerms, game, followerModel, solver, leaderDiscount, horizon);
        }
        ContinuousGameLeader leader = new ContinuousGameLeader(n, m, initial, leaderSettings, estimator,
                terms.maxDraws(), root.split());
        MaxEntLqrGameFollower follower = new MaxEntLqrGameFollower(followerModel, solver);
        SplitMixRandom sampling = root.split();
        SplitMixRandom evaluation = root.split();
        GaussianGameEvaluator evaluator = new GaussianGameEvaluator(game, follower, new GaussianGameEvaluator.Settings(
                config.integer("evaluation.interval"), config.integer("evaluation.episodes"), horizon, objective,
                leaderDiscount, bchg, exactTerms != ExactTerms.Rung.NONE), game::expectedLeaderReturn, k0.length,
                evaluation);
        ContinuousGameSampler episodes = new ContinuousGameSampler(game, horizon, leaderDiscount,
                follower.model().discount());
        ReplayCollector<LinearGaussianPolicy, GaussianGameResponse, ContinuousReplayBuffer> collector =
                new ReplayCollector<>(episodes::play, new ContinuousReplayBuffer(
                        config.optionalInteger("replay.capacity").getAsInt(), leaderDiscount,
                        config.bool("replay.reference_subsequence_edge"), n, m, l), config.integer("episodes"),
                        config.longInt("explore_steps"));
        BilevelLoop<LinearGaussianPolicy, GaussianGameResponse, Replay<ContinuousReplayBuffer>, ActorCriticReport>
                loop = new BilevelLoop<>(evaluator.follower(), collector, leader);

        Set<String> integers = Set.of("iteration", "follower_iterations", "follower_converged", "exploring",
                "total_env_steps");
        List<MetricColumn> columns = MetricColumn.of(evaluator.columns(), integers::contains);
        List<String> names = evaluator.columns();
        int objectiveColumn = names.indexOf("leader_objective");
        int exactColumn = names.indexOf(objective.discounted() ? "exact_leader_return_discounted"
                : "exact_leader_return_undiscounted");
        int convergedColumn = names.indexOf("follower_converged");
        int window = Math.min(config.integer("last_window"), Math.max(iterations, 1));
        WindowMean objectiveTail = new WindowMean();
        WindowMean exactTail = new WindowMean();
        double[] first = {Double.NaN};
        double[] last = {Double.NaN};
        int[] unconverged = {0};
        Ending ending = new RecordedLoop(directory, progress).run(config, describe(config), columns, loop,
                new RunState(follower, Stateful.of(leader, collector, Stateful.streams(evaluation))), iterations,
                sampling, sampling, evaluator, (it, row) -> {
                    double value = row[objectiveColumn];
                    if (!Double.isNaN(value)) {
                        if (Double.isNaN(first[0])) {
                            first[0] = value;
                        }
                        last[0] = value;
                    }
                    if (row[convergedColumn] == 0.0) {
                        unconverged[0]++;
                    }
                    if (it >= iterations - window) {
                        objectiveTail.add(value);
                        exactTail.add(row[exactColumn]);
                    }
                    if ((it + 1) % 10 == 0 || it + 1 == iterations) {
                        progress.step(it + 1, String.format(Locale.ROOT, "objective %.3f  K = %s", last[0],
                                formatGain(leader.decision().gain())));
                    }
                });
        double[] gain = leader.decision().gain().clone();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("problem", problem());
        summary.put("method", config.string("method"));
        summary.put("off_policy", offPolicy);
        summary.put("seed", config.longInt("seed"));
        summary.put("iterations", iterations);
        summary.put("status", ending.status());
        if (!ending.isCompleted()) {
            summary.put("error", ending.message());
        }
        summary.put("leader_objective_meaning", objective.id() + " leader return over " + horizon
                + " steps, " + config.integer("evaluation.episodes") + " evaluation episodes with both policies "
                + "stochastic" + (objective == GameObjective.MC_UNDISCOUNTED
                        ? " (the reference's Evaluation/AverageTargetReturn, the paper's metric)" : ""));
        summary.put("leader_objective_initial", first[0]);
        summary.put("leader_objective_final", last[0]);
        boolean complete = ending.isCompleted() && iterations > 0;
        summary.put("leader_objective_last_window", complete ? objectiveTail.mean() : Double.NaN);
        summary.put("exact_leader_return_last_window", complete ? exactTail.mean() : Double.NaN);
        summary.put("last_window", window);
        summary.put("initial_K", k0);
        summary.put("final_K", gain);
        summary.put("follower_unconverged_iterations", unconverged[0]);
        if (unconverged[0] > 0) {
            summary.put("warnings", List.of(unconverged[0] + " follower solves did not converge within"
                    + " follower.max_iterations = " + config.integer("follower.max_iterations")
                    + " (or to follower.tolerance); those responses are approximate"));
        }
        double finalExact = Double.NaN;
        if (follower.solution() != null) {
            finalExact = game.expectedLeaderReturn(gain, noise, follower.solution(), 1.0, horizon);
        }
        summary.put("final_K_exact_leader_return_undiscounted", finalExact);
        summary.put("reference_proposed_K", PROPOSED_K);
        if (directory != null) {
            directory.writeVector("final_leader_gain.txt", gain);
            directory.writeSummary(summary);
        }
        ending.rethrow();
        return summary;
    }

    private static String formatGain(double[] k) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < k.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", k[i]));
        }
        return sb.append(']').toString();
    }
}
