package dev.bilevel.learn.follower.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.FollowerSolution;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.sampling.LearningStream;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.testing.Instances;
import org.junit.jupiter.api.Test;

class SoftQLearningFollowerTest {

    private static final Instances.Instance INSTANCE = Instances.cmdp(11,
            Instances.Spec.of(6, 3, 2, 1, 0.8, 0.9, 0.5).withUniformStart());

    /**
     * Learning only from its own transitions in the stream, the follower's table reaches the entropy-regularised
     * optimum that soft policy iteration computes on the model, trying a random action one step in five. With a
     * constant step α = 0.01 the table keeps a noise of a few hundredths; a hard-max target would be off by up to
     * λ·log 3 ≈ 0.55, a missing discount by far more, and without exploration the actions it stops trying keep
     * their early values (a V error of 0.34 on this instance).
     */
    @Test
    void itLearnsTheSoftOptimumFromItsOwnExperience() {
        ConfigurableMdp mdp = INSTANCE.mdp();
        double[] reward = mdp.followerReward().evaluate(INSTANCE.x());
        SoftQLearningFollower follower = new SoftQLearningFollower(mdp.states(), mdp.actions(), mdp.temperature(),
                mdp.followerDiscount(), 0.01, 0.2, new SplitMixRandom(1));
        LearningStream stream = new LearningStream(mdp.dynamics(), 40, follower, 4);
        SplitMixRandom rng = new SplitMixRandom(2);
        stream.warmUp(reward, 100_000, rng);
        TabularBatch recorded = stream.sample(reward, 1, rng);
        assertThat(recorded.size()).as("the warm-up is not recorded").isEqualTo(4);

        FollowerSolution exact = SoftPolicyIteration.exact().solve(mdp.dynamics(), reward, mdp.followerDiscount(),
                mdp.temperature(), null);
        TabularResponse learned = follower.respond(INSTANCE.x());
        assertThat(follower.updates()).isEqualTo(400_004);
        double worst = 0.0;
        for (int s = 0; s < mdp.states(); s++) {
            if (!mdp.dynamics().isTerminal(s)) {
                worst = Math.max(worst, Math.abs(learned.softValue()[s] - exact.softValue()[s]));
            }
        }
        assertThat(worst).as("largest error of V_F over non-terminal states").isLessThan(0.1);
        double tv = 0.0;
        for (int i = 0; i < exact.policy().length; i++) {
            // what it plays: the soft optimum, mixed with its exploration ε = 0.2 over the A actions
            double plays = 0.8 * exact.policy()[i] + 0.2 / mdp.actions();
            tv = Math.max(tv, Math.abs(learned.policy()[i] - plays));
        }
        assertThat(tv).as("largest error of π_F(a|s)").isLessThan(0.05);
    }

    /** The policy it answers with is the distribution its actions are drawn from, exploration included. */
    @Test
    void itsAnsweredPolicyIsTheOneItActsBy() {
        ConfigurableMdp mdp = INSTANCE.mdp();
        double[] reward = mdp.followerReward().evaluate(INSTANCE.x());
        SoftQLearningFollower follower = new SoftQLearningFollower(mdp.states(), mdp.actions(), 0.3,
                mdp.followerDiscount(), 0.2, 0.3, new SplitMixRandom(7));
        new LearningStream(mdp.dynamics(), 40, follower, 2).warmUp(reward, 2_000, new SplitMixRandom(8));
        double[] policy = follower.respond(null).policy();
        int draws = 200_000;
        int actions = mdp.actions();
        for (int s = 0; s < mdp.states(); s++) {
            int[] counts = new int[actions];
            for (int n = 0; n < draws; n++) {
                counts[follower.act(s)]++;
            }
            for (int a = 0; a < actions; a++) {
                double p = policy[s * actions + a];
                double se = Math.sqrt(p * (1 - p) / draws);
                assertThat((double) counts[a] / draws).as("state " + s + ", action " + a)
                        .isCloseTo(p, org.assertj.core.data.Offset.offset(5 * se + 1e-9));
            }
        }
    }

