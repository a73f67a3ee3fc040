package dev.bilevel.learn.follower.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.FollowerSolution;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.math.LogSumExp;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.sampling.LearningStream;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.testing.Instances;
import org.junit.jupiter.api.Test;

class SoftActorCriticFollowerTest {

    private static final Instances.Instance INSTANCE = Instances.cmdp(11,
            Instances.Spec.of(6, 3, 2, 1, 0.8, 0.9, 0.5).withUniformStart());

    private static SoftActorCriticFollower follower(ConfigurableMdp mdp, double temperature, double criticStep,
            double actorStep, double polyak, double exploration, double temperatureStep, double targetEntropy,
            int updatesPerStep, long seed) {
        return new SoftActorCriticFollower(mdp.states(), mdp.actions(), temperature, mdp.followerDiscount(),
                criticStep, actorStep, polyak, Exploration.constant(exploration), temperatureStep, targetEntropy, updatesPerStep, 5_000,
                new SplitMixRandom(seed));
    }

    /**
     * With its temperature fixed at the problem's λ, learning only from its own transitions, it reaches the
     * entropy-regularised optimum that soft policy iteration computes on the model (the same tolerances as the soft
     * Q-learner's: a constant critic step of 0.01 leaves a noise of a few hundredths).
     */
    @Test
    void withAFixedTemperatureItLearnsTheSoftOptimum() {
        ConfigurableMdp mdp = INSTANCE.mdp();
        double[] reward = mdp.followerReward().evaluate(INSTANCE.x());
        SoftActorCriticFollower sac = follower(mdp, mdp.temperature(), 0.01, 0.5, 0.05, 0.2, 0.0, 0.0, 1, 1);
        new LearningStream(mdp.dynamics(), 40, sac, 4).warmUp(reward, 100_000, new SplitMixRandom(2));

        FollowerSolution exact = SoftPolicyIteration.exact().solve(mdp.dynamics(), reward, mdp.followerDiscount(),
                mdp.temperature(), null);
        TabularResponse learned = sac.respond(INSTANCE.x());
        assertThat(learned.temperature()).isEqualTo(mdp.temperature());
        double worst = 0.0;
        double tv = 0.0;
        for (int s = 0; s < mdp.states(); s++) {
            if (mdp.dynamics().isTerminal(s)) {
                continue;
            }
            worst = Math.max(worst, Math.abs(learned.softValue()[s] - exact.softValue()[s]));
            for (int a = 0; a < mdp.actions(); a++) {
                int i = s * mdp.actions() + a;
                tv = Math.max(tv, Math.abs(learned.policy()[i] - (0.8 * exact.policy()[i] + 0.2 / mdp.actions())));
            }
        }
        assertThat(worst).as("largest error of V_F over non-terminal states").isLessThan(0.1);
        assertThat(tv).as("largest error of π_F(a|s)").isLessThan(0.05);
    }

    /**
     * The automatic temperature settles where the actor's entropy, averaged over the states the follower visits,
     * is the target, from a start too hot (α = 5) and from one too cold (α = 0.01); with the reference SACDiscrete's
     * sign, the first would heat up without end.
     */
    @Test
    void theAutomaticTemperatureHoldsTheTargetEntropy() {
        ConfigurableMdp mdp = INSTANCE.mdp();
        double[] reward = mdp.followerReward().evaluate(INSTANCE.x());
        double targetEntropy = 0.5;
        for (double start : new double[] {5.0, 0.01}) {
            SoftActorCriticFollower sac = follower(mdp, start, 0.05, 0.5, 0.05, 0.0, 0.002, targetEntropy, 1, 3);
            LearningStream stream = new LearningStream(mdp.dynamics(), 40, sac, 4);
            SplitMixRandom rng = new SplitMixRandom(4);
            stream.warmUp(reward, 50_000, rng);
            TabularBatch visits = stream.sample(reward, 5_000, rng);
            double[] policy = sac.respond(null).policy();
            double entropy = 0.0;
            int n = visits.usedRows();
            for (int row = 0; row < n; row++) {
                int s = visits.states()[row];
                for (int a = 0; a < mdp.actions(); a++) {
                    double p = policy[s * mdp.actions() + a];
                    entropy -= p > 0 ? p * Math.log(p) / n : 0.0;
                }
            }
            assertThat(entropy).as("visit-weighted entropy of the actor, from α = " + start)
                    .isCloseTo(targetEntropy, within(0.05));
            assertThat(sac.temperature()).as("α from " + start).isBetween(0.02, 4.0);
        }
    }

