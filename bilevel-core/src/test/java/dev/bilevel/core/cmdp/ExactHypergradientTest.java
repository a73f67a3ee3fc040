package dev.bilevel.core.cmdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.Hypergradient;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.core.testing.DenseMath;
import dev.bilevel.core.testing.FiniteDifferences;
import dev.bilevel.core.testing.RandomInstances.CmdpInstance;
import dev.bilevel.core.testing.RandomInstances.CmdpSpec;
import dev.bilevel.core.testing.RandomInstances;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExactHypergradientTest {

    /** Step of the central differences: truncation ~h²·F''' and round-off ~1e-16·|F|/h both ≲ 1e-9. */
    private static final double STEP = 1e-5;

    /**
     * Ten random specs (up to 30 states, 5 actions, 20 parameters, λ ∈ [0.1, 1), 0–3 terminal states,
     * leader reward constant or linear in x, equal or different discounts), plus the largest shape
     * with every feature switched on.
     */
    static Stream<Arguments> instances() {
        Stream<Arguments> random = Stream.iterate(201L, s -> s + 1).limit(10).map(seed -> {
            SplitMixRandom rng = new SplitMixRandom(seed);
            CmdpSpec spec = RandomInstances.randomSpec(rng, RandomInstances.uniform(rng, 0.1, 1.0));
            return Arguments.of(seed, spec);
        });
        Stream<Arguments> largest = Stream.of(
                Arguments.of(301L, new CmdpSpec(30, 5, 20, 3, true, 0.9, 0.8, 0.1)),
                Arguments.of(302L, new CmdpSpec(30, 5, 20, 2, true, 0.9, 0.9, 0.3)),
                Arguments.of(303L, new CmdpSpec(25, 4, 12, 1, false, 0.7, 0.95, 1.0)));
        return Stream.concat(random, largest);
    }

    @ParameterizedTest(name = "seed {0}: {1}")
    @MethodSource("instances")
    void matchesCentralFiniteDifferencesOfTheObjective(long seed, CmdpSpec spec) {
        CmdpInstance inst = RandomInstances.cmdp(new SplitMixRandom(seed), spec);
        ConfigurableMdp mdp = inst.mdp();
        Hypergradient hg = ExactHypergradient.compute(mdp, inst.x());
        assertThat(hg.objective()).isCloseTo(ExactHypergradient.objective(mdp, inst.x()), within(1e-12));

        double[] fd = FiniteDifferences.central(x -> ExactHypergradient.objective(mdp, x), inst.x(), STEP);
        assertThat(DenseMath.maxAbs(fd)).as("gradient not negligible").isGreaterThan(1e-2);
        assertThat(FiniteDifferences.relativeError(hg.gradient(), fd)).isLessThan(1e-6);
    }

    @Test
    void matchesFiniteDifferencesAtLowTemperature() {
        // λ = 0.01: F is sharp (its third derivative grows like 1/λ²). The 3-point stencil at h = 1e-5
        // still meets 1e-6 (measured ≈ 1.3e-7 here); the 5-point stencil (O(h⁴)) confirms it to ~1e-11.
        CmdpInstance inst = RandomInstances.cmdp(new SplitMixRandom(401),
                new CmdpSpec(15, 4, 8, 2, true, 0.85, 0.85, 0.01));
        ConfigurableMdp mdp = inst.mdp();
        Hypergradient hg = ExactHypergradient.compute(mdp, inst.x());
        double[] fd = FiniteDifferences.central(x -> ExactHypergradient.objective(mdp, x), inst.x(), STEP);
        assertThat(DenseMath.maxAbs(fd)).isGreaterThan(1e-2);
        assertThat(FiniteDifferences.relativeError(hg.gradient(), fd)).isLessThan(1e-6);
        double[] fd5 = FiniteDifferences.central5(x -> ExactHypergradient.objective(mdp, x), inst.x(), 3e-5);
        assertThat(FiniteDifferences.relativeError(hg.gradient(), fd5)).isLessThan(1e-9);
    }

    /** Builds Ψ, Q_L, V_L and d(s,a) with the test's own dense code and sums the forward formula. */
    @ParameterizedTest(name = "seed {0}: {1}")
    @MethodSource("instances")
    void adjointFormEqualsExplicitForwardFormula(long seed, CmdpSpec spec) {
        CmdpInstance inst = RandomInstances.cmdp(new SplitMixRandom(seed), spec);
        ConfigurableMdp mdp = inst.mdp();
        TabularDynamics dyn = mdp.dynamics();
        int states = inst.states();
        int actions = inst.actions();
        int n = states * actions;
        int dim = inst.dimension();
        double lambda = mdp.temperature();
        double[] x = inst.x();

        double[] policy = SoftPolicyIteration.exact().solve(dyn, mdp.followerReward().evaluate(x),
                mdp.followerDiscount(), lambda, null).policy();

        // Ψ = (I − γ_F P̃Π)^{-1} Φ_F: policy evaluation of the d-vector reward ∇_x r_F.
        double[][] phiF = new double[n][dim];
        double[] leaderReward = new double[n];
        double[][] phiL = new double[n][dim];
        for (int row = 0; row < n; row++) {
            leaderReward[row] = inst.leaderBase()[row];
            for (int j = 0; j < dim; j++) {
                phiF[row][j] = inst.followerFeatures()[row * dim + j];
                phiL[row][j] = inst.leaderFeatures()[row * dim + j];
                leaderReward[row] += phiL[row][j] * x[j];
            }
        }
        double[][] psi = DenseMath.solve(DenseMath.stateActionSystem(dyn, policy, mdp.followerDiscount()), phiF);
        double[] ql = DenseMath.solve(DenseMath.stateActionSystem(dyn, policy, mdp.leaderDiscount()), leaderReward);
        double[] ds = DenseMath.solve(DenseMath.transpose(DenseMath.stateSystem(dyn, policy, mdp.leaderDiscount())),
                dyn.initialDistribution());

        double[] expected = new double[dim];
        double objective = 0.0;
        for (int s = 0; s < states; s++) {
            double vl = 0.0;
            for (int a = 0; a < actions; a++) {
                vl += policy[s * actions + a] * ql[s * actions + a];
            }
            objective += dyn.initialProbability(s) * vl;
            for (int a = 0; a < actions; a++) {
                int row = s * actions + a;
                double dsa = ds[s] * policy[row];
                for (int j = 0; j < dim; j++) {
                    expected[j] += dsa * (phiL[row][j] + (ql[row] - vl) * psi[row][j] / lambda);
                }
            }
        }

        Hypergradient hg = ExactHypergradient.compute(mdp, x, policy);
        assertThat(hg.objective()).isCloseTo(objective, within(1e-10));
        assertThat(DenseMath.maxAbs(expected)).isGreaterThan(1e-2);
        assertThat(FiniteDifferences.relativeError(hg.gradient(), expected)).isLessThan(1e-9);
    }

    @Test
    void followerRewardWithoutFeaturesLeavesOnlyTheDirectTerm() {
        SplitMixRandom rng = new SplitMixRandom(501);
        TabularDynamics dyn = RandomInstances.dynamics(rng, 6, 3, 1);
        int n = 18;
        int dim = 4;
        double[] leaderFeatures = RandomInstances.uniformVector(rng, n * dim, -1, 1);
        ConfigurableMdp mdp = new ConfigurableMdp(dyn,
                LinearFeatureReward.constant(6, 3, dim, RandomInstances.uniformVector(rng, n, -1, 1)),
                new LinearFeatureReward(6, 3, dim, RandomInstances.uniformVector(rng, n, -1, 1), leaderFeatures),
                0.9, 0.8, 0.5);
        double[] x = RandomInstances.uniformVector(rng, dim, -1, 1);
        double[] policy = SoftPolicyIteration.exact().solve(dyn, mdp.followerReward().evaluate(x), 0.9, 0.5, null)
                .policy();
        double[] ds = DenseMath.solve(DenseMath.transpose(DenseMath.stateSystem(dyn, policy, 0.8)),
                dyn.initialDistribution());
        double[] expected = new double[dim];
        for (int row = 0; row < n; row++) {
            for (int j = 0; j < dim; j++) {
                expected[j] += ds[row / 3] * policy[row] * leaderFeatures[row * dim + j];
            }
        }
        assertThat(ExactHypergradient.compute(mdp, x).gradient()).containsExactly(expected, within(1e-12));
    }

    @Test
    void rejectsDecisionOfWrongLength() {
        CmdpInstance inst = RandomInstances.cmdp(new SplitMixRandom(502), new CmdpSpec(4, 2, 3, 1, true, 0.9, 0.9,
                0.5));
        // The decision is the problem file's parameters0; a short one used to fail with an
        // ArrayIndexOutOfBoundsException inside the follower reward before the length check.
        for (double[] x : new double[][] {new double[2], new double[4]}) {
            String message = "parameters0: expected 3 entries, got " + x.length;
            assertThatThrownBy(() -> ExactHypergradient.compute(inst.mdp(), x))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
            assertThatThrownBy(() -> ExactHypergradient.objective(inst.mdp(), x))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        }
    }
}
