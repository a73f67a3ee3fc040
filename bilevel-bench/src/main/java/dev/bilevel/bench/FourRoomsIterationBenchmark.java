package dev.bilevel.bench;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.experiments.evaluate.TabularEvaluator;
import dev.bilevel.experiments.method.TabularEstimators;
import dev.bilevel.learn.estimator.term.RewardDesignTerms;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.planning.TabularMdpFollower;
import dev.bilevel.learn.leader.ClippedSgd;
import dev.bilevel.learn.leader.DecisionLeader;
import dev.bilevel.learn.loop.BilevelLoop;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.problems.fourrooms.FourRooms;
import dev.bilevel.problems.fourrooms.FourRoomsConfig;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One FourRooms outer iteration, everything included: the follower's warm best response, the whole metrics row that
 * is logged (the exact {@code leader_objective}, the batch's return, the estimate's norms), sampling, the estimator
 * (with its SARSA pass) and the update. An invocation runs {@value #ITERATIONS} iterations of a fresh run
 * (λ = 0.003, learning rate 0.1, SARSA step 0.5), so the score is the mean cost per iteration over a run's first
 * {@value #ITERATIONS} iterations. {@code bchg-sr} refines from the first iteration, so it times the refinement
 * phase, its dearer one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FourRoomsIterationBenchmark {

    static final int ITERATIONS = 1000;

    @Param({"bchg", "bchg-sr", "hpgd-mc", "naive"})
    public String method;

    @Param({"100", "1000"})
    public int samples;

    @Benchmark
    @OperationsPerInvocation(ITERATIONS)
    public double iterations() {
        FourRooms fourRooms = new FourRooms(FourRoomsConfig.paper(0.003));
        ConfigurableMdp model = fourRooms.model();
        SplitMixRandom root = new SplitMixRandom(1);
        TabularSampler sampler = new TabularSampler(fourRooms.simulatorDynamics(), 200);
        int envs = (samples + 199) / 200;
        double[] uniform = new double[FourRooms.STATES];
        Arrays.fill(uniform, 1.0 / FourRooms.STATES);
        DecisionLeader<TabularResponse, TabularBatch> leader = new DecisionLeader<>(
                new double[fourRooms.dimension()],
                TabularEstimators.create(model, new TabularEstimators.Settings(
                        TabularEstimators.Kind.parse(method, "method"), false, 0.5, 0.1, false),
                        new RewardDesignTerms.OracleAccess(sampler, uniform, envs, 10_000 / envs), root.split()),
                ClippedSgd.ungrouped(fourRooms.dimension(), 0.1, 1.0));
        TabularMdpFollower follower = new TabularMdpFollower(model, TabularMdpFollower.Behaviour.OPTIMAL, 0,
                root.split());
        TabularEvaluator<TabularResponse> evaluator = TabularEvaluator.of(model, follower);
        int length = samples / envs;
        BilevelLoop<double[], TabularResponse, TabularBatch, DecisionLeader.Update> loop = new BilevelLoop<>(
                evaluator.follower(), (x, response, rng) -> sampler.sample(response.policy(), envs, length, rng),
                leader);
        SplitMixRandom run = root.split();
        double[] objective = new double[1];
        loop.run(ITERATIONS, run.split(), run.split(), step -> objective[0] += evaluator.row(step)[1]);
        return objective[0] + leader.decision()[0];
    }
}
