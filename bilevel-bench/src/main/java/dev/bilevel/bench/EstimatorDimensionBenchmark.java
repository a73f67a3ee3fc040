package dev.bilevel.bench;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.FollowerSolution;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.experiments.method.TabularEstimators;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.planning.TabularMdpFollower;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.problems.json.ConfigurableMdpProblem;
import dev.bilevel.problems.json.RandomProblems;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one hypergradient estimate from a fixed batch of 1,000 episodes (horizon 50) on a random
 * 30-state, 4-action configurable MDP with dense linear incentive features, as the leader's dimension
 * {@code d} grows. The estimators accumulate one scalar per sample and contract with the reward's
 * Jacobian once, so the time is {@code O(samples + S·A·d)}: the per-sample part does not depend on
 * {@code d}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EstimatorDimensionBenchmark {

    @Param({"10", "100", "1000", "10000"})
    public int dimension;

    @Param({"bchg", "hpgd-mc"})
    public String method;

    private Estimator<double[], TabularResponse, TabularBatch> estimator;
    private Estimation<double[], TabularResponse, TabularBatch> context;

    @Setup
    public void setUp() {
        ConfigurableMdpProblem problem = RandomProblems.configurableMdp(3, 30, 4, dimension, 0.9, 0.5);
        ConfigurableMdp mdp = problem.mdp();
        double[] x = problem.parameters0();
        FollowerSolution follower = SoftPolicyIteration.exact().solve(mdp.dynamics(), mdp.followerReward().evaluate(x),
                mdp.followerDiscount(), mdp.temperature(), null);
        SplitMixRandom rng = new SplitMixRandom(7);
        TabularBatch batch = new TabularSampler(mdp.dynamics(), 50).sampleEpisodes(follower.policy(), 1000, 50, rng);
        estimator = TabularEstimators.create(mdp, new TabularEstimators.Settings(
                TabularEstimators.Kind.parse(method, "method"), true, 0.1, 0.1, true), null, rng.split());
        context = new Estimation<>(0, x, TabularMdpFollower.response(mdp, follower), batch, rng);
    }

    @Benchmark
    public Estimate estimate() {
        return estimator.estimate(context);
    }
}
