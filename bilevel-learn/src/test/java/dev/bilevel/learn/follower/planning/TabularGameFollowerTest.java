package dev.bilevel.learn.follower.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.GameFollowerSolution;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.game.SoftQIteration;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.follower.planning.TabularGameFollower.Behaviour;
import dev.bilevel.learn.testing.Instances;
import org.junit.jupiter.api.Test;

class TabularGameFollowerTest {

    private final MarkovGame game = Instances.randomGame(new SplitMixRandom(4), 6, 2, 3, FollowerOperator.AVERAGED);
    private final double[] leader = {0.3, 0.7, 0.5, 0.5, 0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.5, 0.5};

    @Test
    void answersUniformlyUntilTheFirstUpdate() {
        TabularGameFollower follower = new TabularGameFollower(game, Behaviour.REFERENCE, 0,
                new SplitMixRandom(1));
        for (double p : follower.initialResponse(leader).policy()) {
            assertThat(p).isEqualTo(1.0 / 3.0);
        }
    }

    @Test
    void referenceBehaviourIsWarmStartedSoftQIteration() {
        TabularGameFollower follower = new TabularGameFollower(game, Behaviour.REFERENCE, 0,
                new SplitMixRandom(1));
        TabularGameResponse response = follower.respond(leader);
        GameFollowerSolution expected = SoftQIteration.reference().solve(game, leader, null);
        assertThat(response.policy()).containsExactly(expected.policy());
        assertThat(follower.optimalityGap()).isNaN();
        follower.respond(leader);
        assertThat(follower.solution().sweeps()).isLessThanOrEqualTo(2);
    }

    @Test
    void truncatedFollowersReportTheirGapToTheConvergedOne() {
        TabularGameFollower carry = new TabularGameFollower(game, Behaviour.CARRY_Q, 1,
                new SplitMixRandom(1));
        carry.respond(leader);
        double first = carry.optimalityGap();
        assertThat(first).isPositive();
        for (int k = 0; k < 200; k++) {
            carry.respond(leader);
        }
        // Carrying its table, one sweep per iteration converges to the best response.
        assertThat(carry.optimalityGap()).isLessThan(1e-6 * Math.max(first, 1e-3));
        assertThat(carry.optimalResponse().policy())
                .containsExactly(SoftQIteration.reference().solve(game, leader, null).policy(),
                        org.assertj.core.data.Offset.offset(1e-4));

        TabularGameFollower reset = new TabularGameFollower(game, Behaviour.RESET_Q, 1,
                new SplitMixRandom(1));
        TabularGameFollower resetAgain = new TabularGameFollower(game, Behaviour.RESET_Q, 1,
                new SplitMixRandom(1));
        TabularGameResponse last = null;
        TabularGameResponse lastAgain = null;
        for (int k = 0; k < 5; k++) {
            last = reset.respond(leader);
            lastAgain = resetAgain.respond(leader);
        }
        assertThat(reset.optimalityGap()).isGreaterThan(1e-3);
        assertThat(last.policy()).containsExactly(lastAgain.policy());
    }
}
