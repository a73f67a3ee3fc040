package dev.bilevel.learn.estimator.term;

import dev.bilevel.core.cmdp.RewardDesign;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.learn.critic.TabularLeaderCritic;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.EstimationTerms;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import java.util.Objects;

/**
 * The estimation terms of a leader that designs the follower's reward in a tabular configurable MDP (FourRooms,
 * problem files): the derivative of what it controls at step {@code k} is {@code ∇_x r_F(s_k,a_k)}, so every term
 * is a weight per visited {@code (s,a)} contracted once with the reward's Jacobian, at a cost per sample that does
 * not depend on {@code d}.
 *
 * <ul>
 *   <li>Direct term: {@link TabularDirectTerm} (the reference's episode-start mean, or per step).</li>
 *   <li>BC-HG: {@code benefit = Q̂_L(s,a) − Σ_b π_F(b|s) Q̂_L(s,b)} from the leader's critic; the row weight
 *       {@code α = γ_L^τ·benefit/(λN)}, optionally averaged over the batch's visits of {@code (s,a)} (the
 *       reference), times the tail {@code Σ_{k≥t} γ_F^{k−t} ∇r_F(s_k,a_k)} of the same trajectory.</li>
 *   <li>HPGD: {@code ∇Q_F − ∇V_F} from the tails averaged over all visits of {@code (s,a)} and of {@code s} (a state
 *       visited once gives no signal), with the leader's advantage from every-visit Monte-Carlo returns
 *       ({@link Advantage#MONTE_CARLO}), the critic ({@link Advantage#CRITIC}, the ablation that isolates the
 *       covariance trick) or an extra batch whose episodes start anywhere ({@link Advantage#ORACLE}, not
 *       decentralised).</li>
 * </ul>
 */
public final class RewardDesignTerms implements EstimationTerms<double[], TabularResponse, TabularBatch> {

    /** Where HPGD's leader advantage and its tables come from. */
    public enum Advantage {
        /** Every-visit Monte-Carlo leader returns (HPGD (MC)). */
        MONTE_CARLO,
        /** The leader's critic (HPGD (SA)). */
        CRITIC,
        /** Tables from an extra batch with resets anywhere (HPGD (oracle)). */
        ORACLE
    }

    /** Reset-anywhere rollouts for {@link Advantage#ORACLE}: a privileged simulator, not decentralised. */
    public record OracleAccess(TabularSampler sampler, double[] resetDistribution, int streams, int length) {
    }

    /**
     * Estimator options.
     *
     * @param everyVisitAveraging BC-HG: replace each row's weight by its mean over the batch's visits of
     *     {@code (s,a)} (the reference)
     * @param normalization divisor of the batch sums
     * @param direct how the direct term is estimated
     * @param advantage HPGD's advantage
     * @param oracle reset-anywhere access, for {@link Advantage#ORACLE} only
     */
    public record Options(boolean everyVisitAveraging, Normalization normalization, TabularDirectTerm direct,
            Advantage advantage, OracleAccess oracle) {

        /** Validates. */
        public Options {
            Objects.requireNonNull(normalization, "normalization");
            Objects.requireNonNull(direct, "direct");
            Objects.requireNonNull(advantage, "advantage");
            if (advantage == Advantage.ORACLE && oracle == null) {
                throw new IllegalArgumentException("the oracle advantage needs reset-anywhere rollouts");
            }
        }

        /**
         * The FourRooms reference implementation's choices: every-visit averaging, normalisation by completed
         * episodes, episode-start direct term, Monte-Carlo HPGD advantage.
         */
        public static Options reference() {
            return new Options(true, Normalization.COMPLETED_EPISODES, TabularDirectTerm.EPISODE_START_MEAN,
                    Advantage.MONTE_CARLO, null);
        }

        /** Per-sample tails, per-step direct term, one episode per stream. */
        public static Options unbiased() {
            return new Options(false, Normalization.STARTED_EPISODES, TabularDirectTerm.PER_STEP,
                    Advantage.MONTE_CARLO, null);
        }

        /** The same with another HPGD advantage. */
        public Options withAdvantage(Advantage other, OracleAccess access) {
            return new Options(everyVisitAveraging, normalization, direct, other, access);
        }

        /** The same with another normalisation. */
        public Options withNormalization(Normalization other) {
            return new Options(everyVisitAveraging, other, direct, advantage, oracle);
        }
    }

