package dev.bilevel.learn.estimator.method;

import dev.bilevel.core.cmdp.RewardDesign;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.term.Normalization;
import dev.bilevel.learn.estimator.term.RewardDesignTerms;
import dev.bilevel.learn.estimator.term.TabularDirectTerm;
import dev.bilevel.learn.estimator.term.TrajectorySums;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.sampling.TabularBatch;

/**
 * SoBiRL (Yang, Gao, Yuan, AISTATS 2025) as in the BC-HG reference: a trajectory-level estimate of the
 * follower-response term, for each episode start
 * {@code (1/λ)·Q̂_L(s_0,a_0)·Σ_{k≥0} [∇_x r_F(s_k,a_k) − Σ_b π(b|s_k) ∇_x r_F(s_k,b)]} (undiscounted),
 * averaged over episode starts, plus the direct term. When the incentive does not depend on the
 * action (FourRooms) the bracket vanishes and SoBiRL equals Naive-PGD.
 */
public final class SoBiRlEstimator implements Estimator<double[], TabularResponse, TabularBatch> {

    private final RewardDesign leader;
    private final TabularDirectTerm directTerm;

    /**
     * @param leader what the leader knows
     * @param directTerm how the direct term is estimated
     */
    public SoBiRlEstimator(RewardDesign leader, TabularDirectTerm directTerm) {
        this.leader = leader;
        this.directTerm = directTerm;
    }

    @Override
    public Estimate estimate(Estimation<double[], TabularResponse, TabularBatch> context) {
        TabularBatch batch = context.data();
        TabularResponse follower = context.response();
        int states = leader.states();
        int actions = leader.actions();
        double[] leaderReward = leader.leaderReward().evaluate(context.decision());
        double[] returns = TrajectorySums.returns(batch, TrajectorySums.rowValues(batch, leaderReward, actions),
                leader.leaderDiscount());
        double[] qMc = TrajectorySums.meanByStateAction(batch, returns, states, actions);
        int starts = batch.startedEpisodes();
        double[] weights = new double[states * actions];
        if (starts > 0) {
            int length = batch.length();
            for (int e = 0; e < batch.streams(); e++) {
                int start = e * length;
                int end = start + batch.streamLength(e);
                for (int t0 = start; t0 < end; t0++) {
                    if (batch.times()[t0] != 0) {
                        continue;
                    }
                    double c = qMc[t0] / (follower.temperature() * starts);
                    for (int j = t0; j < end; j++) {
                        int s = batch.states()[j];
                        weights[s * actions + batch.actions()[j]] += c;
                        for (int b = 0; b < actions; b++) {
                            weights[s * actions + b] -= c * follower.policy()[s * actions + b];
                        }
                        if (!batch.hasSuccessor(j)) {
                            break;
                        }
                    }
                }
            }
        }
        double[] response = new double[leader.dimension()];
        leader.followerRewardJacobian().accumulateGradient(context.decision(), weights, response);
        double[] direct = RewardDesignTerms.direct(leader, batch, context.decision(), directTerm,
                Normalization.COMPLETED_EPISODES.divisor(batch));
        return new Estimate(direct, response);
    }
}
