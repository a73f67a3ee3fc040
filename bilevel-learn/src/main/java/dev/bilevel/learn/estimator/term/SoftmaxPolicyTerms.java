package dev.bilevel.learn.estimator.term;

import dev.bilevel.core.game.JointPolicy;
import dev.bilevel.core.game.TabularSoftmaxPolicy;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.learn.critic.TabularLeaderCritic;
import dev.bilevel.learn.estimator.BoltzmannCovariance;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.EstimationTerms;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.sampling.TabularBatch;
import java.util.Objects;

/**
 * The estimation terms of a tabular softmax leader {@code π_θ(b|s) = softmax(θ[s])} in a tabular Markov game, from
 * on-policy episodes over joint actions {@code j = b·A + a} (the game's dynamics rows, one episode per stream). The
 * decision is the logits {@code θ}, and with the follower observing {@code b} the hypergradient is
 *
 * <pre>E Σ_t γ_L^t [ ∇log π_θ(b_t|s_t)·(Q_L(s_t,b_t,a_t) − V_L(s_t))
 *               + (1/λ)·(Q_L(s_t,b_t,a_t) − Σ_a π_F(a|s_t,b_t) Q_L(s_t,b_t,a))·I_t ],</pre>
 *
 * where {@code I_t = Σ_{k>t} γ_F^{k−t} ∇log π_θ(b_k|s_k)·(W_F(s_k,b_k) − Σ_b π_θ(b|s_k) W_F(s_k,b))} is a Monte-Carlo
 * estimate of {@code ∇_θ Q_F(s_t,b_t,a_t)} from the same trajectory (tails by {@link BoltzmannCovariance#forward}).
 * The leader needs its own policy, its critic {@code Q_L(s,b,a)}, its reward and discount, and the follower's
 * observable policy and soft value {@code W_F}. Unbiased (up to the horizon) for the sequential follower backup;
 * for the reference's averaged backup {@code W_F} is not the quantity the follower's value averages, so the
 * estimate is slightly biased there. Every term is linear in {@code ∇log π_θ(b|s) = e_b − π_θ(·|s)}: the terms
 * accumulate one scalar per step and expand them once.
 */
public final class SoftmaxPolicyTerms implements EstimationTerms<double[], TabularGameResponse, TabularBatch> {

    private final int states;
    private final int nb;
    private final int na;
    private final double[] leaderReward;
    private final double leaderDiscount;
    private final TabularLeaderCritic critic;

    /**
     * @param states {@code S}
     * @param leaderActions {@code B}
     * @param followerActions {@code A}
     * @param leaderReward the leader's own reward {@code r_L} at {@code [s·B·A + b·A + a]}
     * @param leaderDiscount {@code γ_L}
     * @param critic the leader's critic over joint actions (exact or SARSA)
     */
    public SoftmaxPolicyTerms(int states, int leaderActions, int followerActions, double[] leaderReward,
            double leaderDiscount, TabularLeaderCritic critic) {
        if (leaderReward.length != states * leaderActions * followerActions) {
            throw new IllegalArgumentException("leader reward: expected " + states * leaderActions * followerActions
                    + " entries, got " + leaderReward.length);
        }
        this.states = states;
        this.nb = leaderActions;
        this.na = followerActions;
        this.leaderReward = leaderReward.clone();
        this.leaderDiscount = leaderDiscount;
        this.critic = Objects.requireNonNull(critic, "critic");
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
    public Pass open(Estimation<double[], TabularGameResponse, TabularBatch> estimation, Response response) {
        if (response == Response.CENTRED) {
            throw new UnsupportedOperationException("HPGD is not defined for Markov games");
        }
        return new SoftmaxPass(estimation);
    }

    /** One batch of episodes. */
    private final class SoftmaxPass implements Pass {

        private final TabularBatch batch;
        private final TabularGameResponse follower;
        private final double[] policy;
        private final double[] q;
        private final double[] value;
        private final double[] followerMean;
        private final double[] influenceBaseline;
        private final double[] leaderWeight;
        private final double[] alpha;
        private final int[] rows;
        private final double episodes;
        private final double[] direct;

        SoftmaxPass(Estimation<double[], TabularGameResponse, TabularBatch> e) {
            batch = e.data();
            follower = e.response();
            SplitMixRandom rng = e.rng();
            policy = TabularSoftmaxPolicy.probabilities(e.decision(), states, nb);
            int joint = nb * na;
            q = critic.update(batch, leaderReward, JointPolicy.of(policy, follower.policy(), nb, na), leaderDiscount,
                    rng);
            value = new double[states];
            followerMean = new double[states * nb];
            influenceBaseline = new double[states];
            for (int s = 0; s < states; s++) {
                for (int b = 0; b < nb; b++) {
                    double mean = 0.0;
                    for (int a = 0; a < na; a++) {
                        mean += follower.probability(s, b, a) * q[s * joint + b * na + a];
                    }
                    followerMean[s * nb + b] = mean;
                    value[s] += policy[s * nb + b] * mean;
                    influenceBaseline[s] += policy[s * nb + b] * follower.softValue(s, b);
                }
            }
            leaderWeight = TrajectorySums.discountWeights(batch, leaderDiscount);
            alpha = new double[batch.size()];
            rows = TrajectorySums.usedRows(batch);
            episodes = Math.max(1, batch.startedEpisodes());
            direct = new double[states * nb];
        }

        @Override
        public int samples() {
            return rows.length;
        }

        @Override
        public void direct(int k) {
            int i = rows[k];
            int s = batch.states()[i];
            int j = batch.actions()[i];
            direct[s * nb + j / na] += leaderWeight[i] * (q[s * nb * na + j] - value[s]) / episodes;
        }

        @Override
        public double benefit(int k) {
            int i = rows[k];
            int s = batch.states()[i];
            int j = batch.actions()[i];
            return q[s * nb * na + j] - followerMean[s * nb + j / na];
        }

        @Override
        public void covariance(int k, double benefit) {
            int i = rows[k];
            alpha[i] = leaderWeight[i] * benefit / follower.temperature();
        }

        @Override
        public Estimate close() {
            double[] response = new double[states * nb];
            BoltzmannCovariance.forward(batch, alpha, follower.discount(), 1, (i, c) -> {
                int s = batch.states()[i];
                int b = batch.actions()[i] / na;
                response[s * nb + b] += c * (follower.softValue(s, b) - influenceBaseline[s]) / episodes;
            });
            return new Estimate(expand(direct), expand(response));
        }

        /** {@code Σ w(s,b)·(e_b − π_θ(·|s))}: score weights to the gradient with respect to the logits. */
        private double[] expand(double[] weights) {
            double[] gradient = new double[states * nb];
            for (int s = 0; s < states; s++) {
                double total = 0.0;
                for (int b = 0; b < nb; b++) {
                    total += weights[s * nb + b];
                }
                for (int b = 0; b < nb; b++) {
                    gradient[s * nb + b] = weights[s * nb + b] - total * policy[s * nb + b];
                }
            }
            return gradient;
        }
    }
}
