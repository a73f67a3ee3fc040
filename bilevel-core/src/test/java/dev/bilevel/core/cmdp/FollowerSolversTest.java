package dev.bilevel.core.cmdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.core.testing.DenseMath;
import dev.bilevel.core.testing.RandomInstances.CmdpInstance;
import dev.bilevel.core.testing.RandomInstances;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SoftValueIteration} (plain and exact) and {@link ModifiedSoftPolicyIteration}. */
class FollowerSolversTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(101, 108);
    }

    /** A random follower problem; temperatures 0.1–1, discounts 0.5–0.95. */
    private static CmdpInstance instance(long seed) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        double lambda = RandomInstances.uniform(rng, 0.1, 1.0);
        return RandomInstances.cmdp(rng, RandomInstances.randomSpec(rng, lambda));
    }

    /** Largest violation of the soft Bellman equation V = λ·log Σ exp((r + γ[¬term]PV)/λ), naive formula. */
    static double bellmanResidual(TabularDynamics d, double[] reward, double gamma, double lambda, double[] v) {
        int actions = d.actions();
        double worst = 0.0;
        for (int s = 0; s < d.states(); s++) {
            double sum = 0.0;
            double shift = v[s];
            for (int a = 0; a < actions; a++) {
                int row = s * actions + a;
                double next = 0.0;
                for (int sp = 0; sp < d.states(); sp++) {
                    next += d.probability(row, sp) * v[sp];
                }
                double q = reward[row] + (d.isTerminal(s) ? 0.0 : gamma * next);
                sum += Math.exp((q - shift) / lambda);
            }
            worst = Math.max(worst, Math.abs(shift + lambda * Math.log(sum) - v[s]));
        }
        return worst;
    }

    /** Checks that the solution's Q, policy and soft value are consistent with each other and its V. */
    private static void assertSoftConsistent(TabularDynamics d, double[] reward, double gamma, double lambda,
            FollowerSolution sol, double tol) {
        int actions = d.actions();
        double[] v = sol.softValue();
        for (int s = 0; s < d.states(); s++) {
            double total = 0.0;
            for (int a = 0; a < actions; a++) {
                int row = s * actions + a;
                double next = 0.0;
                for (int sp = 0; sp < d.states(); sp++) {
                    next += d.probability(row, sp) * v[sp];
                }
                double q = reward[row] + (d.isTerminal(s) ? 0.0 : gamma * next);
                // π(a|s) = exp((Q − V)/λ)
                assertThat(sol.policy()[row]).isCloseTo(Math.exp((q - v[s]) / lambda), within(tol));
                total += sol.policy()[row];
            }
            assertThat(total).isCloseTo(1.0, within(1e-13));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void allSolversAgreeAndSatisfyTheSoftBellmanEquation(long seed) {
        CmdpInstance inst = instance(seed);
        ConfigurableMdp mdp = inst.mdp();
        TabularDynamics d = mdp.dynamics();
        double[] reward = mdp.followerReward().evaluate(inst.x());
        double gamma = mdp.followerDiscount();
        double lambda = mdp.temperature();

        FollowerSolution exact = SoftPolicyIteration.exact().solve(d, reward, gamma, lambda, null);
        assertThat(exact.converged()).isTrue();
        assertThat(exact.residual()).isLessThan(1e-12);
        assertThat(bellmanResidual(d, reward, gamma, lambda, exact.softValue())).isLessThan(1e-12);
        assertSoftConsistent(d, reward, gamma, lambda, exact, 1e-12);

        FollowerSolution plain = new SoftValueIteration(1e-13, 100_000).solve(d, reward, gamma, lambda, null);
        assertThat(plain.converged()).isTrue();
        assertThat(plain.residual()).isLessThanOrEqualTo(1e-13);
        assertThat(DenseMath.maxAbsDiff(plain.softValue(), exact.softValue())).isLessThan(1e-10);
        assertThat(DenseMath.maxAbsDiff(plain.policy(), exact.policy())).isLessThan(1e-10);
        assertThat(DenseMath.maxAbsDiff(plain.q(), exact.q())).isLessThan(1e-10);

        FollowerSolution spi = new ModifiedSoftPolicyIteration(400, 5).solve(d, reward, gamma, lambda, null);
        assertThat(spi.converged()).isTrue();
        assertThat(spi.sweeps()).isEqualTo(2000);
        assertThat(spi.residual()).isLessThan(1e-12);
        assertThat(DenseMath.maxAbsDiff(spi.policy(), exact.policy())).isLessThan(1e-10);
        // Σ_a π Q in the reference convention is the soft value.
        assertThat(DenseMath.maxAbsDiff(spi.softValue(), exact.softValue())).isLessThan(1e-10);
        // Reference convention: Q_ref(s,a) = Q_soft(s,a) + λ·H(π(·|s)).
        int actions = d.actions();
        for (int s = 0; s < d.states(); s++) {
            double entropy = 0.0;
            for (int a = 0; a < actions; a++) {
                double p = exact.policy()[s * actions + a];
                entropy -= p > 0 ? p * Math.log(p) : 0.0;
            }
            for (int a = 0; a < actions; a++) {
                assertThat(spi.q()[s * actions + a]).isCloseTo(exact.q()[s * actions + a] + lambda * entropy,
                        within(1e-9));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void warmStartFromTheSolutionConvergesInOneSweep(long seed) {
        CmdpInstance inst = instance(seed);
        ConfigurableMdp mdp = inst.mdp();
        double[] reward = mdp.followerReward().evaluate(inst.x());
        FollowerSolution exact = SoftPolicyIteration.exact().solve(mdp.dynamics(), reward, mdp.followerDiscount(),
                mdp.temperature(), null);
        FollowerSolution warm = new SoftValueIteration(1e-10, 1000).solve(mdp.dynamics(), reward,
                mdp.followerDiscount(), mdp.temperature(), exact);
        assertThat(warm.sweeps()).isEqualTo(1);
        assertThat(warm.converged()).isTrue();
        assertThat(DenseMath.maxAbsDiff(warm.policy(), exact.policy())).isLessThan(1e-12);
        // The warm start must not alias or modify the previous solution.
        assertThat(warm.softValue()).isNotSameAs(exact.softValue());

        // Warm start is genuinely used: a cold start needs many sweeps.
        FollowerSolution cold = new SoftValueIteration(1e-10, 1000).solve(mdp.dynamics(), reward,
                mdp.followerDiscount(), mdp.temperature(), null);
        assertThat(cold.sweeps()).isGreaterThan(5);

        // Soft policy iteration carries Q: from its own fixed point one round of one sweep changes nothing.
        FollowerSolution spi = new ModifiedSoftPolicyIteration(400, 5).solve(mdp.dynamics(), reward, mdp.followerDiscount(),
                mdp.temperature(), null);
        double[] before = spi.q().clone();
        FollowerSolution again = new ModifiedSoftPolicyIteration(1, 1).solve(mdp.dynamics(), reward, mdp.followerDiscount(),
                mdp.temperature(), spi);
        assertThat(again.residual()).isLessThan(1e-12);
        assertThat(spi.q()).containsExactly(before);
        assertThat(DenseMath.maxAbsDiff(again.policy(), exact.policy())).isLessThan(1e-10);
    }

    @Test
    void tinyMaxSweepsReportsNonConvergence() {
        CmdpInstance inst = instance(101);
        ConfigurableMdp mdp = inst.mdp();
        double[] reward = mdp.followerReward().evaluate(inst.x());
        FollowerSolution sol = new SoftValueIteration(1e-12, 2).solve(mdp.dynamics(), reward, mdp.followerDiscount(),
                mdp.temperature(), null);
        assertThat(sol.sweeps()).isEqualTo(2);
        assertThat(sol.converged()).isFalse();
        assertThat(sol.residual()).isGreaterThan(1e-12);
    }

    @Test
    void sweepsAreGaussSeidel() {
        // One action; state 0 → state 2 (terminal), state 1 → state 0. State 1 is swept after state 0,
        // so an in-place (Gauss–Seidel) sweep already sees the new V(0) there, a synchronous one would not.
        double[] dense = {
            0, 0, 1, // state 0 → state 2
            1, 0, 0, // state 1 → state 0
            0, 0, 1, // state 2 terminal
        };
        TabularDynamics d = TabularDynamics.fromDense(3, 1, dense, "transitions", new boolean[] {false, false, true},
                new double[] {0, 1, 0});
        double[] reward = {1.0, 2.0, 3.0};
        double gamma = 0.5;
        FollowerSolution one = new SoftValueIteration(1e-12, 1).solve(d, reward, gamma, 1.0, null);
        // In-place sweep from V = 0 in order s = 0, 1, 2: V0 = 1 + γ·0 = 1, V1 = 2 + γ·V0 = 2.5, V2 = 3.
        // (A synchronous sweep would give V1 = 2.) The solution then reports Q and the soft value from
        // these V: with one action, softValue = Q = r + γ·V(next).
        double[] v = {1.0, 2.5, 3.0};
        assertThat(one.q()).containsExactly(new double[] {1 + gamma * v[2], 2 + gamma * v[0], 3}, within(1e-15));
        assertThat(one.softValue()).containsExactly(one.q(), within(1e-15));
        assertThat(one.converged()).isFalse();
    }

    @Test
    void referenceScheduleAndConstructorChecks() {
        CmdpInstance inst = instance(102);
        ConfigurableMdp mdp = inst.mdp();
        double[] reward = mdp.followerReward().evaluate(inst.x());
        FollowerSolution ref = ModifiedSoftPolicyIteration.reference().solve(mdp.dynamics(), reward, mdp.followerDiscount(),
                mdp.temperature(), null);
        assertThat(ref.sweeps()).isEqualTo(500);
        FollowerSolution exact = SoftPolicyIteration.exact().solve(mdp.dynamics(), reward, mdp.followerDiscount(),
                mdp.temperature(), null);
        // γ_F ≤ 0.95 here, so 500 sweeps reach the optimum closely.
        assertThat(DenseMath.maxAbsDiff(ref.policy(), exact.policy())).isLessThan(1e-8);

        assertThatThrownBy(() -> new ModifiedSoftPolicyIteration(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModifiedSoftPolicyIteration(5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SoftValueIteration(0.0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SoftValueIteration(1e-6, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lowTemperatureSolveIsFiniteAndNearlyGreedy() {
        SplitMixRandom rng = new SplitMixRandom(7);
        CmdpInstance inst = RandomInstances.cmdp(rng,
                new RandomInstances.CmdpSpec(12, 4, 3, 2, false, 0.9, 0.9, 1e-3));
        ConfigurableMdp mdp = inst.mdp();
        double[] reward = mdp.followerReward().evaluate(inst.x());
        FollowerSolution exact = SoftPolicyIteration.exact().solve(mdp.dynamics(), reward, 0.9, 1e-3, null);
        for (double p : exact.policy()) {
            assertThat(p).isFinite();
        }
        assertThat(bellmanResidual(mdp.dynamics(), reward, 0.9, 1e-3, exact.softValue())).isLessThan(1e-12);
        FollowerSolution spi = new ModifiedSoftPolicyIteration(200, 5).solve(mdp.dynamics(), reward, 0.9, 1e-3, null);
        assertThat(DenseMath.maxAbsDiff(spi.softValue(), exact.softValue())).isLessThan(1e-10);
    }
}