    /**
     * Replayed updates make it learn more per environment step: after 3,000 steps its soft values are closer (mean
     * error 0.24 with 8 updates per step, 0.57 with 1).
     */
    @Test
    void updatesReplayedFromItsMemoryMakeItLearnFasterPerStep() {
        ConfigurableMdp mdp = INSTANCE.mdp();
        double[] reward = mdp.followerReward().evaluate(INSTANCE.x());
        FollowerSolution exact = SoftPolicyIteration.exact().solve(mdp.dynamics(), reward, mdp.followerDiscount(),
                mdp.temperature(), null);
        double[] error = new double[2];
        int[] rates = {1, 8};
        for (int k = 0; k < rates.length; k++) {
            SoftQLearningFollower follower = new SoftQLearningFollower(mdp.states(), mdp.actions(), mdp.temperature(),
                    mdp.followerDiscount(), 0.05, Exploration.constant(0.2), rates[k], 5_000, new SplitMixRandom(11));
            new LearningStream(mdp.dynamics(), 40, follower, 2).warmUp(reward, 1_500, new SplitMixRandom(12));
            assertThat(follower.updates()).isEqualTo(3_000);
            double[] v = follower.respond(null).softValue();
            int counted = 0;
            for (int s = 0; s < mdp.states(); s++) {
                if (!mdp.dynamics().isTerminal(s)) {
                    error[k] += Math.abs(v[s] - exact.softValue()[s]);
                    counted++;
                }
            }
            error[k] /= counted;
        }
        assertThat(error[1]).as("8 updates per step against 1").isLessThan(error[0] / 2);
    }

    @Test
    void theStreamRecordsWhatTheFollowerDidAndContinuesAcrossCalls() {
        ConfigurableMdp mdp = INSTANCE.mdp();
        double[] reward = mdp.followerReward().evaluate(INSTANCE.x());
        SoftQLearningFollower follower = new SoftQLearningFollower(mdp.states(), mdp.actions(), mdp.temperature(),
                mdp.followerDiscount(), 0.1, 0.0, new SplitMixRandom(3));
        LearningStream stream = new LearningStream(mdp.dynamics(), 7, follower, 2);
        SplitMixRandom rng = new SplitMixRandom(4);
        TabularBatch first = stream.sample(reward, 5, rng);
        TabularBatch second = stream.sample(reward, 5, rng);
        assertThat(follower.updates()).isEqualTo(20);
        // an episode that did not end in the first call goes on in the second: its time keeps counting
        int last = first.length() - 1;
        if (!first.done(last)) {
            assertThat(second.times()[0]).isEqualTo(first.times()[last] + 1);
        }
        for (int i = 0; i < second.size(); i++) {
            assertThat(second.times()[i]).isLessThan(7);
        }
    }

    @Test
    void aRestoredFollowerAndStreamGoOnAsTheOriginalsWould() {
        ConfigurableMdp mdp = INSTANCE.mdp();
        double[] reward = mdp.followerReward().evaluate(INSTANCE.x());
        SoftQLearningFollower a = new SoftQLearningFollower(mdp.states(), mdp.actions(), 0.5, 0.8, 0.1, Exploration.constant(0.1), 3, 40,
                new SplitMixRandom(5));
        LearningStream streamA = new LearningStream(mdp.dynamics(), 9, a, 3);
        SplitMixRandom rngA = new SplitMixRandom(6);
        streamA.sample(reward, 50, rngA);
        StateWriter out = new StateWriter();
        a.saveState(out);
        streamA.saveState(out);

        SoftQLearningFollower b = new SoftQLearningFollower(mdp.states(), mdp.actions(), 0.5, 0.8, 0.1, Exploration.constant(0.1), 3, 40,
                new SplitMixRandom(99));
        LearningStream streamB = new LearningStream(mdp.dynamics(), 9, b, 3);
        StateReader in = new StateReader(out.toByteArray());
        b.restoreState(in);
        streamB.restoreState(in);
        SplitMixRandom rngB = SplitMixRandom.restored(rngA.seed(), rngA.gamma());

        TabularBatch nextA = streamA.sample(reward, 50, rngA);
        TabularBatch nextB = streamB.sample(reward, 50, rngB);
        assertThat(nextB.states()).containsExactly(nextA.states());
        assertThat(nextB.actions()).containsExactly(nextA.actions());
        assertThat(b.respond(null).policy()).containsExactly(a.respond(null).policy());
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new SoftQLearningFollower(2, 2, 0.1, 0.9, 0.0, 0.0, new SplitMixRandom(1)))
                .hasMessageContaining("follower.learning_rate");
        assertThatThrownBy(() -> new SoftQLearningFollower(2, 2, 0.0, 0.9, 0.5, 0.0, new SplitMixRandom(1)))
                .hasMessageContaining("λ");
        assertThatThrownBy(() -> new SoftQLearningFollower(2, 2, 0.1, 0.9, 0.5, 1.5, new SplitMixRandom(1)))
                .hasMessageContaining("follower.exploration");
        assertThatThrownBy(() -> new SoftQLearningFollower(2, 2, 0.1, 0.9, 0.5, Exploration.constant(0.1), 0, 10, new SplitMixRandom(1)))
                .hasMessageContaining("follower.updates_per_step");
        assertThatThrownBy(() -> new SoftQLearningFollower(2, 2, 0.1, 0.9, 0.5, Exploration.constant(0.1), 2, 0, new SplitMixRandom(1)))
                .hasMessageContaining("follower.replay_capacity");
    }
}
