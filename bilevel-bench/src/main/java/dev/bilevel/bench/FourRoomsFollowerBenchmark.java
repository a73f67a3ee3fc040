package dev.bilevel.bench;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.FollowerSolution;
import dev.bilevel.core.cmdp.ModifiedSoftPolicyIteration;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.cmdp.SoftValueIteration;
import dev.bilevel.problems.fourrooms.FourRooms;
import dev.bilevel.problems.fourrooms.FourRoomsConfig;
import java.util.SplittableRandom;
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
 * <p>The warm scenario is one leader step: incentives {@code w ~ N(0, 0.01²)} are solved, then moved by
 * a step of length 0.1 (learning rate 0.1 after clipping to norm 1, as in the paper) in a random
 * direction, and the new best response is computed from the old solution.
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
    private double[] rewardAfterStep;
    private FollowerSolution previous;
    private final SoftPolicyIteration newton = new SoftPolicyIteration(1e-10, 100);
    private final SoftValueIteration sweeps = new SoftValueIteration(1e-10, 100_000);

    @Setup
    public void setUp() {
        FourRooms fourRooms = new FourRooms(FourRoomsConfig.paper(lambda));
        mdp = fourRooms.model();
        SplittableRandom rng = new SplittableRandom(42);
        double[] w = new double[fourRooms.dimension()];
        double[] direction = new double[w.length];
        double norm = 0.0;
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.01 * rng.nextGaussian();
            direction[i] = rng.nextGaussian();
            norm += direction[i] * direction[i];
        }
        previous = SoftPolicyIteration.exact().solve(mdp.dynamics(), mdp.followerReward().evaluate(w),
                mdp.followerDiscount(), lambda, null);
        for (int i = 0; i < w.length; i++) {
            w[i] += 0.1 * direction[i] / Math.sqrt(norm);
        }
        rewardAfterStep = mdp.followerReward().evaluate(w);
    }

    /** The reference follower: 100 rounds × 5 sweeps from Q = 0. */
    @Benchmark
    public FollowerSolution referenceScheduleCold() {
        return ModifiedSoftPolicyIteration.reference().solve(mdp.dynamics(), rewardAfterStep,
                mdp.followerDiscount(), lambda, null);
    }

    /** Soft policy iteration (Newton, banded LU) to residual 1e-10 from the previous solution. */
    @Benchmark
    public FollowerSolution policyIterationWarm() {
        return newton.solve(mdp.dynamics(), rewardAfterStep, mdp.followerDiscount(), lambda, previous);
    }

    /** Soft policy iteration from V = 0. */
    @Benchmark
    public FollowerSolution policyIterationCold() {
        return newton.solve(mdp.dynamics(), rewardAfterStep, mdp.followerDiscount(), lambda, null);
    }

    /** Gauss–Seidel soft value iteration to 1e-10 from the previous solution. */
    @Benchmark
    public FollowerSolution valueIterationWarm() {
        return sweeps.solve(mdp.dynamics(), rewardAfterStep, mdp.followerDiscount(), lambda, previous);
    }
}
