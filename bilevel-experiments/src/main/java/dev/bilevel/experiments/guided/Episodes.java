package dev.bilevel.experiments.guided;

import dev.bilevel.core.game.ContinuousMarkovGame;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.learning.ContinuousSoftActorCritic;

/**
 * Episodes of a guided task with a {@link Wind} and a continuous learner that observes {@code [x, clip(a_L)]}. The
 * guided tasks' terminal states pay neither agent, so the step into one ends the episode for the learner as for the
 * reference (no bootstrapping from it), and the unpaid step in it is not played. Scratch is allocated once.
 */
final class Episodes {

    private final ContinuousMarkovGame game;
    private final int horizon;
    private final Wind windSource;
    private final int n;
    private final double[] state;
    private final double[] next;
    private final double[] observation;
    private final double[] nextObservation;
    private final double[] wind = new double[1];
    private final double[] action = new double[1];

    Episodes(ContinuousMarkovGame game, int horizon, Wind windSource) {
        this.game = game;
        this.horizon = horizon;
        this.windSource = windSource;
        this.n = game.stateDimension();
        state = new double[n];
        next = new double[n];
        observation = new double[n + 1];
        nextObservation = new double[n + 1];
    }

    /**
     * One episode in which the learner acts by its policy and learns after every step.
     *
     * @param totals receives {@code += [leader return, follower return, steps]}
     */
    void train(ContinuousSoftActorCritic learner, SplitMixRandom rng, double[] totals) {
        play(learner, rng, totals, true);
    }

    /**
     * One episode of the learner's deterministic actor, which learns nothing.
     *
     * @param totals receives {@code += [leader return, follower return, steps]}
     */
    void evaluate(ContinuousSoftActorCritic learner, SplitMixRandom rng, double[] totals) {
        play(learner, rng, totals, false);
    }

    private void play(ContinuousSoftActorCritic learner, SplitMixRandom rng, double[] totals, boolean training) {
        game.reset(rng, state, 0);
        wind[0] = windSource.draw(state, rng, training);
        for (int t = 0; t < horizon && !game.isTerminal(state, 0); t++) {
            System.arraycopy(state, 0, observation, 0, n);
            observation[n] = clip(wind[0]);
            if (training) {
                learner.act(observation, 0, action, 0);
            } else {
                learner.mean(observation, 0, action, 0);
            }
            double leaderReward = game.leaderReward(state, 0, wind, 0, action, 0);
            totals[0] += leaderReward;
            double reward = game.followerReward(state, 0, wind, 0, action, 0);
            totals[1] += reward;
            totals[2] += 1;
            game.step(state, 0, wind, 0, action, 0, rng, next, 0);
            double played = wind[0];
            wind[0] = windSource.draw(next, rng, training);
            if (training) {
                boolean terminated = game.isTerminal(next, 0);
                System.arraycopy(next, 0, nextObservation, 0, n);
                nextObservation[n] = clip(wind[0]);
                learner.learn(observation, action, reward, nextObservation, terminated);
                windSource.observe(state, played, action, leaderReward, reward, next, terminated,
                        terminated || t == horizon - 1, t);
            }
            System.arraycopy(next, 0, state, 0, n);
        }
    }

    private static double clip(double a) {
        return Math.max(-1.0, Math.min(1.0, a));
    }
}
