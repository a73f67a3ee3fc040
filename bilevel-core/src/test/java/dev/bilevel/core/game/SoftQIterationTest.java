package dev.bilevel.core.game;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.core.testing.DenseMath;
import dev.bilevel.core.testing.RandomInstances;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SoftQIterationTest {

    static Stream<Arguments> cases() {
        return Stream.iterate(601L, s -> s + 1).limit(5)
                .flatMap(seed -> Stream.of(Arguments.of(seed, FollowerOperator.SEQUENTIAL),
                        Arguments.of(seed, FollowerOperator.AVERAGED)));
    }

    record Instance(MarkovGame game, double[] leaderPolicy) {
    }

    static Instance instance(long seed, FollowerOperator operator) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        int states = 2 + rng.nextInt(9);
        int nb = 1 + rng.nextInt(3);
        int na = 1 + rng.nextInt(4);
        int terminals = rng.nextInt(Math.min(2, states - 1) + 1);
        MarkovGame game = RandomInstances.game(rng, states, nb, na, terminals, RandomInstances.uniform(rng, 0.5, 0.95),
                RandomInstances.uniform(rng, 0.5, 0.95), RandomInstances.uniform(rng, 0.1, 1.0), operator);
        double[] policy = TabularSoftmaxPolicy.probabilities(RandomInstances.logits(rng, states, nb), states, nb);
        return new Instance(game, policy);
    }

    /** Naive λ·log Σ exp(v/λ) (values here are O(10), λ ≥ 0.1: no overflow). */
    private static double naiveSoft(double[] v, double lambda) {
        double sum = 0.0;
        for (double x : v) {
            sum += Math.exp(x / lambda);
        }
        return lambda * Math.log(sum);
    }

    /** V(s) under the operator, from the textbook formulas. */
    static double[] operatorValues(MarkovGame game, double[] leaderPolicy, double[] q) {
        int nb = game.leaderActions();
        int na = game.followerActions();
        double lambda = game.temperature();
        double[] v = new double[game.states()];
        for (int s = 0; s < game.states(); s++) {
            if (game.operator() == FollowerOperator.SEQUENTIAL) {
                for (int b = 0; b < nb; b++) {
                    double[] qs = new double[na];
                    for (int a = 0; a < na; a++) {
                        qs[a] = q[(s * nb + b) * na + a];
                    }
                    v[s] += leaderPolicy[s * nb + b] * naiveSoft(qs, lambda);
                }
            } else {
                double[] avg = new double[na];
                for (int b = 0; b < nb; b++) {
                    for (int a = 0; a < na; a++) {
                        avg[a] += leaderPolicy[s * nb + b] * q[(s * nb + b) * na + a];
                    }
                }
                v[s] = naiveSoft(avg, lambda);
            }
        }
        return v;
    }

    /** max |Q − (r_F + γ_F[¬term]·P·V(Q))|. */
    static double fixedPointResidual(MarkovGame game, double[] leaderPolicy, double[] q) {
        TabularDynamics d = game.dynamics();
        double[] v = operatorValues(game, leaderPolicy, q);
        double worst = 0.0;
        for (int row = 0; row < q.length; row++) {
            int s = row / d.actions();
            double next = 0.0;
            for (int sp = 0; sp < game.states(); sp++) {
                next += d.probability(row, sp) * v[sp];
            }
            double target = game.followerReward()[row] + (d.isTerminal(s) ? 0.0 : game.followerDiscount() * next);
            worst = Math.max(worst, Math.abs(q[row] - target));
        }
        return worst;
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("cases")
    void exactAndPlainSweepsSatisfyTheFixedPoint(long seed, FollowerOperator operator) {
        Instance inst = instance(seed, operator);
        MarkovGame game = inst.game();
        GameFollowerSolution exact = SoftQIteration.exact().solve(game, inst.leaderPolicy(), null);
        assertThat(exact.converged()).isTrue();
        assertThat(fixedPointResidual(game, inst.leaderPolicy(), exact.q())).isLessThan(1e-12);

        GameFollowerSolution plain = new SoftQIteration(1e-13, 100_000).solve(game, inst.leaderPolicy(), null);
        assertThat(plain.converged()).isTrue();
        assertThat(plain.sweeps()).isGreaterThan(5);
        assertThat(fixedPointResidual(game, inst.leaderPolicy(), plain.q())).isLessThan(1e-11);
        assertThat(DenseMath.maxAbsDiff(plain.q(), exact.q())).isLessThan(1e-10);
        assertThat(DenseMath.maxAbsDiff(plain.policy(), exact.policy())).isLessThan(1e-10);

        // The response: π_F(a|s,b) = softmax(Q(s,b,·)/λ), W_F(s,b) = λ·log Σ_a exp(Q/λ); stateValue is V.
        int nb = game.leaderActions();
        int na = game.followerActions();
        for (int s = 0; s < game.states(); s++) {
            for (int b = 0; b < nb; b++) {
                double[] qs = new double[na];
                for (int a = 0; a < na; a++) {
                    qs[a] = exact.q()[(s * nb + b) * na + a];
                }
                double w = naiveSoft(qs, game.temperature());
                assertThat(exact.softValue()[s * nb + b]).isCloseTo(w, within(1e-12));
                double total = 0.0;
                for (int a = 0; a < na; a++) {
                    assertThat(exact.policy()[(s * nb + b) * na + a]).isCloseTo(Math.exp((qs[a] - w) / game.temperature()),
                            within(1e-12));
                    total += exact.policy()[(s * nb + b) * na + a];
                }
                assertThat(total).isCloseTo(1.0, within(1e-13));
            }
        }
        assertThat(DenseMath.maxAbsDiff(exact.stateValue(), operatorValues(game, inst.leaderPolicy(), exact.q())))
                .isLessThan(1e-12);
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("cases")
    void warmStartFromTheSolutionConvergesInOneSweep(long seed, FollowerOperator operator) {
        Instance inst = instance(seed, operator);
        GameFollowerSolution exact = SoftQIteration.exact().solve(inst.game(), inst.leaderPolicy(), null);
        double[] before = exact.q().clone();
        GameFollowerSolution warm = new SoftQIteration(1e-10, 1000).solve(inst.game(), inst.leaderPolicy(), exact);
        assertThat(warm.sweeps()).isEqualTo(1);
        assertThat(warm.converged()).isTrue();
        assertThat(exact.q()).containsExactly(before);
        assertThat(DenseMath.maxAbsDiff(warm.q(), exact.q())).isLessThan(1e-10);
    }

    @Test
    void referenceSettingsAndNonConvergence() {
        Instance inst = instance(601, FollowerOperator.SEQUENTIAL);
        GameFollowerSolution few = new SoftQIteration(1e-12, 2).solve(inst.game(), inst.leaderPolicy(), null);
        assertThat(few.sweeps()).isEqualTo(2);
        assertThat(few.converged()).isFalse();
        assertThat(few.residual()).isGreaterThan(1e-12);
        GameFollowerSolution ref = SoftQIteration.reference().solve(inst.game(), inst.leaderPolicy(), null);
        assertThat(ref.converged()).isTrue();
        assertThat(ref.residual()).isLessThanOrEqualTo(1e-6);
        assertThatThrownBy(() -> new SoftQIteration(-1.0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SoftQIteration(1e-6, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("dev.bilevel.core.game.SoftQIterationTest#singleLeaderActionSeeds")
    void operatorsCoincideWhenTheLeaderHasOneAction(long seed) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        int states = 2 + rng.nextInt(8);
        MarkovGame game = RandomInstances.game(rng, states, 1, 2 + rng.nextInt(3), 1, 0.9, 0.9, 0.3,
                FollowerOperator.SEQUENTIAL);
        double[] policy = new double[states];
        java.util.Arrays.fill(policy, 1.0);
        GameFollowerSolution seq = SoftQIteration.exact().solve(game, policy, null);
        GameFollowerSolution avg = SoftQIteration.exact().solve(game.withOperator(FollowerOperator.AVERAGED), policy,
                null);
        assertThat(DenseMath.maxAbsDiff(seq.q(), avg.q())).isLessThan(1e-12);
        assertThat(DenseMath.maxAbsDiff(seq.stateValue(), avg.stateValue())).isLessThan(1e-12);
        assertThat(DenseMath.maxAbsDiff(seq.policy(), avg.policy())).isLessThan(1e-12);
    }

    static Stream<Long> singleLeaderActionSeeds() {
        return Stream.of(701L, 702L, 703L);
    }

    @ParameterizedTest
    @MethodSource("singleLeaderActionSeeds")
    void averagedValueIsBelowSequentialWhenTheLeaderRandomises(long seed) {
        // Jensen: logsumexp of the leader-averaged Q ≤ leader-average of logsumexp, and both backups are
        // monotone, so the fixed points are ordered; with a genuinely mixed leader they differ.
        SplitMixRandom rng = new SplitMixRandom(seed);
        int states = 3 + rng.nextInt(6);
        MarkovGame game = RandomInstances.game(rng, states, 3, 3, 0, 0.9, 0.9, 0.5, FollowerOperator.SEQUENTIAL);
        double[] policy = TabularSoftmaxPolicy.probabilities(RandomInstances.logits(rng, states, 3), states, 3);
        GameFollowerSolution seq = SoftQIteration.exact().solve(game, policy, null);
        GameFollowerSolution avg = SoftQIteration.exact().solve(game.withOperator(FollowerOperator.AVERAGED), policy,
                null);
        for (int s = 0; s < states; s++) {
            assertThat(avg.stateValue()[s]).isLessThanOrEqualTo(seq.stateValue()[s] + 1e-12);
        }
        assertThat(DenseMath.maxAbsDiff(seq.q(), avg.q())).isGreaterThan(1e-3);
    }
}