    /**
     * The lazy target critic is exact Polyak averaging: fed the same transitions, the follower answers as a
     * straightforward implementation that averages the whole target table after every update.
     */
    @Test
    void itsLazyTargetIsPolyakAveragingAfterEveryUpdate() {
        int states = 4;
        int actions = 3;
        double gamma = 0.9;
        double eta = 0.3;
        double beta = 0.4;
        double tau = 0.1;
        double alphaStep = 0.05;
        double entropyTarget = 0.6;
        SoftActorCriticFollower sac = new SoftActorCriticFollower(states, actions, 0.7, gamma, eta, beta, tau, Exploration.constant(0.0),
                alphaStep, entropyTarget, 1, 1, new SplitMixRandom(1));
        double[] q = new double[states * actions];
        double[] target = new double[states * actions];
        double[] logits = new double[states * actions];
        double logAlpha = Math.log(0.7);
        double[] p = new double[actions];
        SplitMixRandom draws = new SplitMixRandom(9);
        for (int t = 0; t < 300; t++) {
            int s = draws.nextInt(states);
            int a = draws.nextInt(actions);
            int next = draws.nextInt(states);
            boolean terminal = draws.nextInt(10) == 0;
            double r = draws.nextDouble() - 0.3;
            sac.learn(s, a, r, next, terminal);

            double alpha = Math.exp(logAlpha);
            double y = r;
            if (!terminal) {
                double lse = LogSumExp.softmax(logits, next * actions, actions, 1.0, p, 0);
                for (int b = 0; b < actions; b++) {
                    y += gamma * p[b] * (target[next * actions + b] - alpha * (logits[next * actions + b] - lse));
                }
            }
            q[s * actions + a] += eta * (y - q[s * actions + a]);
            for (int b = 0; b < actions; b++) {
                logits[s * actions + b] = (1 - beta) * logits[s * actions + b] + beta * q[s * actions + b] / alpha;
            }
            double lse = LogSumExp.softmax(logits, s * actions, actions, 1.0, p, 0);
            double h = 0.0;
            for (int b = 0; b < actions; b++) {
                h -= p[b] * (logits[s * actions + b] - lse);
            }
            logAlpha -= alphaStep * (h - entropyTarget);
            for (int i = 0; i < target.length; i++) {
                target[i] = (1 - tau) * target[i] + tau * q[i];
            }
        }
        TabularResponse answer = sac.respond(null);
        assertThat(sac.temperature()).isCloseTo(Math.exp(logAlpha), within(1e-12));
        for (int s = 0; s < states; s++) {
            double lse = LogSumExp.softmax(logits, s * actions, actions, 1.0, p, 0);
            double v = 0.0;
            for (int b = 0; b < actions; b++) {
                assertThat(answer.policy()[s * actions + b]).isCloseTo(p[b], within(1e-10));
                v += p[b] * (q[s * actions + b] - Math.exp(logAlpha) * (logits[s * actions + b] - lse));
            }
            assertThat(answer.softValue()[s]).as("V(" + s + ")").isCloseTo(v, within(1e-10));
        }
    }

