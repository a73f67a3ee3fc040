package dev.bilevel.learn.critic;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.learn.sampling.TabularBatch;

/**
 * The exact {@code Q_L} of the current follower policy, computed from the model: a diagnostic
 * critic (it needs the model, which a decentralized leader does not have) that isolates an
 * estimator's Monte-Carlo error from the critic's error.
 */
public final class ExactLeaderCritic implements TabularLeaderCritic {

    private final TabularDynamics model;

    /** @param model the dynamics to evaluate on (for FourRooms the planning matrix) */
    public ExactLeaderCritic(TabularDynamics model) {
        this.model = model;
    }

    @Override
    public double[] update(TabularBatch batch, double[] leaderReward, double[] policy, double discount,
            SplitMixRandom rng) {
        return PolicyEvaluation.evaluate(model, policy, leaderReward, discount).actionValues();
    }
}
