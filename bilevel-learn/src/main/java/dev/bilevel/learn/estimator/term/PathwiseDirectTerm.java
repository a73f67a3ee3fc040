package dev.bilevel.learn.estimator.term;

import dev.bilevel.core.game.LeaderGameModel;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import java.util.Arrays;

/**
 * The direct part of the leader's gradient, {@code ∇_K J_L} with the follower's policy held fixed, by the
 * pathwise (reparameterisation) estimator along the episodes in a {@link ContinuousReplayBuffer}: each episode's
 * leader noise {@code ε_t = a_t − Kx_t}, follower noise {@code η_t = a_F,t − μ_F(x_t, a_t)} and process noise are
 * held fixed and the leader's discounted return is differentiated through
 *
 * <pre>
 * a_t = K x_t + ε_t      a_F,t = μ_F(x_t, a_t) + η_t      x_{t+1} = f(x_t, a_t, a_F,t) + ξ_t
 * J_x(t+1) = f_x J_x + f_a J_a + f_u J_u,   J_a = E(x_t) + K J_x,   J_u = μ_x J_x + μ_a J_a,   J_x(0) = 0
 * g = Σ_t γ_L^t (∇_x r_L·J_x + ∇_a r_L·J_a + ∇_u r_L·J_u)
 * </pre>
 *
 * ({@code E(x)} is {@code ∂(Kx)/∂K}). Unlike the score-function term it needs no leader critic and does not
 * degrade as the leader's noise {@code W} shrinks, but it needs the leader's model of the game
 * ({@link LeaderGameModel}) and the Jacobian of the follower's observed policy mean; it assumes both
 * policies' noise is additive with a covariance that does not depend on the state (true of a linear-Gaussian
 * leader and a MaxEnt-LQR follower). Each episode's {@code g} is divided by {@code Σ_t γ_L^t}, the
 * normalisation of the score-function term's {@code ∝ γ_L^t} batches, and the episodes are averaged, so the
 * result is on the scale of BC-HG's response term. Jacobians are evaluated along the stored states (the
 * trajectory of the policy that played it), as the score-function term evaluates its score on stored samples.
 * Scratch is allocated once; an instance is single-threaded.
 */
public final class PathwiseDirectTerm {

    private final LeaderGameModel game;
    private final int n;
    private final int m;
    private final int l;
    private final int p;
    private final double discount;
    private final double[] jx;
    private final double[] ja;
    private final double[] ju;
    private final double[] nextJx;
    private final double[] fx;
    private final double[] fa;
    private final double[] fu;
    private final double[] mu;
    private final double[] gx;
    private final double[] ga;
    private final double[] gu;
    private final double[] episode;

    /**
     * @param game the leader's model of the game
     * @param discount {@code γ_L}
     */
    public PathwiseDirectTerm(LeaderGameModel game, double discount) {
        this.game = LeaderGameModel.view(game);
        this.discount = discount;
        n = game.stateDimension();
        m = game.followerActionDimension();
        l = game.leaderActionDimension();
        p = l * n;
        jx = new double[n * p];
        ja = new double[l * p];
        ju = new double[m * p];
        nextJx = new double[n * p];
        fx = new double[n * n];
        fa = new double[n * l];
        fu = new double[n * m];
        mu = new double[m * (n + l)];
        gx = new double[n];
        ga = new double[l];
        gu = new double[m];
        episode = new double[p];
    }

    /**
     * Writes {@code weight} times the mean over the buffer's complete episodes of each episode's normalised
     * pathwise gradient into {@code out} ({@code l×n}, overwritten; zero when the buffer holds no complete
     * episode).
     *
     * @param policy {@code π_θ}, whose gain {@code K} is differentiated
     * @param follower the follower's observed policy, held fixed
     * @return the number of episodes averaged
     */
    public int estimate(ContinuousReplayBuffer buffer, LinearGaussianPolicy policy,
            GaussianGameResponse follower, double weight, double[] out) {
        Arrays.fill(out, 0.0);
        double[] gain = policy.gain();
        double[] states = buffer.states();
        double[] leaderActions = buffer.leaderActions();
        double[] followerActions = buffer.followerActions();
        int size = buffer.size();
        int episodes = 0;
        for (int start = 0; start < size; start++) {
            if (buffer.time(start) != 0) {
                continue;
            }
            Arrays.fill(jx, 0.0);
            Arrays.fill(episode, 0.0);
            double w = 1.0;
            double normaliser = 0.0;
            int j = start;
            boolean complete = false;
            for (int step = 0; step < size && buffer.time(j) == step; step++, w *= discount) {
                int xo = j * n;
                int ao = j * l;
                int uo = j * m;
                // J_a = E(x) + K J_x
                for (int r = 0; r < l; r++) {
                    for (int c = 0; c < p; c++) {
                        double sum = c / n == r ? states[xo + c % n] : 0.0;
                        for (int k = 0; k < n; k++) {
                            sum += gain[r * n + k] * jx[k * p + c];
                        }
                        ja[r * p + c] = sum;
                    }
                }
                // J_u = μ_x J_x + μ_a J_a
                follower.meanJacobian(states, xo, leaderActions, ao, n, l, m, mu);
                for (int r = 0; r < m; r++) {
                    int row = r * (n + l);
                    for (int c = 0; c < p; c++) {
                        double sum = 0.0;
                        for (int k = 0; k < n; k++) {
                            sum += mu[row + k] * jx[k * p + c];
                        }
                        for (int k = 0; k < l; k++) {
                            sum += mu[row + n + k] * ja[k * p + c];
                        }
                        ju[r * p + c] = sum;
                    }
                }
                game.leaderRewardGradient(states, xo, leaderActions, ao, followerActions, uo, gx, ga, gu);
                for (int c = 0; c < p; c++) {
                    double sum = 0.0;
                    for (int k = 0; k < n; k++) {
                        sum += gx[k] * jx[k * p + c];
                    }
                    for (int k = 0; k < l; k++) {
                        sum += ga[k] * ja[k * p + c];
                    }
                    for (int k = 0; k < m; k++) {
                        sum += gu[k] * ju[k * p + c];
                    }
                    episode[c] += w * sum;
                }
                normaliser += w;
                if (buffer.last(j)) {
                    complete = true;
                    break;
                }
                // J_x' = f_x J_x + f_a J_a + f_u J_u
                game.transitionJacobians(states, xo, leaderActions, ao, followerActions, uo, fx, fa, fu);
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < p; c++) {
                        double sum = 0.0;
                        for (int k = 0; k < n; k++) {
                            sum += fx[i * n + k] * jx[k * p + c];
                        }
                        for (int k = 0; k < l; k++) {
                            sum += fa[i * l + k] * ja[k * p + c];
                        }
                        for (int k = 0; k < m; k++) {
                            sum += fu[i * m + k] * ju[k * p + c];
                        }
                        nextJx[i * p + c] = sum;
                    }
                }
                System.arraycopy(nextJx, 0, jx, 0, jx.length);
                j = buffer.offset(j, 1);
            }
            if (!complete) {
                continue;
            }
            episodes++;
            for (int c = 0; c < p; c++) {
                out[c] += episode[c] / normaliser;
            }
        }
        if (episodes > 0) {
            for (int c = 0; c < p; c++) {
                out[c] *= weight / episodes;
            }
        }
        return episodes;
    }
}
