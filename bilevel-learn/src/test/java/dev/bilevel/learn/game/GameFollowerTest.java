package dev.bilevel.learn.game;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.GameFollowerSolution;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.game.SoftQIteration;
import dev.bilevel.learn.testing.Instances;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GameFollowerTest {

    private final MarkovGame game = Instances.randomGame(new SplittableRandom(4), 6, 2, 3, FollowerOperator.AVERAGED);
    private final double[] leader = {0.3, 0.7, 0.5, 0.5, 0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.5, 0.5};

    @Test
    void answersUniformlyUntilTheFirstUpdate() {
        GameFollower follower = new GameFollower(game, GameFollower.Behaviour.REFERENCE, 0, new SplittableRandom(1));
        for (double p : follower.response().policy()) {
            assertThat(p).isEqualTo(1.0 / 3.0);
        }
    }

    @Test
    void referenceBehaviourIsWarmStartedSoftQIteration() {
        GameFollower follower = new GameFollower(game, GameFollower.Behaviour.REFERENCE, 0, new SplittableRandom(1));
        follower.update(leader);
        GameFollowerSolution expected = SoftQIteration.reference().solve(game, leader, null);
        assertThat(follower.response().policy()).containsExactly(expected.response().policy());
        assertThat(follower.optimalityGap()).isNaN();
        follower.update(leader);
        assertThat(follower.solution().sweeps()).isLessThanOrEqualTo(2);
    }

    @Test
    void truncatedFollowersReportTheirGapToTheConvergedOne() {
        GameFollower carry = new GameFollower(game, GameFollower.Behaviour.CARRY_Q, 1, new SplittableRandom(1));
        carry.update(leader);
        double first = carry.optimalityGap();
        assertThat(first).isPositive();
        for (int k = 0; k < 200; k++) {
            carry.update(leader);
        }
        // Carrying its table, one sweep per iteration converges to the best response.
        assertThat(carry.optimalityGap()).isLessThan(1e-6 * Math.max(first, 1e-3));
        assertThat(carry.optimalResponse().policy())
                .containsExactly(SoftQIteration.reference().solve(game, leader, null).response().policy(),
                        org.assertj.core.data.Offset.offset(1e-4));

        GameFollower reset = new GameFollower(game, GameFollower.Behaviour.RESET_Q, 1, new SplittableRandom(1));
        GameFollower resetAgain = new GameFollower(game, GameFollower.Behaviour.RESET_Q, 1, new SplittableRandom(1));
        for (int k = 0; k < 5; k++) {
            reset.update(leader);
            resetAgain.update(leader);
        }
        assertThat(reset.optimalityGap()).isGreaterThan(1e-3);
        assertThat(reset.response().policy()).containsExactly(resetAgain.response().policy());
    }
}
