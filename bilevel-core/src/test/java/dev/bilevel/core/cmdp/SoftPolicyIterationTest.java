package dev.bilevel.core.cmdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.testing.DenseMath;
import dev.bilevel.core.testing.RandomInstances.CmdpInstance;
import dev.bilevel.core.testing.RandomInstances;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SoftPolicyIteration}: Newton steps with exact (banded LU) evaluation. */
class SoftPolicyIterationTest {

    private static CmdpInstance instance(long seed, double lambda) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        return RandomInstances.cmdp(rng, RandomInstances.randomSpec(rng, lambda));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void toleranceSolveMatchesValueIterationAndSatisfiesBellman(long seed) {
        CmdpInstance inst = instance(seed, 0.05 + 0.1 * seed);
        ConfigurableMdp mdp = inst.mdp();
        double[] reward = mdp.followerReward().evaluate(inst.x());
        FollowerSolution newton = new SoftPolicyIteration(1e-12, 100).solve(mdp.dynamics(), reward,
                mdp.followerDiscount(), mdp.temperature(), null);
        assertThat(newton.converged()).isTrue();
        assertThat(newton.residual()).isLessThanOrEqualTo(1e-12);
        assertThat(newton.sweeps()).isLessThan(30);
        assertThat(FollowerSolversTest.bellmanResidual(mdp.dynamics(), reward, mdp.followerDiscount(),
                mdp.temperature(), newton.softValue())).isLessThan(1e-11);
        FollowerSolution sweeps = new SoftValueIteration(1e-14, 1_000_000).solve(mdp.dynamics(), reward,
                mdp.followerDiscount(), mdp.temperature(), null);
        assertThat(DenseMath.maxAbsDiff(newton.policy(), sweeps.policy())).isLessThan(1e-10);
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8, 9})
    void warmStartFromTheSolutionTakesNoStepAndNearbyOneTakesFew(long seed) {
        CmdpInstance inst = instance(seed, 0.2);
        ConfigurableMdp mdp = inst.mdp();
        SoftPolicyIteration solver = new SoftPolicyIteration(1e-12, 100);
        double[] reward = mdp.followerReward().evaluate(inst.x());
        FollowerSolution first = solver.solve(mdp.dynamics(), reward, mdp.followerDiscount(), mdp.temperature(),
                null);
        FollowerSolution again = solver.solve(mdp.dynamics(), reward, mdp.followerDiscount(), mdp.temperature(),
                first);
        assertThat(again.sweeps()).isZero();
        double[] x = inst.x().clone();
        x[0] += 1e-3;
        double[] nearby = mdp.followerReward().evaluate(x);
        FollowerSolution warm = solver.solve(mdp.dynamics(), nearby, mdp.followerDiscount(), mdp.temperature(),
                first);
        FollowerSolution cold = SoftPolicyIteration.exact().solve(mdp.dynamics(), nearby, mdp.followerDiscount(),
                mdp.temperature(), null);
        assertThat(warm.sweeps()).as("steps").isLessThanOrEqualTo(6);
        assertThat(DenseMath.maxAbsDiff(warm.policy(), cold.policy())).isLessThan(1e-10);
    }

    @ParameterizedTest
    @ValueSource(longs = {10})
    void reportsNonConvergenceAndRejectsBadSettings(long seed) {
        CmdpInstance inst = instance(seed, 0.01);
        ConfigurableMdp mdp = inst.mdp();
        FollowerSolution one = new SoftPolicyIteration(1e-300, 1).solve(mdp.dynamics(),
                mdp.followerReward().evaluate(inst.x()), mdp.followerDiscount(), mdp.temperature(), null);
        assertThat(one.converged()).isFalse();
        assertThatThrownBy(() -> new SoftPolicyIteration(-1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SoftPolicyIteration(1e-9, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
