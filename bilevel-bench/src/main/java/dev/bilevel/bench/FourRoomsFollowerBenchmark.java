package dev.bilevel.bench;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.FollowerSolution;
import dev.bilevel.core.cmdp.ModifiedSoftPolicyIteration;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.cmdp.SoftValueIteration;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.problems.fourrooms.FourRooms;
import dev.bilevel.problems.fourrooms.FourRoomsConfig;
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
 * The FourRooms follower solve, once per outer iteration of every FourRooms method: the reference's
 * cold 100×5 schedule against tolerance solves warm-started from the previous iteration's solution.
 *
 * <p>The warm scenario is one leader step: incentives {@code w ~ N(0, 0.01²)} move by a step of length
 * 0.1 (learning rate 0.1 after clipping to norm 1, as in the paper) in a random direction, and the new
 * best response is computed from the previous one. Each invocation steps back and forth between the
 * two incentive vectors, so every warm solve starts from the previous invocation's solution and finds
 * the solver in the state that solve left, exactly as in a training loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FourRoomsFollowerBenchmark {

    @Param({"0.001", "0.003", "0.005"})
    public double lambda;

    private ConfigurableMdp mdp;
    private final double[][] rewards = new double[2][];
    private final SoftPolicyIteration newton = new SoftPolicyIteration(1e-10, 100);
    private final SoftValueIteration sweeps = new SoftValueIteration(1e-10, 100_000);
    private FollowerSolution newtonCurrent;
    private FollowerSolution sweepsCurrent;
    private int newtonSide;
    private int sweepsSide;

    @Setup
    public void setUp() {
        FourRooms fourRooms = new FourRooms(FourRoomsConfig.paper(lambda));
        mdp = fourRooms.model();
        SplitMixRandom rng = new SplitMixRandom(42);
        double[] w = new double[fourRooms.dimension()];
        double[] direction = new double[w.length];
        double norm = 0.0;
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.01 * rng.nextGaussian();
            direction[i] = rng.nextGaussian();
            norm += direction[i] * direction[i];
        }
        rewards[0] = mdp.followerReward().evaluate(w);
        for (int i = 0; i < w.length; i++) {
            w[i] += 0.1 * direction[i] / Math.sqrt(norm);
        }
        rewards[1] = mdp.followerReward().evaluate(w);
        newtonCurrent = newton.solve(mdp.dynamics(), rewards[0], mdp.followerDiscount(), lambda, null);
        sweepsCurrent = sweeps.solve(mdp.dynamics(), rewards[0], mdp.followerDiscount(), lambda, null);
    }

    /** The reference follower: 100 rounds × 5 sweeps from Q = 0. */
    @Benchmark
    public FollowerSolution referenceScheduleCold() {
        return ModifiedSoftPolicyIteration.reference().solve(mdp.dynamics(), rewards[1], mdp.followerDiscount(),
                lambda, null);
    }

    /** Soft policy iteration (Newton, banded LU) to residual 1e-10 from the previous step's solution. */
    @Benchmark
    public FollowerSolution policyIterationWarm() {
        newtonSide ^= 1;
        newtonCurrent = newton.solve(mdp.dynamics(), rewards[newtonSide], mdp.followerDiscount(), lambda,
                newtonCurrent);
        return newtonCurrent;
    }

    /** Soft policy iteration from V = 0 with a fresh solver (no factorisation to reuse). */
    @Benchmark
    public FollowerSolution policyIterationCold() {
        return new SoftPolicyIteration(1e-10, 100).solve(mdp.dynamics(), rewards[1], mdp.followerDiscount(),
                lambda, null);
    }

    /** Gauss–Seidel soft value iteration to 1e-10 from the previous step's solution. */
    @Benchmark
    public FollowerSolution valueIterationWarm() {
        sweepsSide ^= 1;
        sweepsCurrent = sweeps.solve(mdp.dynamics(), rewards[sweepsSide], mdp.followerDiscount(), lambda,
                sweepsCurrent);
        return sweepsCurrent;
    }
}