    private final RewardDesign design;
    private final TabularLeaderCritic critic;
    private final Options options;

    /**
     * @param design what the leader knows: its reward, {@code ∂r_F/∂x}, {@code γ_L}
     * @param critic the leader's critic (BC-HG, HPGD with the critic's advantage), or {@code null}
     * @param options estimator options
     */
    public RewardDesignTerms(RewardDesign design, TabularLeaderCritic critic, Options options) {
        this.design = Objects.requireNonNull(design, "design");
        this.critic = critic;
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Its critic's state, if it has a critic. */
    @Override
    public void saveState(StateWriter out) {
        out.write(critic);
    }

    @Override
    public void restoreState(StateReader in) {
        in.read(critic);
    }

    @Override
    public Pass open(Estimation<double[], TabularResponse, TabularBatch> estimation, Response response) {
        return new RewardPass(estimation, response);
    }

    /**
     * The direct term from a batch: {@code Σ W(s,a)·∇f(s,a;x)} with the weights of {@code term}.
     *
     * @param divisor the normaliser of {@link TabularDirectTerm#PER_STEP}
     */
    public static double[] direct(RewardDesign design, TabularBatch batch, double[] x, TabularDirectTerm term,
            double divisor) {
        double[] weights = new double[design.states() * design.actions()];
        term.accumulate(batch, design.leaderDiscount(), divisor, design.states(), design.actions(), weights);
        double[] direct = new double[design.dimension()];
        design.leaderReward().accumulateGradient(x, weights, direct);
        return direct;
    }

    private TabularLeaderCritic critic() {
        if (critic == null) {
            throw new IllegalStateException("this estimator needs the leader's critic");
        }
        return critic;
    }

    /** One estimate; rows are visited stream by stream, as {@link TrajectorySums#forEachRow}. */
    private final class RewardPass implements Pass {

        private final TabularBatch batch;
        private final TabularResponse follower;
        private final double[] x;
        private final SplitMixRandom rng;
        private final int[] rows;
        private final double divisor;
        private final double scale;
        /** Per row: BC-HG's benefit or HPGD's advantage. */
        private double[] signal;
        /** Per row: {@code γ_L^τ}, then the row's weight of its tail. */
        private double[] weight;
        private TabularBatch tables;
        private double[] pairSum;
        private double[] stateSum;

        RewardPass(Estimation<double[], TabularResponse, TabularBatch> estimation, Response response) {
            batch = estimation.data();
            follower = estimation.response();
            x = estimation.decision();
            rng = estimation.rng();
            rows = TrajectorySums.usedRows(batch);
            int actions = design.actions();
            double gammaL = design.leaderDiscount();
            divisor = options.normalization().divisor(batch);
            scale = 1.0 / (follower.temperature() * divisor);
            switch (response) {
                case COVARIANCE -> {
                    signal = criticAdvantage(design.leaderReward().evaluate(x), actions, gammaL);
                    weight = TrajectorySums.discountWeights(batch, gammaL);
                }
                case CENTRED -> openCentred(design.leaderReward().evaluate(x), actions, gammaL);
                case NONE -> {
                }
                default -> throw new IllegalStateException(response.toString());
            }
        }

        /** The critic, updated on the batch, centred under the follower's policy at every row. */
        private double[] criticAdvantage(double[] leaderReward, int actions, double gammaL) {
            double[] q = critic().update(batch, leaderReward, follower.policy(), gammaL, rng);
            return TrajectorySums.centredRowValues(batch, q, follower.policy(), actions);
        }

        private void openCentred(double[] leaderReward, int actions, double gammaL) {
            int states = design.states();
            tables = batch;
            weight = TrajectorySums.discountWeights(batch, gammaL);
            switch (options.advantage()) {
                case ORACLE -> {
                    OracleAccess oracle = options.oracle();
                    tables = oracle.sampler().sample(follower.policy(), oracle.streams(), oracle.length(),
                            oracle.resetDistribution(), rng);
                    double[] q = new double[states * actions];
                    double[] v = new double[states];
                    monteCarloTables(tables, leaderReward, gammaL, actions, q, v);
                    signal = new double[batch.size()];
                    TrajectorySums.forEachRow(batch, i -> {
                        int s = batch.states()[i];
                        signal[i] = q[s * actions + batch.actions()[i]] - v[s];
                    });
                }
                case CRITIC -> signal = criticAdvantage(leaderReward, actions, gammaL);
                case MONTE_CARLO -> {
                    double[] returns = TrajectorySums.returns(batch,
                            TrajectorySums.rowValues(batch, leaderReward, actions), gammaL);
                    double[] qMc = TrajectorySums.meanByStateAction(batch, returns, states, actions);
                    double[] vMc = TrajectorySums.meanByState(batch, returns, states);
                    signal = new double[batch.size()];
                    TrajectorySums.forEachRow(batch, i -> signal[i] = qMc[i] - vMc[i]);
                }
                default -> throw new IllegalStateException(options.advantage().toString());
            }
            pairSum = new double[states * actions];
            stateSum = new double[states];
        }

        @Override
        public int samples() {
            return rows.length;
        }

        /** The direct term is a whole-batch weighting (episode starts); it is formed in {@link #close()}. */
        @Override
        public void direct(int i) {
        }

        @Override
        public double benefit(int i) {
            return signal[rows[i]];
        }

        @Override
        public void covariance(int i, double benefit) {
            weight[rows[i]] *= benefit * scale;
        }

        @Override
        public double advantage(int i) {
            return signal[rows[i]];
        }

        @Override
        public void centred(int i, double advantage) {
            int row = rows[i];
            weight[row] *= advantage * scale;
            int s = batch.states()[row];
            pairSum[s * design.actions() + batch.actions()[row]] += weight[row];
            stateSum[s] += weight[row];
        }

        @Override
        public Estimate close() {
            double[] response = new double[design.dimension()];
            if (pairSum != null) {
                centredResponse(response);
            } else if (weight != null) {
                covarianceResponse(response);
            }
            return new Estimate(RewardDesignTerms.direct(design, batch, x, options.direct(), divisor), response);
        }

        /** BC-HG: {@code Σ_t α_t G_t} through the tails, contracted with {@code ∂r_F/∂x}. */
        private void covarianceResponse(double[] response) {
            double[] alpha = options.everyVisitAveraging()
                    ? TrajectorySums.meanByStateAction(batch, weight, design.states(), design.actions()) : weight;
            double[] responseWeights = new double[design.states() * design.actions()];
            TrajectorySums.accumulateTails(batch, alpha, follower.discount(), design.actions(), responseWeights);
            design.followerRewardJacobian().accumulateGradient(x, responseWeights, response);
        }

        /**
         * HPGD: {@code Σ_t β_t (Ḡ_Q(s_t,a_t) − Ḡ_V(s_t)) = Σ_u α_u G_u} over the tables batch, with
         * {@code α_u = B(s_u,a_u)/n(s_u,a_u) − C(s_u)/n(s_u)}, {@code B} and {@code C} the sums of {@code β} by pair
         * and by state.
         */
        private void centredResponse(double[] response) {
            int states = design.states();
            int actions = design.actions();
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
            design.followerRewardJacobian().accumulateGradient(x, responseWeights, response);
        }
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
