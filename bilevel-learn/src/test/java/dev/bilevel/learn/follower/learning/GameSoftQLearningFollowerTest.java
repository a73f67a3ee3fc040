package dev.bilevel.learn.follower.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.GameFollowerSolution;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.game.SoftQIteration;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.sampling.GameEpisodeSampler;
import dev.bilevel.learn.sampling.GammaReplayBuffer;
import dev.bilevel.problems.json.RandomProblems;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GameSoftQLearningFollowerTest {

    private static MarkovGame game(FollowerOperator operator) {
        return RandomProblems.markovGame(4, 5, 2, 3, 0.8, 0.5, operator).game();
    }

    private static double[] leaderPolicy(MarkovGame game) {
        double[] p = new double[game.states() * game.leaderActions()];
        SplitMixRandom rng = new SplitMixRandom(9);
        for (int s = 0; s < game.states(); s++) {
            double u = 0.2 + 0.6 * rng.nextDouble();
            p[s * 2] = u;
            p[s * 2 + 1] = 1 - u;
        }
        return p;
    }

    private static GameSoftQLearningFollower learner(MarkovGame game, double exploration, int updatesPerStep,
            long seed) {
        return new GameSoftQLearningFollower(game.states(), game.leaderActions(), game.followerActions(),
                game.temperature(), game.followerDiscount(), game.operator(), 0.02, Exploration.constant(exploration), 0.01, updatesPerStep,
                100, new SplitMixRandom(seed));
    }

    /**
     * Against a fixed leader, learning only from the episodes it plays (and estimating the leader's policy from the
     * actions it sees), it reaches the best response that soft Q-iteration computes with the leader's true policy, under
     * either backup: its soft values W(s,b) within 0.1 and its policy, exploration ε = 0.2 mixed in, within 0.05.
     */
    @ParameterizedTest
    @EnumSource(FollowerOperator.class)
    void itLearnsTheBestResponseOfEitherBackupFromItsOwnEpisodes(FollowerOperator operator) {
        MarkovGame game = game(operator);
        double[] leader = leaderPolicy(game);
        GameSoftQLearningFollower follower = learner(game, 0.2, 1, 1);
        int played = new GameEpisodeSampler(game, 20).play(leader, follower, false, 25_000, null, null,
                new SplitMixRandom(2));
        assertThat(follower.steps()).isEqualTo(played).isEqualTo(500_000);

        GameFollowerSolution exact = SoftQIteration.exact().solve(game, leader, null);
        TabularGameResponse learned = follower.respond(leader);
        double worstValue = 0.0;
        for (int i = 0; i < exact.softValue().length; i++) {
            worstValue = Math.max(worstValue, Math.abs(learned.softValue()[i] - exact.softValue()[i]));
        }
        assertThat(worstValue).as("largest error of W_F(s,b)").isLessThan(0.1);
        double worstPolicy = 0.0;
        for (int i = 0; i < exact.policy().length; i++) {
            double plays = 0.8 * exact.policy()[i] + 0.2 / game.followerActions();
            worstPolicy = Math.max(worstPolicy, Math.abs(learned.policy()[i] - plays));
        }
        assertThat(worstPolicy).as("largest error of π_F(a|s,b)").isLessThan(0.05);
    }

    /** The policy it answers with is the distribution its actions are drawn from. */
    @Test
    void itsAnsweredPolicyIsTheOneItActsBy() {
        MarkovGame game = game(FollowerOperator.SEQUENTIAL);
        GameSoftQLearningFollower follower = learner(game, 0.3, 1, 3);
        new GameEpisodeSampler(game, 20).play(leaderPolicy(game), follower, false, 200, null, null,
                new SplitMixRandom(4));
        double[] policy = follower.respond(null).policy();
        int draws = 100_000;
        int na = game.followerActions();
        for (int s = 0; s < game.states(); s++) {
            for (int b = 0; b < game.leaderActions(); b++) {
                int[] counts = new int[na];
                for (int n = 0; n < draws; n++) {
                    counts[follower.act(s, b)]++;
                }
                for (int a = 0; a < na; a++) {
                    double p = policy[(s * game.leaderActions() + b) * na + a];
                    double se = Math.sqrt(p * (1 - p) / draws);
                    assertThat((double) counts[a] / draws).as("s " + s + ", b " + b + ", a " + a)
                            .isCloseTo(p, Offset.offset(5 * se + 1e-9));
                }
            }
        }
    }

    @Test
    void aRestoredFollowerWithItsMemoryGoesOnAsTheOriginalWould() {
        MarkovGame game = game(FollowerOperator.AVERAGED);
        double[] leader = leaderPolicy(game);
        GameEpisodeSampler sampler = new GameEpisodeSampler(game, 15);
        GameSoftQLearningFollower a = learner(game, 0.1, 4, 5);
        SplitMixRandom rngA = new SplitMixRandom(6);
        sampler.play(leader, a, false, 30, null, null, rngA);
        StateWriter out = new StateWriter();
        a.saveState(out);
        GameSoftQLearningFollower b = learner(game, 0.1, 4, 77);
        b.restoreState(new StateReader(out.toByteArray()));
        SplitMixRandom rngB = SplitMixRandom.restored(rngA.seed(), rngA.gamma());

        GammaReplayBuffer bufferA = new GammaReplayBuffer(1_000, 0.9, false);
        GammaReplayBuffer bufferB = new GammaReplayBuffer(1_000, 0.9, false);
        sampler.play(leader, a, false, 30, bufferA, null, rngA);
        sampler.play(leader, b, false, 30, bufferB, null, rngB);
        assertThat(b.respond(null).policy()).containsExactly(a.respond(null).policy());
        assertThat(b.respond(null).softValue()).containsExactly(a.respond(null).softValue());
        assertThat(bufferB.size()).isEqualTo(bufferA.size());
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new GameSoftQLearningFollower(5, 2, 3, 0.5, 0.8, FollowerOperator.SEQUENTIAL, 0.0,
                Exploration.constant(0.1), 0.01, 1, 1, new SplitMixRandom(1))).hasMessageContaining("follower.learning_rate");
        assertThatThrownBy(() -> new GameSoftQLearningFollower(5, 2, 3, 0.5, 0.8, FollowerOperator.SEQUENTIAL, 0.5,
                Exploration.constant(-0.1), 0.01, 1, 1, new SplitMixRandom(1))).hasMessageContaining("follower.exploration");
        assertThatThrownBy(() -> new GameSoftQLearningFollower(5, 2, 3, 0.5, 0.8, FollowerOperator.SEQUENTIAL, 0.5,
                Exploration.constant(0.1), 0.0, 1, 1, new SplitMixRandom(1))).hasMessageContaining("follower.leader_estimate_step");
        assertThatThrownBy(() -> new GameSoftQLearningFollower(5, 2, 3, 0.5, 0.8, FollowerOperator.SEQUENTIAL, 0.5,
                Exploration.constant(0.1), 0.01, 0, 1, new SplitMixRandom(1))).hasMessageContaining("follower.updates_per_step");
    }
}
