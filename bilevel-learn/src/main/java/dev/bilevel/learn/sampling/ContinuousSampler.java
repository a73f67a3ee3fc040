package dev.bilevel.learn.sampling;

import dev.bilevel.core.cmdp.ContinuousConfigurableMdp;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.GaussianResponse;

/**
 * Rolls out complete episodes of a configured continuous MDP under the follower's observed policy and records
 * what the leader's estimators need: states, actions, rewards, the leader's reward gradient, the transition
 * score of every transition (the leader knows how its decision enters the dynamics) and the follower's soft
 * value at every state. Each episode starts from a fresh reset; the reference's 10 parallel environments of
 * 1,000 steps with automatic reset hold the same 100 complete episodes.
 */
public final class ContinuousSampler {

    private ContinuousSampler() {
    }

    /**
     * @param mdp the configured MDP
     * @param follower the follower's response
     * @param episodes the number of episodes
     * @param rng the random stream (advanced)
     * @return the batch
     */
    public static ContinuousBatch sample(ContinuousConfigurableMdp mdp, ContinuousConfigurableMdp.Configured configured,
            GaussianResponse follower, int episodes, SplitMixRandom rng) {
        return sample(mdp, configured, follower, episodes, rng, true);
    }

    /**
     * @param mdp the problem (dimensions)
     * @param configured the configured MDP
     * @param follower the follower's response
     * @param episodes the number of episodes
     * @param rng the random stream (advanced; the same draws whether or not {@code leaderStatistics} is set)
     * @param leaderStatistics record the reward gradients, transition scores and follower values (an evaluation
     *     batch needs only states, actions and rewards; those arrays stay zero)
     * @return the batch
     */
    public static ContinuousBatch sample(ContinuousConfigurableMdp mdp, ContinuousConfigurableMdp.Configured configured,
            GaussianResponse follower, int episodes, SplitMixRandom rng, boolean leaderStatistics) {
        int n = mdp.stateDimension();
        int m = mdp.actionDimension();
        int d = mdp.decisionDimension();
        int c = mdp.leaderRewardComponents().size();
        int h = mdp.horizon();
        ContinuousBatch batch = new ContinuousBatch(episodes, h, n, m, d, c);
        double[] x = new double[n];
        double[] next = new double[n];
        double[] u = new double[m];
        double[] eps = new double[m];
        double[] comps = new double[c];
        double[] grad = new double[d];
        double[] score = new double[d];
        double[] mean = new double[n];
        double[] noise = leaderStatistics ? configured.transitionCovariance() : null;
        for (int e = 0; e < episodes; e++) {
            configured.reset(rng, x);
            for (int t = 0; t < h; t++) {
                int row = e * h + t;
                follower.sampleAction(x, 0, rng, eps, u, 0);
                System.arraycopy(x, 0, batch.states, row * n, n);
                System.arraycopy(u, 0, batch.actions, row * m, m);
                batch.leaderRewards[row] = configured.leaderReward(x, u, comps);
                System.arraycopy(comps, 0, batch.leaderRewardComponents, row * c, c);
                batch.followerRewards[row] = configured.followerReward(x, u);
                if (leaderStatistics) {
                    configured.leaderRewardGradient(x, u, grad);
                    System.arraycopy(grad, 0, batch.leaderRewardGradients, row * d, d);
                    batch.followerValues[row] = follower.softValue(x, 0);
                }
                if (t + 1 < h) {
                    configured.step(x, u, rng, next);
                    if (leaderStatistics) {
                        configured.transitionScore(x, u, next, score);
                        System.arraycopy(score, 0, batch.scores, (row + 1) * d, d);
                        configured.transitionMean(x, u, mean);
                        batch.expectedNextFollowerValues[row] = follower.expectedSoftValue(mean, noise);
                    }
                    double[] tmp = x;
                    x = next;
                    next = tmp;
                }
            }
        }
        return batch;
    }
}
