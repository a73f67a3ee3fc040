package dev.bilevel.learn.estimator;

import dev.bilevel.learn.critic.TabularLeaderCritic;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.leader.LeaderKnowledge;
import dev.bilevel.learn.sampling.TabularBatch;

/**
 * BC-HG, the Boltzmann-covariance hypergradient estimator, for tabular configurable MDPs.
 *
 * <p>Because the follower plays {@code softmax(Q_F/λ)}, the follower-response term is
 * {@code (1/λ)·E Σ_t γ_L^t (Q_L − V_L)(s_t,a_t)·Ψ(s_t,a_t)} with {@code Ψ = ∇_x Q_F}. BC-HG takes
 * {@code Q_L} from a scalar critic, centres it by the <em>observed</em> follower policy
 * ({@code V_L(s) = Σ_a π(a|s) Q_L(s,a)}), and estimates {@code Ψ(s_t,a_t)} by the discounted tail sum
 * {@code G_t = Σ_{k≥t} γ_F^{k−t} ∇_x r_F(s_k,a_k)} of the same trajectory. No state needs to be
 * visited twice and nothing is learned per dimension of {@code x}.
 *
 * <p>Options reproduce the reference ({@link Options#reference()}: every-visit averaging of
 * {@code G} by {@code (s,a)}, normalisation by completed episodes, episode-start direct term) or give
 * the plain unbiased estimator ({@link Options#unbiased()}).
 */
public final class BoltzmannCovarianceEstimator implements CmdpEstimator {

    /**
     * Estimator options.
     *
     * @param everyVisitAveraging replace {@code G_t} by its mean over the batch's visits of {@code (s_t,a_t)}
     * @param normalization divisor of the batch sums
     * @param directTerm how the direct term is estimated
     */
    public record Options(boolean everyVisitAveraging, Normalization normalization, DirectTerm directTerm) {

        /** The FourRooms reference implementation's choices. */
        public static Options reference() {
            return new Options(true, Normalization.COMPLETED_EPISODES, DirectTerm.EPISODE_START_MEAN);
        }

        /** Per-sample tail sums, per-step direct term, one episode per stream. */
        public static Options unbiased() {
            return new Options(false, Normalization.STARTED_EPISODES, DirectTerm.PER_STEP);
        }
    }

    private final TabularLeaderCritic critic;
    private final Options options;

    /**
     * @param critic the leader's critic (tabular SARSA, or exact for diagnostics)
     * @param options estimator options
     */
    public BoltzmannCovarianceEstimator(TabularLeaderCritic critic, Options options) {
        this.critic = critic;
        this.options = options;
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
        double[] q = critic.update(batch, leaderReward, follower.policy(), leader.leaderDiscount(), context.rng());
        double divisor = options.normalization().divisor(batch);

        double[] benefitWeight = TrajectorySums.discountWeights(batch, leader.leaderDiscount());
        double[] benefit = TrajectorySums.centredRowValues(batch, q, follower.policy(), actions);
        double scale = 1.0 / (follower.temperature() * divisor);
        TrajectorySums.forEachRow(batch, i -> benefitWeight[i] *= benefit[i] * scale);
        double[] alpha = options.everyVisitAveraging()
                ? TrajectorySums.meanByStateAction(batch, benefitWeight, states, actions) : benefitWeight;
        double[] responseWeights = new double[states * actions];
        TrajectorySums.accumulateTails(batch, alpha, follower.discount(), actions, responseWeights);
        double[] response = new double[leader.dimension()];
        leader.followerReward().accumulateGradient(x, responseWeights, response);

        return new CmdpEstimate(direct(context, options.directTerm(), divisor), response);
    }

    /** The direct term of any estimator, from the batch. */
    static double[] direct(CmdpEstimationContext context, DirectTerm term, double divisor) {
        LeaderKnowledge leader = context.leader();
        double[] weights = new double[leader.states() * leader.actions()];
        term.accumulate(context.batch(), leader.leaderDiscount(), divisor, leader.states(), leader.actions(),
                weights);
        double[] direct = new double[leader.dimension()];
        leader.leaderReward().accumulateGradient(context.decision(), weights, direct);
        return direct;
    }
}
