package dev.bilevel.problems.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.tabular.TabularDynamics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RandomProblemsTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, -7})
    void deterministicPerSeed(long seed) {
        assertThat(ProblemFiles.write(RandomProblems.configurableMdp(seed, 12, 3, 4, 0.9, 0.1)))
                .isEqualTo(ProblemFiles.write(RandomProblems.configurableMdp(seed, 12, 3, 4, 0.9, 0.1)));
        assertThat(ProblemFiles.write(RandomProblems.markovGame(seed, 8, 2, 3, 0.9, 0.1, FollowerOperator.AVERAGED)))
                .isEqualTo(ProblemFiles.write(
                        RandomProblems.markovGame(seed, 8, 2, 3, 0.9, 0.1, FollowerOperator.AVERAGED)));
    }

    @Test
    void differentSeedsGiveDifferentProblems() {
        assertThat(ProblemFiles.write(RandomProblems.configurableMdp(1, 12, 3, 4, 0.9, 0.1)))
                .isNotEqualTo(ProblemFiles.write(RandomProblems.configurableMdp(2, 12, 3, 4, 0.9, 0.1)));
        assertThat(ProblemFiles.write(RandomProblems.markovGame(1, 8, 2, 3, 0.9, 0.1, FollowerOperator.SEQUENTIAL)))
                .isNotEqualTo(ProblemFiles.write(
                        RandomProblems.markovGame(2, 8, 2, 3, 0.9, 0.1, FollowerOperator.SEQUENTIAL)));
    }

    @ParameterizedTest
    @ValueSource(longs = {3, 4, 5, 6, 7})
    void configurableMdpsAreValidAndShapedAsDocumented(long seed) {
        ConfigurableMdpProblem p = RandomProblems.configurableMdp(seed, 40, 3, 5, 0.95, 0.2);
        ConfigurableMdp mdp = p.mdp();
        assertThat(ProblemFiles.parse(ProblemFiles.write(p))).isInstanceOf(ConfigurableMdpProblem.class);
        assertThat(mdp.states()).isEqualTo(40);
        assertThat(mdp.actions()).isEqualTo(3);
        assertThat(mdp.dimension()).isEqualTo(5);
        assertThat(mdp.followerDiscount()).isEqualTo(0.95);
        assertThat(mdp.leaderDiscount()).isEqualTo(0.95);
        assertThat(mdp.temperature()).isEqualTo(0.2);
        assertThat(boxed(p.parameters0())).hasSize(5).allSatisfy(v -> assertThat(v).isBetween(-1.0, 1.0));
        assertSparseRows(mdp.dynamics());
        assertThat(boxed(mdp.dynamics().initialDistribution())).allSatisfy(v -> assertThat(v).isPositive());
        double[] base = mdp.followerReward().evaluate(new double[5]);
        assertThat(boxed(base)).allSatisfy(v -> assertThat(v).isBetween(-1.0, 1.0));
        assertThat(boxed(mdp.leaderReward().evaluate(new double[5])))
                .allSatisfy(v -> assertThat(v).isBetween(-1.0, 1.0));
    }

    @Test
    void aboutOneStateInTenIsTerminalButNeverAll() {
        int terminal = 0;
        int total = 0;
        for (long seed = 0; seed < 20; seed++) {
            TabularDynamics dynamics = RandomProblems.configurableMdp(seed, 50, 2, 1, 0.9, 0.1).mdp().dynamics();
            for (int s = 0; s < 50; s++) {
                terminal += dynamics.isTerminal(s) ? 1 : 0;
            }
            total += 50;
        }
        // 1,000 Bernoulli(0.1) draws: mean 100, standard deviation 9.5.
        assertThat(terminal).isBetween(60, 140);
        for (long seed = 0; seed < 50; seed++) {
            assertThat(RandomProblems.configurableMdp(seed, 1, 2, 1, 0.9, 0.1).mdp().dynamics().isTerminal(0))
                    .isFalse();
            TabularDynamics two = RandomProblems.configurableMdp(seed, 2, 2, 1, 0.9, 0.1).mdp().dynamics();
            assertThat(two.isTerminal(0) && two.isTerminal(1)).isFalse();
        }
        assertThat(total).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(longs = {8, 9, 10})
    void markovGamesAreValidAndShapedAsDocumented(long seed) {
        MarkovGameProblem p = RandomProblems.markovGame(seed, 15, 2, 4, 0.8, 0.3, FollowerOperator.AVERAGED);
        MarkovGame game = p.game();
        assertThat(ProblemFiles.parse(ProblemFiles.write(p))).isInstanceOf(MarkovGameProblem.class);
        assertThat(game.states()).isEqualTo(15);
        assertThat(game.leaderActions()).isEqualTo(2);
        assertThat(game.followerActions()).isEqualTo(4);
        assertThat(game.operator()).isEqualTo(FollowerOperator.AVERAGED);
        assertThat(boxed(p.leaderLogits())).hasSize(30).allSatisfy(v -> assertThat(v).isBetween(-1.0, 1.0));
        assertThat(boxed(game.followerReward())).allSatisfy(v -> assertThat(v).isBetween(-1.0, 1.0));
        assertThat(boxed(game.leaderReward())).allSatisfy(v -> assertThat(v).isBetween(-1.0, 1.0));
        assertSparseRows(game.dynamics());
        for (int s = 0; s < 15; s++) {
            assertThat(game.dynamics().isTerminal(s)).isFalse();
        }
    }

    @Test
    void rejectsInvalidArguments() {
        assertThatThrownBy(() -> RandomProblems.configurableMdp(0, 0, 2, 1, 0.9, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RandomProblems.configurableMdp(0, 2, 2, 0, 0.9, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RandomProblems.configurableMdp(0, 2, 2, 1, 1.0, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RandomProblems.markovGame(0, 2, 0, 1, 0.9, 0.1, FollowerOperator.SEQUENTIAL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RandomProblems.markovGame(0, 2, 2, 2, 0.9, 0.0, FollowerOperator.SEQUENTIAL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Every row has 1 to min(S, 4) successors and sums to 1; across rows all counts occur. */
    private static void assertSparseRows(TabularDynamics dynamics) {
        int maxSuccessors = Math.min(dynamics.states(), 4);
        boolean[] seen = new boolean[maxSuccessors + 1];
        for (int row = 0; row < dynamics.states() * dynamics.actions(); row++) {
            int count = dynamics.rowStart(row + 1) - dynamics.rowStart(row);
            assertThat(count).isBetween(1, maxSuccessors);
            seen[count] = true;
            double sum = 0.0;
            for (int k = dynamics.rowStart(row); k < dynamics.rowStart(row + 1); k++) {
                sum += dynamics.probability(k);
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        }
        for (int count = 1; count <= maxSuccessors; count++) {
            assertThat(seen[count]).as("rows with %d successors", count).isTrue();
        }
    }

    private static java.util.List<Double> boxed(double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
