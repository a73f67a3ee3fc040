package dev.bilevel.learn.estimator.method;

import dev.bilevel.core.cmdp.RewardDesign;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.learn.critic.SuccessorRepresentation;
import dev.bilevel.learn.critic.TabularLeaderCritic;
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
 * BC-HG in two phases (method {@code bchg-sr}, beyond the paper): plain BC-HG with the reference's
 * options to explore, then a low-variance form of the same covariance to refine.
 *
 * <p>Refinement replaces the two Monte-Carlo parts of BC-HG's response term
 * {@code (1/λ)·E Σ_t γ_L^t (Q_L − V_L)(s_t,a_t)·∇Q_F(s_t,a_t)}: the sampled action is replaced by
 * the sum over all actions weighted by the follower's observed policy,
 * {@code Σ_a π(a|s_t)(Q_L − V_L)(s_t,a)·∇Q_F(s_t,a)} (same expectation), and the tail sum of reward
 * gradients by {@code ∇Q_F = M·∇r_F} with the {@link SuccessorRepresentation} {@code M} learned by
 * TD from every batch of the run. Both use only what a decentralised leader has: its critic, the
 * follower's observed policy and the batches. The leader critic is the same persistent SARSA table
 * in both phases, updated once per iteration.
 *
 * <p>Why two phases: on FourRooms the exact hypergradient, followed from the paper's initial
 * incentives, removes every incentive (the objective's local ascent leads there), and so does BC-HG
 * with an exact leader critic; BC-HG's estimation noise is what carries the incentives out of that
 * basin. Refinement from the start falls into a poor local optimum too. Exploring first and refining
 * after keeps the escape and removes most of the noise floor that holds plain BC-HG below the local
 * optimum it found (docs/results/four-rooms.md).
 */
public final class SuccessorRefinedEstimator implements Estimator<double[], TabularResponse, TabularBatch> {

    private final RewardDesign leader;
    private final BchgEstimator<double[], TabularResponse, TabularBatch> explorer;
    private final TabularLeaderCritic critic;
    private final SuccessorRepresentation successor;
    private final int refineFrom;

    /**
     * @param leader what the leader knows
     * @param critic the leader's critic, shared by both phases
     * @param successor the follower's successor representation, updated on every batch
     * @param refineFrom the first iteration of the refinement phase (0: refine from the start)
     */
    public SuccessorRefinedEstimator(RewardDesign leader, TabularLeaderCritic critic, SuccessorRepresentation successor,
            int refineFrom) {
        if (refineFrom < 0) {
            throw new IllegalArgumentException("refinement start must be ≥ 0, got " + refineFrom);
        }
        this.leader = leader;
        this.explorer = new BchgEstimator<>(new RewardDesignTerms(leader, critic,
                RewardDesignTerms.Options.reference()));
        this.critic = critic;
        this.successor = successor;
        this.refineFrom = refineFrom;
    }

    /** Its explorer's state, its critic's (the same critic, when they share it) and its successor table. */
    @Override
    public void saveState(StateWriter out) {
        explorer.saveState(out);
        critic.saveState(out);
        successor.saveState(out);
    }

    @Override
    public void restoreState(StateReader in) {
        explorer.restoreState(in);
        critic.restoreState(in);
        successor.restoreState(in);
    }

    @Override
    public Estimate estimate(Estimation<double[], TabularResponse, TabularBatch> context) {
        TabularResponse follower = context.response();
        TabularBatch batch = context.data();
        successor.update(batch, follower.discount());
        if (context.iteration() < refineFrom) {
            return explorer.estimate(context);
        }
        int actions = leader.actions();
        double[] x = context.decision();
        double[] policy = follower.policy();
        double[] q = critic.update(batch, leader.leaderReward().evaluate(x), policy, leader.leaderDiscount(),
                context.rng());
        double divisor = Normalization.COMPLETED_EPISODES.divisor(batch);
        double[] discountWeight = TrajectorySums.discountWeights(batch, leader.leaderDiscount());
        double scale = 1.0 / (follower.temperature() * divisor);

        double[] weights = new double[leader.states() * actions];
        int[] states = batch.states();
        TrajectorySums.forEachRow(batch, i -> {
            int base = states[i] * actions;
            double value = 0.0;
            for (int a = 0; a < actions; a++) {
                value += policy[base + a] * q[base + a];
            }
            double w = discountWeight[i] * scale;
            for (int a = 0; a < actions; a++) {
                weights[base + a] += w * policy[base + a] * (q[base + a] - value);
            }
        });
        double[] rewardWeights = new double[weights.length];
        successor.propagate(weights, rewardWeights);
        double[] response = new double[leader.dimension()];
        leader.followerRewardJacobian().accumulateGradient(x, rewardWeights, response);
        return new Estimate(RewardDesignTerms.direct(leader, batch, x, TabularDirectTerm.EPISODE_START_MEAN, divisor),
                response);
    }
}
