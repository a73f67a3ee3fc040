package dev.bilevel.core.cmdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.core.testing.RandomInstances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Constants and shapes rejected by {@link ConfigurableMdp} and {@link MarkovGame}, with named fields. */
class ModelValidationTest {

    private static final TabularDynamics DYNAMICS = RandomInstances.dynamics(new SplitMixRandom(1), 3, 2, 1);
    private static final TabularDynamics GAME_DYNAMICS = RandomInstances.dynamics(new SplitMixRandom(2), 3, 6, 1);

    private static ConfigurableMdp mdp(double gammaF, double gammaL, double lambda) {
        return new ConfigurableMdp(DYNAMICS, LinearFeatureReward.constant(3, 2, 2, new double[6]),
                LinearFeatureReward.constant(3, 2, 2, new double[6]), gammaF, gammaL, lambda);
    }

    private static MarkovGame game(double gammaF, double gammaL, double lambda) {
        return new MarkovGame(GAME_DYNAMICS, 2, 3, new double[18], new double[18], gammaF, gammaL, lambda,
                FollowerOperator.SEQUENTIAL);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.0, 1.5, -0.1, Double.NaN})
    void rejectsDiscountsOutsideUnitInterval(double discount) {
        assertThatThrownBy(() -> mdp(discount, 0.9, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("followerDiscount");
        assertThatThrownBy(() -> mdp(0.9, discount, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("leaderDiscount");
        assertThatThrownBy(() -> game(discount, 0.9, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("followerDiscount");
        assertThatThrownBy(() -> game(0.9, discount, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("leaderDiscount");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
    void rejectsNonPositiveTemperature(double lambda) {
        assertThatThrownBy(() -> mdp(0.9, 0.9, lambda)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("temperature");
        assertThatThrownBy(() -> game(0.9, 0.9, lambda)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("temperature");
    }

    @Test
    void acceptsBoundaryConstants() {
        assertThatCode(() -> mdp(0.0, 0.999999, 1e-3)).doesNotThrowAnyException();
        assertThatCode(() -> game(0.0, 0.999999, 1e-3)).doesNotThrowAnyException();
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThatThrownBy(() -> new ConfigurableMdp(DYNAMICS, LinearFeatureReward.constant(3, 3, 2, new double[9]),
                LinearFeatureReward.constant(3, 2, 2, new double[6]), 0.9, 0.9, 1.0))
                .hasMessageStartingWith("followerReward");
        assertThatThrownBy(() -> new ConfigurableMdp(DYNAMICS, LinearFeatureReward.constant(3, 2, 2, new double[6]),
                LinearFeatureReward.constant(3, 2, 3, new double[6]), 0.9, 0.9, 1.0))
                .hasMessageStartingWith("leaderReward");
        assertThatThrownBy(() -> new LinearFeatureReward(3, 2, 2, new double[5], new double[12]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinearFeatureReward(3, 2, 2, new double[6], new double[11]))
                .hasMessageStartingWith("features");
        assertThatThrownBy(() -> new MarkovGame(GAME_DYNAMICS, 3, 3, new double[18], new double[18], 0.9, 0.9, 1.0,
                FollowerOperator.SEQUENTIAL)).hasMessageStartingWith("transitions");
        assertThatThrownBy(() -> new MarkovGame(GAME_DYNAMICS, 2, 3, new double[17], new double[18], 0.9, 0.9, 1.0,
                FollowerOperator.SEQUENTIAL)).hasMessageStartingWith("followerReward");
        double[] nan = new double[18];
        nan[4] = Double.NaN;
        assertThatThrownBy(() -> new MarkovGame(GAME_DYNAMICS, 2, 3, new double[18], nan, 0.9, 0.9, 1.0,
                FollowerOperator.SEQUENTIAL)).hasMessageStartingWith("leaderReward");
    }

    @Test
    void gameCopiesRewardsAndParsesOperators() {
        double[] reward = new double[18];
        MarkovGame g = new MarkovGame(GAME_DYNAMICS, 2, 3, reward, reward, 0.9, 0.9, 1.0, FollowerOperator.AVERAGED);
        reward[0] = 5.0;
        assertThat(g.followerReward()[0]).isEqualTo(0.0);
        assertThat(g.withOperator(FollowerOperator.SEQUENTIAL).operator()).isEqualTo(FollowerOperator.SEQUENTIAL);
        assertThat(FollowerOperator.parse("Averaged")).isEqualTo(FollowerOperator.AVERAGED);
        assertThat(FollowerOperator.SEQUENTIAL.id()).isEqualTo("sequential");
        assertThatThrownBy(() -> FollowerOperator.parse("mean")).hasMessageStartingWith("followerOperator");
    }

    @Test
    void linearFeatureRewardEvaluatesAndContracts() {
        // r(s,a;x) = r0 + Φx on 1 state × 2 actions, d = 2.
        LinearFeatureReward r = new LinearFeatureReward(1, 2, 2, new double[] {1.0, -1.0},
                new double[] {2.0, 0.0, 0.5, -3.0});
        assertThat(r.evaluate(new double[] {1.0, 2.0})).containsExactly(3.0, -6.5);
        double[] g = {10.0, 0.0};
        r.accumulateGradient(new double[2], new double[] {1.0, 2.0}, g);
        assertThat(g).containsExactly(13.0, -6.0);
    }
}
