package dev.bilevel.learn.estimator;

import dev.bilevel.learn.critic.TabularLeaderCritic;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.sampling.TabularBatch;
import java.util.SplittableRandom;

/**
 * BC-HG for a tabular softmax leader in a Markov game, from independent episodes.
 *
 * <p>With {@code π_θ(b|s) = softmax(θ[s])} and the follower observing {@code b}, the hypergradient is
 * <pre>E Σ_t γ_L^t [ ∇log π_θ(b_t|s_t)·(Q_L(s_t,b_t,a_t) − V_L(s_t))
 *               + (1/λ)·(Q_L(s_t,b_t,a_t) − Σ_a π_F(a|s_t,b_t) Q_L(s_t,b_t,a))·I_t ],</pre>
 * where {@code I_t = Σ_{k>t} γ_F^{k−t} ∇log π_θ(b_k|s_k)·(W_F(s_k,b_k) − Σ_b π_θ(b|s_k) W_F(s_k,b))} is a
 * Monte-Carlo estimate of {@code ∇_θ Q_F(s_t,b_t,a_t)} from the same trajectory ("influence"). The
 * leader needs its own policy, its critic {@code Q_L(s,b,a)}, and the follower's observable policy
 * and soft value {@code W_F}. Unbiased (up to the horizon) for the sequential follower backup; for the
 * reference's averaged backup {@code W_F} is not the quantity the follower's value averages, so the
 * estimate is slightly biased there, as in the reference.
 *
 * <p>Batches are over joint actions {@code j = b·A + a} (the game's dynamics rows), one episode per
 * stream. Every term is linear in {@code ∇log π_θ(b|s) = e_b − π_θ(·|s)}, so the estimator accumulates
 * one scalar per step and expands them once.
 */
public final class GameBoltzmannCovarianceEstimator {

    private final TabularLeaderCritic critic;

    /** @param critic the leader's critic over joint actions (exact or SARSA) */
    public GameBoltzmannCovarianceEstimator(TabularLeaderCritic critic) {
        this.critic = critic;
    }

    /**
     * Estimates {@code ∇_θ J} from a batch of whole episodes.
     *
     * @param leaderPolicy {@code π_θ(b|s)} at {@code [s·B + b]}
     * @param follower the follower's observable response
     * @param leaderReward {@code r_L} at {@code [s·B·A + b·A + a]}
     * @param leaderDiscount {@code γ_L}
     * @return the gradient with respect to the logits, row-major {@code [s][b]}
     */
    public double[] estimate(TabularBatch batch, double[] leaderPolicy, TabularGameResponse follower,
            double[] leaderReward, double leaderDiscount, SplittableRandom rng) {
        int states = follower.states();
        int nb = follower.leaderActions();
        int na = follower.followerActions();
        int joint = nb * na;
        double[] jointPolicy = new double[states * joint];
        for (int s = 0; s < states; s++) {
            for (int b = 0; b < nb; b++) {
                for (int a = 0; a < na; a++) {
                    jointPolicy[s * joint + b * na + a] = leaderPolicy[s * nb + b] * follower.probability(s, b, a);
                }
            }
        }
        double[] q = critic.update(batch, leaderReward, jointPolicy, leaderDiscount, rng);
        double[] value = new double[states];
        double[] advantageOfFollower = new double[states * nb];
        for (int s = 0; s < states; s++) {
            for (int b = 0; b < nb; b++) {
                double mean = 0.0;
                for (int a = 0; a < na; a++) {
                    mean += follower.probability(s, b, a) * q[s * joint + b * na + a];
                }
                advantageOfFollower[s * nb + b] = mean;
                value[s] += leaderPolicy[s * nb + b] * mean;
            }
        }
        double[] influenceBaseline = new double[states];
        for (int s = 0; s < states; s++) {
            for (int b = 0; b < nb; b++) {
                influenceBaseline[s] += leaderPolicy[s * nb + b] * follower.softValue(s, b);
            }
        }
        // Per step k: coefficient of ∇log π_θ(b_k|s_k).
        double[] scoreWeight = new double[states * nb];
        int episodes = Math.max(1, batch.startedEpisodes());
        double gammaF = follower.discount();
        int length = batch.length();
        for (int e = 0; e < batch.streams(); e++) {
            double carry = 0.0;
            double leaderWeight = 1.0;
            int start = e * length;
            for (int i = start, end = start + batch.streamLength(e); i < end; i++) {
                if (batch.times()[i] == 0) {
                    carry = 0.0;
                    leaderWeight = 1.0;
                }
                int s = batch.states()[i];
                int j = batch.actions()[i];
                int b = j / na;
                double qsba = q[s * joint + j];
                double influence = carry * (follower.softValue(s, b) - influenceBaseline[s]);
                double direct = leaderWeight * (qsba - value[s]);
                scoreWeight[s * nb + b] += (direct + influence) / episodes;
                double benefit = qsba - advantageOfFollower[s * nb + b];
                carry = gammaF * (carry + leaderWeight * benefit / follower.temperature());
                leaderWeight *= leaderDiscount;
            }
        }
        // Expand Σ w(s,b)·(e_b − π_θ(·|s)).
        double[] gradient = new double[states * nb];
        for (int s = 0; s < states; s++) {
            double total = 0.0;
            for (int b = 0; b < nb; b++) {
                total += scoreWeight[s * nb + b];
            }
            for (int b = 0; b < nb; b++) {
                gradient[s * nb + b] = scoreWeight[s * nb + b] - total * leaderPolicy[s * nb + b];
            }
        }
        return gradient;
    }
}
