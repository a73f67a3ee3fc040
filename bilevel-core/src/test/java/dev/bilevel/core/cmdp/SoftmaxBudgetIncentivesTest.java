package dev.bilevel.core.cmdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.Hypergradient;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.core.testing.DenseMath;
import dev.bilevel.core.testing.FiniteDifferences;
import dev.bilevel.core.testing.RandomInstances;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A nonlinear reward parameterisation: its vector–Jacobian products and the exact hypergradient on it. */
class SoftmaxBudgetIncentivesTest {

    private record Setup(ConfigurableMdp mdp, SoftmaxBudgetIncentives incentives, double[] w) {
    }

    private static Setup setup(long seed) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        int states = 4 + rng.nextInt(12);
        int actions = 2 + rng.nextInt(3);
        TabularDynamics d = RandomInstances.dynamics(rng, states, actions, 1 + rng.nextInt(2));
        int cells = 1 + rng.nextInt(states - 1);
        int[] cellStates = new int[cells];
        for (int i = 0; i < cells; i++) {
            cellStates[i] = rng.nextInt(states);
        }
        // FourRooms uses [0, −0.2]; scale up so the incentives visibly move the follower.
        SoftmaxBudgetIncentives inc = new SoftmaxBudgetIncentives(states, actions, cellStates, 0.0, -2.0);
        boolean[] off = new boolean[states];
        boolean[] charged = new boolean[states];
        for (int s = 0; s < states; s++) {
            off[s] = rng.nextInt(4) == 0;
            charged[s] = rng.nextBoolean();
        }
        int n = states * actions;
        ConfigurableMdp mdp = new ConfigurableMdp(d,
                inc.followerReward(RandomInstances.uniformVector(rng, n, -1, 1), off),
                inc.leaderReward(RandomInstances.uniformVector(rng, n, -1, 1), 0.5, charged),
                0.9, RandomInstances.uniform(rng, 0.6, 0.95), RandomInstances.uniform(rng, 0.2, 1.0));
        return new Setup(mdp, inc, RandomInstances.uniformVector(rng, inc.dimension(), -1, 1));
    }

    @ParameterizedTest
    @ValueSource(longs = {1101, 1102, 1103, 1104})
    void vectorJacobianProductsMatchFiniteDifferences(long seed) {
        Setup st = setup(seed);
        SplitMixRandom rng = new SplitMixRandom(seed + 7);
        for (ParametricReward r : new ParametricReward[] {st.mdp().followerReward(), st.mdp().leaderReward()}) {
            double[] weights = RandomInstances.uniformVector(rng, r.states() * r.actions(), -1, 1);
            double[] g = new double[r.dimension()];
            r.accumulateGradient(st.w(), weights, g);
            double[] fd = FiniteDifferences.central(w -> DenseMath.dot(weights, r.evaluate(w)), st.w(), 1e-6);
            assertThat(g).containsExactly(fd, within(1e-8));
        }
        double[] p = st.incentives().probabilities(st.w());
        assertThat(java.util.Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-14));
        assertThat(st.incentives().spent(st.w())).isBetween(0.0, 2.0);
    }

    @ParameterizedTest
    @ValueSource(longs = {1101, 1102, 1103, 1104})
    void exactHypergradientMatchesFiniteDifferences(long seed) {
        Setup st = setup(seed);
        Hypergradient hg = ExactHypergradient.compute(st.mdp(), st.w());
        double[] fd = FiniteDifferences.central(w -> ExactHypergradient.objective(st.mdp(), w), st.w(), 1e-5);
        assertThat(DenseMath.maxAbs(fd)).isGreaterThan(1e-3);
        assertThat(FiniteDifferences.relativeError(hg.gradient(), fd)).isLessThan(1e-6);
    }
}
