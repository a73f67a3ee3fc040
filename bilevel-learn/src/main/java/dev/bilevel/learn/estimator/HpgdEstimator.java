package dev.bilevel.learn.estimator;

import dev.bilevel.learn.critic.TabularLeaderCritic;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.leader.LeaderKnowledge;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;

/**
 * HPGD (Thoma et al., NeurIPS 2024) as re-implemented in the BC-HG reference: the follower-response
 * term in the form {@code (1/λ)·E Σ_t γ_L^t·Â_L(s_t,a_t)·(∇Q_F − ∇V_F)(s_t,a_t)}, centring on the
 * follower's side. {@code ∇V_F(s)} is a {@code d}-dimensional function of the state, estimated by
 * averaging the tail sums {@code G_t} over all visits of {@code s} in the batch; a state visited once
 * gives {@code Ḡ(s,a) − Ḡ(s) = 0}, so there is no signal without repeated visits.
 *
 * <ul>
 *   <li>{@link Variant#MONTE_CARLO} "HPGD (MC)": {@code Â_L} from every-visit Monte-Carlo leader returns.</li>
 *   <li>{@link Variant#SARSA} "HPGD (SA)": {@code Â_L} from BC-HG's SARSA critic; the ablation that
 *       isolates the covariance trick.</li>
 *   <li>{@link Variant#ORACLE} "HPGD (oracle)": all four tables from an extra batch whose episodes start
 *       anywhere (a simulator reset to arbitrary states, not decentralized-feasible), looked up at the
 *       on-policy pairs.</li>
 * </ul>
 */
public final class HpgdEstimator implements CmdpEstimator {

    /** Which data the advantage and the follower-gradient tables come from. */
    public enum Variant {
        /** Every-visit Monte-Carlo leader returns. */
        MONTE_CARLO,
        /** The SARSA leader critic. */
        SARSA,
        /** Tables from an extra batch with resets anywhere. */
        ORACLE
    }

    /** Access for the oracle variant: extra rollouts restarting from a chosen distribution. */
    public record OracleAccess(TabularSampler sampler, double[] resetDistribution, int streams, int length) {
    }

    private final Variant variant;
    private final TabularLeaderCritic critic;
    private final OracleAccess oracle;
    private final DirectTerm directTerm;

    private HpgdEstimator(Variant variant, TabularLeaderCritic critic, OracleAccess oracle, DirectTerm directTerm) {
        this.variant = variant;
        this.critic = critic;
        this.oracle = oracle;
        this.directTerm = directTerm;
    }

    /** HPGD (MC). */
    public static HpgdEstimator monteCarlo(DirectTerm directTerm) {
        return new HpgdEstimator(Variant.MONTE_CARLO, null, null, directTerm);
    }

    /** HPGD (SA), with the given (SARSA) critic. */
    public static HpgdEstimator sarsa(TabularLeaderCritic critic, DirectTerm directTerm) {
        return new HpgdEstimator(Variant.SARSA, critic, null, directTerm);
    }

    /** HPGD (oracle), with privileged reset-anywhere rollouts. */
    public static HpgdEstimator oracle(OracleAccess oracle, DirectTerm directTerm) {
        return new HpgdEstimator(Variant.ORACLE, null, oracle, directTerm);
    }