    /** The policy it answers with is the distribution its actions are drawn from, exploration included. */
    @Test
    void itsAnsweredPolicyIsTheOneItActsBy() {
        ConfigurableMdp mdp = INSTANCE.mdp();
        double[] reward = mdp.followerReward().evaluate(INSTANCE.x());
        SoftActorCriticFollower sac = follower(mdp, 0.3, 0.2, 0.3, 0.1, 0.3, 0.0, 0.0, 1, 7);
        new LearningStream(mdp.dynamics(), 40, sac, 2).warmUp(reward, 2_000, new SplitMixRandom(8));
        double[] policy = sac.respond(null).policy();
        int draws = 100_000;
        for (int s = 0; s < mdp.states(); s++) {
            int[] counts = new int[mdp.actions()];
            for (int n = 0; n < draws; n++) {
                counts[sac.act(s)]++;
            }
            for (int a = 0; a < mdp.actions(); a++) {
                double pa = policy[s * mdp.actions() + a];
                double se = Math.sqrt(pa * (1 - pa) / draws);
                assertThat((double) counts[a] / draws).as("state " + s + ", action " + a)
                        .isCloseTo(pa, within(5 * se + 1e-9));
            }
        }
    }

    @Test
    void aRestoredFollowerGoesOnAsTheOriginalWould() {
        ConfigurableMdp mdp = INSTANCE.mdp();
        double[] reward = mdp.followerReward().evaluate(INSTANCE.x());
        SoftActorCriticFollower a = follower(mdp, 0.5, 0.1, 0.3, 0.02, 0.1, 0.01, 0.4, 3, 5);
        LearningStream streamA = new LearningStream(mdp.dynamics(), 9, a, 3);
        SplitMixRandom rngA = new SplitMixRandom(6);
        streamA.sample(reward, 50, rngA);
        StateWriter out = new StateWriter();
        a.saveState(out);
        streamA.saveState(out);

        SoftActorCriticFollower b = follower(mdp, 0.5, 0.1, 0.3, 0.02, 0.1, 0.01, 0.4, 3, 99);
        LearningStream streamB = new LearningStream(mdp.dynamics(), 9, b, 3);
        StateReader in = new StateReader(out.toByteArray());
        b.restoreState(in);
        streamB.restoreState(in);
        SplitMixRandom rngB = SplitMixRandom.restored(rngA.seed(), rngA.gamma());

        TabularBatch nextA = streamA.sample(reward, 50, rngA);
        TabularBatch nextB = streamB.sample(reward, 50, rngB);
        assertThat(nextB.actions()).containsExactly(nextA.actions());
        TabularResponse ra = a.respond(null);
        TabularResponse rb = b.respond(null);
        assertThat(rb.policy()).containsExactly(ra.policy());
        assertThat(rb.softValue()).containsExactly(ra.softValue());
        assertThat(b.temperature()).isEqualTo(a.temperature());
        assertThat(b.updates()).isEqualTo(a.updates()).isEqualTo(300);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new SoftActorCriticFollower(2, 2, 0.1, 0.9, 0.5, 0.0, 0.1, Exploration.constant(0.0), 0.0, 0.0, 1, 1,
                new SplitMixRandom(1))).hasMessageContaining("follower.actor_step");
        assertThatThrownBy(() -> new SoftActorCriticFollower(2, 2, 0.1, 0.9, 0.5, 0.5, 0.0, Exploration.constant(0.0), 0.0, 0.0, 1, 1,
                new SplitMixRandom(1))).hasMessageContaining("follower.target_update");
        assertThatThrownBy(() -> new SoftActorCriticFollower(2, 2, 0.1, 0.9, 0.5, 0.5, 0.1, Exploration.constant(0.0), -1.0, 0.0, 1, 1,
                new SplitMixRandom(1))).hasMessageContaining("follower.temperature_step");
        assertThatThrownBy(() -> new SoftActorCriticFollower(2, 2, 0.1, 0.9, 0.5, 0.5, 0.1, Exploration.constant(0.0), 0.1, 0.8, 1, 1,
                new SplitMixRandom(1))).hasMessageContaining("follower.target_entropy");
        assertThatThrownBy(() -> new SoftActorCriticFollower(2, 2, 0.1, 0.9, 2.0, 0.5, 0.1, Exploration.constant(0.0), 0.0, 0.0, 1, 1,
                new SplitMixRandom(1))).hasMessageContaining("follower.learning_rate");
    }
}
