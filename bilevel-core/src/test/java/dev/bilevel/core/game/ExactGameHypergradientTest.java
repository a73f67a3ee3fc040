package dev.bilevel.core.game;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.Hypergradient;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.core.testing.DenseMath;
import dev.bilevel.core.testing.FiniteDifferences;
import dev.bilevel.core.testing.RandomInstances;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExactGameHypergradientTest {

    private static final double STEP = 1e-5;

    record Spec(int states, int leaderActions, int followerActions, int terminals, double followerDiscount,
            double leaderDiscount, double temperature) {
    }

    /**
     * Random games up to 10 states, 3 leader and 4 follower actions, λ ∈ [0.1, 1), for both operators;
     * seed 801 is forced to the largest shape and seed 802 to have a terminal state.
     */
    static Stream<Arguments> cases() {
        return Stream.iterate(801L, s -> s + 1).limit(6).flatMap(seed -> {
            SplitMixRandom rng = new SplitMixRandom(seed);
            int states = 2 + rng.nextInt(9);
            int nb = 2 + rng.nextInt(2);
            int na = 1 + rng.nextInt(4);
            int terminals = rng.nextInt(Math.min(2, states - 1) + 1);
            if (seed == 801) {
                states = 10;
                nb = 3;
                na = 4;
            }
            if (seed == 802) {
                terminals = Math.max(terminals, 1);
            }
            double gammaF = RandomInstances.uniform(rng, 0.5, 0.95);
            double gammaL = rng.nextBoolean() ? gammaF : RandomInstances.uniform(rng, 0.5, 0.95);
            Spec spec = new Spec(states, nb, na, terminals, gammaF, gammaL, RandomInstances.uniform(rng, 0.1, 1.0));
            return Stream.of(Arguments.of(seed, spec, FollowerOperator.SEQUENTIAL),
                    Arguments.of(seed, spec, FollowerOperator.AVERAGED));
        });
    }

    private static MarkovGame game(long seed, Spec spec, FollowerOperator op) {
        return RandomInstances.game(new SplitMixRandom(seed), spec.states(), spec.leaderActions(),
                spec.followerActions(), spec.terminals(), spec.followerDiscount(), spec.leaderDiscount(),
                spec.temperature(), op);
    }

    @ParameterizedTest(name = "seed {0} {2}: {1}")
    @MethodSource("cases")
    void matchesCentralFiniteDifferencesOfTheObjective(long seed, Spec spec, FollowerOperator op) {
        MarkovGame game = game(seed, spec, op);
        double[] logits = RandomInstances.logits(new SplitMixRandom(seed + 1000), spec.states(),
                spec.leaderActions());
        Hypergradient hg = ExactGameHypergradient.compute(game, logits);
        assertThat(hg.gradient()).hasSize(game.tabularLeaderDimension());
        assertThat(hg.objective()).isCloseTo(ExactGameHypergradient.objective(game, logits), within(1e-12));

        double[] fd = FiniteDifferences.central(t -> ExactGameHypergradient.objective(game, t), logits, STEP);
        assertThat(DenseMath.maxAbs(fd)).isGreaterThan(1e-2);
        assertThat(FiniteDifferences.relativeError(hg.gradient(), fd)).isLessThan(1e-6);
    }

    @Test
    void followerResponseTermIsNeededForTheMatch() {
        // Guard against a trivially passing check: the direct (leader policy-gradient) term alone, with
        // the follower frozen, is clearly different from the finite differences of J.
        Spec spec = new Spec(6, 3, 3, 1, 0.9, 0.9, 0.2);
        MarkovGame game = game(901, spec, FollowerOperator.SEQUENTIAL);
        double[] logits = RandomInstances.logits(new SplitMixRandom(902), 6, 3);
        double[] leaderPolicy = TabularSoftmaxPolicy.probabilities(logits, 6, 3);
        GameFollowerSolution follower = SoftQIteration.exact().solve(game, leaderPolicy, null);
        // J with the follower held fixed at its response to θ0.
        double[] frozen = FiniteDifferences.central(t -> {
            double[] joint = JointPolicy.of(TabularSoftmaxPolicy.probabilities(t, 6, 3), follower.policy(), 3,
                    game.followerActions());
            return PolicyEvaluation.initialValue(game.dynamics(),
                    PolicyEvaluation.evaluate(game.dynamics(), joint, game.leaderReward(), game.leaderDiscount())
                            .stateValues());
        }, logits, STEP);
        double[] full = ExactGameHypergradient.compute(game, leaderPolicy, follower).gradient();
        assertThat(FiniteDifferences.relativeError(frozen, full)).isGreaterThan(1e-3);
    }

    @Test
    void rejectsLogitsOfWrongLength() {
        MarkovGame game = RandomInstances.game(new SplitMixRandom(907), 3, 2, 2, 0, 0.9, 0.9, 0.5,
                FollowerOperator.SEQUENTIAL);
        assertThatThrownBy(() -> ExactGameHypergradient.compute(game, new double[5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("leaderLogits: expected 6 entries, got 5");
        assertThatThrownBy(() -> ExactGameHypergradient.objective(game, new double[7]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("leaderLogits");
    }

    @Test
    void singleLeaderActionHasZeroGradient() {
        MarkovGame game = RandomInstances.game(new SplitMixRandom(903), 5, 1, 3, 1, 0.9, 0.8, 0.5,
                FollowerOperator.AVERAGED);
        Hypergradient hg = ExactGameHypergradient.compute(game, new double[] {0.3, -1, 2, 0, 5});
        assertThat(hg.gradient()).containsOnly(0.0);
    }

    @Test
    void softmaxExpectationGradientMatchesFiniteDifferences() {
        SplitMixRandom rng = new SplitMixRandom(904);
        int states = 4;
        int nb = 3;
        double[] logits = RandomInstances.logits(rng, states, nb);
        double[] weight = RandomInstances.uniformVector(rng, states, -2, 2);
        weight[1] = 0.0;
        double[] u = RandomInstances.uniformVector(rng, states * nb, -2, 2);
        double[] grad = new double[states * nb];
        grad[0] = 1.0; // accumulates
        TabularSoftmaxPolicy.accumulateExpectationGradient(TabularSoftmaxPolicy.probabilities(logits, states, nb),
                states, nb, weight, u, grad);
        grad[0] -= 1.0;
        double[] fd = FiniteDifferences.central(t -> {
            double[] p = TabularSoftmaxPolicy.probabilities(t, states, nb);
            double sum = 0.0;
            for (int i = 0; i < p.length; i++) {
                sum += weight[i / nb] * p[i] * u[i];
            }
            return sum;
        }, logits, 1e-6);
        assertThat(grad).containsExactly(fd, within(1e-9));
    }

    @Test
    void jointPolicyIsAProductDistribution() {
        MarkovGame game = RandomInstances.game(new SplitMixRandom(905), 4, 2, 3, 1, 0.9, 0.9, 0.5,
                FollowerOperator.SEQUENTIAL);
        double[] leaderPolicy = TabularSoftmaxPolicy.probabilities(RandomInstances.logits(new SplitMixRandom(906),
                4, 2), 4, 2);
        double[] piF = SoftQIteration.exact().solve(game, leaderPolicy, null).policy();
        double[] joint = JointPolicy.of(leaderPolicy, piF, 2, 3);
        for (int s = 0; s < 4; s++) {
            double total = 0.0;
            for (int b = 0; b < 2; b++) {
                for (int a = 0; a < 3; a++) {
                    double p = joint[s * 6 + b * 3 + a];
                    assertThat(p).isCloseTo(leaderPolicy[s * 2 + b] * piF[(s * 2 + b) * 3 + a], within(1e-16));
                    total += p;
                }
            }
            assertThat(total).isCloseTo(1.0, within(1e-13));
        }
    }
}