    @Override
    public CmdpEstimate estimate(CmdpEstimationContext context) {
        LeaderKnowledge leader = context.leader();
        TabularBatch batch = context.batch();
        TabularResponse follower = context.follower();
        int states = leader.states();
        int actions = leader.actions();
        double[] x = context.decision();
        double[] leaderReward = leader.leaderReward().evaluate(x);
        double divisor = Normalization.COMPLETED_EPISODES.divisor(batch);
        double scale = 1.0 / (follower.temperature() * divisor);
        double gammaL = leader.leaderDiscount();

        // The batch whose tail sums G estimate ∇Q_F and ∇V_F, and the on-policy weights β.
        TabularBatch tables = batch;
        double[] beta = TrajectorySums.discountWeights(batch, gammaL);
        double[] advantage;
        if (variant == Variant.ORACLE) {
            tables = oracle.sampler().sample(follower.policy(), oracle.streams(), oracle.length(),
                    oracle.resetDistribution(), context.rng());
            double[] q = new double[states * actions];
            double[] v = new double[states];
            monteCarloTables(tables, leaderReward, gammaL, actions, q, v);
            advantage = new double[batch.size()];
            TrajectorySums.forEachRow(batch, i -> {
                int s = batch.states()[i];
                advantage[i] = q[s * actions + batch.actions()[i]] - v[s];
            });
        } else if (variant == Variant.SARSA) {
            double[] q = critic.update(batch, leaderReward, follower.policy(), gammaL, context.rng());
            advantage = TrajectorySums.centredRowValues(batch, q, follower.policy(), actions);
        } else {
            double[] returns = TrajectorySums.returns(batch, TrajectorySums.rowValues(batch, leaderReward, actions),
                    gammaL);
            double[] qMc = TrajectorySums.meanByStateAction(batch, returns, states, actions);
            double[] vMc = TrajectorySums.meanByState(batch, returns, states);
            advantage = new double[batch.size()];
            TrajectorySums.forEachRow(batch, i -> advantage[i] = qMc[i] - vMc[i]);
        }
        TrajectorySums.forEachRow(batch, i -> beta[i] *= advantage[i] * scale);

        // Σ_t β_t (Ḡ_Q(s_t,a_t) − Ḡ_V(s_t)) = Σ_u α_u G_u over the tables batch, with
        // α_u = B(s_u,a_u)/n(s_u,a_u) − C(s_u)/n(s_u), B and C the sums of β by pair and by state.
        double[] pairSum = new double[states * actions];
        double[] stateSum = new double[states];
        TrajectorySums.forEachRow(batch, i -> {
            pairSum[batch.states()[i] * actions + batch.actions()[i]] += beta[i];
            stateSum[batch.states()[i]] += beta[i];
        });
        int[] pairCount = new int[states * actions];
        int[] stateCount = new int[states];
        TabularBatch source = tables;
        TrajectorySums.forEachRow(source, u -> {
            pairCount[source.states()[u] * actions + source.actions()[u]]++;
            stateCount[source.states()[u]]++;
        });
        double[] alpha = new double[source.size()];
        TrajectorySums.forEachRow(source, u -> {
            int s = source.states()[u];
            int key = s * actions + source.actions()[u];
            alpha[u] = pairSum[key] / pairCount[key] - stateSum[s] / stateCount[s];
        });
        double[] responseWeights = new double[states * actions];
        TrajectorySums.accumulateTails(source, alpha, follower.discount(), actions, responseWeights);
        double[] response = new double[leader.dimension()];
        leader.followerReward().accumulateGradient(x, responseWeights, response);
        return new CmdpEstimate(BoltzmannCovarianceEstimator.direct(context, directTerm, divisor), response);
    }

    /** Every-visit Monte-Carlo tables {@code Q̂(s,a)}, {@code V̂(s)} of the leader's return (0 where unvisited). */
    private static void monteCarloTables(TabularBatch batch, double[] leaderReward, double discount, int actions,
            double[] q, double[] v) {
        double[] returns = TrajectorySums.returns(batch, TrajectorySums.rowValues(batch, leaderReward, actions),
                discount);
        int[] pairCount = new int[q.length];
        int[] stateCount = new int[v.length];
        TrajectorySums.forEachRow(batch, i -> {
            int s = batch.states()[i];
            q[s * actions + batch.actions()[i]] += returns[i];
            pairCount[s * actions + batch.actions()[i]]++;
            v[s] += returns[i];
            stateCount[s]++;
        });
        for (int k = 0; k < q.length; k++) {
            q[k] = pairCount[k] > 0 ? q[k] / pairCount[k] : 0.0;
        }
        for (int s = 0; s < v.length; s++) {
            v[s] = stateCount[s] > 0 ? v[s] / stateCount[s] : 0.0;
        }
    }
}
