package dev.bilevel.learn.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.JointPolicy;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.game.SoftQIteration;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.follower.planning.TabularGameFollower;
import dev.bilevel.learn.testing.Instances;
import org.junit.jupiter.api.Test;

class GameEpisodeSamplerTest {

    private final MarkovGame game = Instances.randomGame(new SplitMixRandom(9), 5, 2, 3, FollowerOperator.SEQUENTIAL);
    private final double[] leader = {0.2, 0.8, 0.6, 0.4, 0.5, 0.5, 0.9, 0.1, 0.3, 0.7};
    private final TabularGameResponse follower = TabularGameFollower.response(game,
            SoftQIteration.exact().solve(game, leader, null));

    @Test
    void monteCarloReturnsMatchTheExactFiniteHorizonValues() {
        GameEpisodeSampler sampler = new GameEpisodeSampler(game, 30);
        int episodes = 40_000;
        double[] returns = new double[4 * episodes];
        sampler.play(leader, follower, false, episodes, null, returns, new SplitMixRandom(2));
        double[] joint = JointPolicy.of(leader, follower.policy(), game.leaderActions(), game.followerActions());
        double[][] expected = {
            {PolicyEvaluation.finiteHorizonReturn(game.dynamics(), joint, game.leaderReward(), game.leaderDiscount(),
                30)},
            {PolicyEvaluation.finiteHorizonReturn(game.dynamics(), joint, game.leaderReward(), 1.0, 30)},
            {PolicyEvaluation.finiteHorizonReturn(game.dynamics(), joint, game.followerReward(),
                game.followerDiscount(), 30)},
            {PolicyEvaluation.finiteHorizonReturn(game.dynamics(), joint, game.followerReward(), 1.0, 30)}};
        for (int k = 0; k < 4; k++) {
            double sum = 0.0;
            double sumSq = 0.0;
            for (int e = 0; e < episodes; e++) {
                sum += returns[4 * e + k];
                sumSq += returns[4 * e + k] * returns[4 * e + k];
            }
            double mean = sum / episodes;
            double se = Math.sqrt((sumSq / episodes - mean * mean) / episodes);
            assertThat(Math.abs(mean - expected[k][0])).as("return " + k).isLessThanOrEqualTo(4 * se);
        }
    }

    @Test
    void bufferRecordsEpisodeTimeLastStepAndSuccessors() {
        GameEpisodeSampler sampler = new GameEpisodeSampler(game, 7);
        GammaReplayBuffer buffer = new GammaReplayBuffer(100, game.leaderDiscount(), true);
        int steps = sampler.play(leader, follower, false, 3, buffer, null, new SplitMixRandom(5));
        assertThat(steps).isEqualTo(21);
        for (int i = 0; i < 21; i++) {
            assertThat(buffer.time(i)).isEqualTo(i % 7);
            assertThat(buffer.last(i)).isEqualTo(i % 7 == 6);
            int row = (buffer.state(i) * 2 + buffer.leaderAction(i)) * 3 + buffer.followerAction(i);
            assertThat(game.dynamics().probability(row, buffer.nextState(i))).isPositive();
            assertThat(buffer.leaderReward(i)).isEqualTo(game.leaderReward(row));
            if (!buffer.last(i)) {
                assertThat(buffer.state(i + 1)).isEqualTo(buffer.nextState(i));
            }
        }
    }

    @Test
    void exploringLeaderActsUniformly() {
        double[] greedy = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
        GameEpisodeSampler sampler = new GameEpisodeSampler(game, 50);
        GammaReplayBuffer buffer = new GammaReplayBuffer(20_000, 0.99, true);
        sampler.play(greedy, follower, true, 400, buffer, null, new SplitMixRandom(8));
        int ones = 0;
        for (int i = 0; i < buffer.size(); i++) {
            ones += buffer.leaderAction(i);
        }
        double n = buffer.size();
        assertThat(Math.abs(ones - n / 2)).isLessThanOrEqualTo(4 * Math.sqrt(n / 4));
    }
}
