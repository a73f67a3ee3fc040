package dev.bilevel.learn.critic;

import dev.bilevel.core.game.LeaderValue;
import dev.bilevel.core.game.LeaderValueModel;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.follower.LinearGaussianGameResponse;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import java.util.Objects;

/**
 * The leader's critic computed, not fitted: its exact {@code Q_L} from its own model of the game
 * ({@link LeaderValueModel}), its own policy and the follower's observed linear-Gaussian policy. No follower internals
 * enter (no reward, no Riccati solution), only the policy the leader observes; with that policy the follower's true
 * one, this is the exact critic, the top rung of a critic ladder.
 *
 * <p>With {@code h} steps left in the episode (the row's own step included) and the reward on the state only,
 * {@code Q_L(x, a_F, a_L) = r_L(x) + γ·V^{h−1}(f(x, a_L, a_F))}. Two terms of BC-HG read it:
 * <ul>
 *   <li>the <b>benefit</b> {@code Q_L(x, a_F, a_L) − E_{ũ~π_F}Q_L(x, ũ, a_L)}, whose baseline is itself in closed
 *       form: the successor of {@code ũ ~ N(μ_F, Σ)} is Gaussian around the successor of the mean with covariance
 *       {@code BΣBᵀ} ({@code B = ∂f/∂a_F}), so it is {@code V^{h−1}} from that Gaussian start;</li>
 *   <li>the <b>direct term</b> by reparameterisation, {@code ∇_K E_a Q̄(x, a) = E[∇_a Q̄(x, a)·xᵀ]} with the
 *       follower's policy held fixed, {@code Q̄(x, a) = E_{ũ~π_F(·|x,a)}Q_L(x, ũ, a)}, whose action gradient is
 *       {@code γ·(∂f/∂a_L + ∂f/∂a_F·G_a)ᵀ ∇V̄(f(x, a, μ_F(x, a)))}.</li>
 * </ul>
 * {@link #prepare} builds both values for the current pair of policies (cost {@code O(H·n³)}); each row then costs
 * {@code O(h·n²)}. Scratch is allocated once: an instance is single-threaded.
 */
public final class ModelLeaderCritic {

    private final LeaderValueModel model;
    private final double discount;
    private final int horizon;
    private final int n;
    private final int m;
    private final int l;
    private final double[] next;
    private final double[] followerMean;
    private final double[] valueGradient;
    private final double[] dx;
    private final double[] dLeader;
    private final double[] dFollower;
    private final double[] meanJacobian;
    private final double[] startCovariance;
    private final double[] meanSuccessor;
    private final double[] draw;
    private final double[] normal;
    private double[] centre = new double[0];
    private double[] influence = new double[0];
    private double[] cholesky;
    private LinearGaussianGameResponse follower;
    private LeaderValue value;
    private LeaderValue averaged;

    /**
     * @param model the leader's model of the game (a view is kept)
     * @param discount {@code γ_L}
     * @param horizon the episode length {@code H}: a row has at most {@code H} steps left
     */
    public ModelLeaderCritic(LeaderValueModel model, double discount, int horizon) {
        this.model = LeaderValueModel.view(Objects.requireNonNull(model, "model"));
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be ≥ 1, got " + horizon);
        }
        this.discount = discount;
        this.horizon = horizon;
        n = model.stateDimension();
        m = model.followerActionDimension();
        l = model.leaderActionDimension();
        next = new double[n];
        followerMean = new double[m];
        valueGradient = new double[n];
        dx = new double[n * n];
        dLeader = new double[n * l];
        dFollower = new double[n * m];
        meanJacobian = new double[m * (n + l)];
        startCovariance = new double[n * n];
        meanSuccessor = new double[n];
        draw = new double[m];
        normal = new double[m];
    }

    /** A vector function of the successor state, {@code out[0…p) = g(y)}. */
    @FunctionalInterface
    public interface SuccessorFunction {
        /** Writes {@code g(y)}, {@code y = states[offset … offset + n)}. */
        void at(double[] states, int offset, double[] out);
    }

    /**
     * Builds the values for the current policies.
     *
     * @throws IllegalArgumentException when the follower's observed policy is not linear-Gaussian
     */
    public void prepare(LinearGaussianPolicy policy, GaussianGameResponse response) {
        if (!(response instanceof LinearGaussianGameResponse linear)) {
            throw new IllegalArgumentException("the leader's model critic needs a follower whose observed policy is "
                    + "linear-Gaussian, got " + response.getClass().getSimpleName());
        }
        follower = linear;
        double[] gain = linear.meanGain();
        cholesky = linear.covarianceCholesky();
        value = model.leaderValue(policy.gain(), policy.noise(), gain, cholesky, new double[n * n], discount,
                horizon - 1);
        // BΣBᵀ = (BL)(BL)ᵀ, B = ∂f/∂a_F (constant for the linear games this model describes).
        model.transitionJacobians(next, 0, new double[l], 0, new double[m], 0, dx, dLeader, dFollower);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int k = 0; k < m; k++) {
                    double bi = 0.0;
                    double bj = 0.0;
                    for (int s = k; s < m; s++) { // L is lower triangular
                        bi += dFollower[i * m + s] * cholesky[s * m + k];
                        bj += dFollower[j * m + s] * cholesky[s * m + k];
                    }
                    sum += bi * bj;
                }
                startCovariance[i * n + j] = sum;
            }
        }
        averaged = model.leaderValue(policy.gain(), policy.noise(), gain, cholesky, startCovariance, discount,
                horizon - 1);
    }

    /**
     * {@code Q_L(x, a_F, a_L) − E_{ũ~π_F}Q_L(x, ũ, a_L)} with {@code steps} steps left (the row's included).
     */
    public double benefit(double[] x, int xOffset, double[] followerAction, int followerOffset,
            double[] leaderAction, int leaderOffset, int steps) {
        int toGo = Math.min(steps, horizon) - 1;
        model.transitionMean(x, xOffset, leaderAction, leaderOffset, followerAction, followerOffset, next, 0);
        double sampled = value.at(next, 0, toGo);
        follower.mean(x, xOffset, leaderAction, leaderOffset, followerMean, 0);
        model.transitionMean(x, xOffset, leaderAction, leaderOffset, followerMean, 0, next, 0);
        return discount * (sampled - averaged.at(next, 0, toGo));
    }

    /**
     * Adds {@code weight·Cov_{ũ~π_F}(Q_L(x, ũ, a_L), g(f(x, a_L, ũ)))} to {@code out[0…p)}, Rao-Blackwellised over
     * the follower's action: {@code draws} mirrored pairs {@code ũ = μ_F ± Lz} (the leader's own draws from the
     * policy it observes), each term {@code (Q_L − E Q_L)·(g − g(f(x, a_L, μ_F)))}. The value's mean is exact, so the
     * centring of {@code g} changes nothing in expectation and removes its large mean from the product.
     *
     * @param steps steps left in the episode, the row's included
     * @param draws mirrored pairs ({@code ≥ 1})
     * @param g the function, {@code p} outputs
     */
    public void accumulateCovariance(double[] x, int xOffset, double[] leaderAction, int leaderOffset, int steps,
            int draws, SplitMixRandom rng, SuccessorFunction g, int p, double weight,
            double[] out) {
        if (centre.length < p) {
            centre = new double[p];
            influence = new double[p];
        }
        int toGo = Math.min(steps, horizon) - 1;
        follower.mean(x, xOffset, leaderAction, leaderOffset, followerMean, 0);
        model.transitionMean(x, xOffset, leaderAction, leaderOffset, followerMean, 0, meanSuccessor, 0);
        double mean = averaged.at(meanSuccessor, 0, toGo);
        g.at(meanSuccessor, 0, centre);
        double scale = weight * discount / (2.0 * draws);
        for (int j = 0; j < draws; j++) {
            for (int i = 0; i < m; i++) {
                normal[i] = rng.nextGaussian();
            }
            for (int sign = -1; sign <= 1; sign += 2) {
                for (int i = 0; i < m; i++) {
                    double sum = 0.0;
                    for (int k = 0; k <= i; k++) {
                        sum += cholesky[i * m + k] * normal[k];
                    }
                    draw[i] = sign * sum;
                }
                // f is linear in a_F here: f(x, a_L, μ + δ) = f(x, a_L, μ) + (∂f/∂a_F)·δ.
                for (int r = 0; r < n; r++) {
                    double sum = meanSuccessor[r];
                    for (int i = 0; i < m; i++) {
                        sum += dFollower[r * m + i] * draw[i];
                    }
                    next[r] = sum;
                }
                double deviation = value.at(next, 0, toGo) - mean;
                g.at(next, 0, influence);
                for (int c = 0; c < p; c++) {
                    out[c] += scale * deviation * (influence[c] - centre[c]);
                }
            }
        }
    }

    /**
     * Adds {@code weight·∇_a Q̄(x, a)·xᵀ} at {@code a = a_L} to {@code out} ({@code l×n}, the gain's layout), with
     * {@code steps} steps left.
     */
    public void accumulateDirect(double[] x, int xOffset, double[] leaderAction, int leaderOffset, int steps,
            double weight, double[] out) {
        int toGo = Math.min(steps, horizon) - 1;
        follower.mean(x, xOffset, leaderAction, leaderOffset, followerMean, 0);
        model.transitionMean(x, xOffset, leaderAction, leaderOffset, followerMean, 0, next, 0);
        averaged.gradient(next, 0, toGo, valueGradient);
        model.transitionJacobians(x, xOffset, leaderAction, leaderOffset, followerMean, 0, dx, dLeader, dFollower);
        follower.meanJacobian(x, xOffset, leaderAction, leaderOffset, n, l, m, meanJacobian);
        for (int k = 0; k < l; k++) {
            // ∂f/∂a_k + Σ_s ∂f/∂a_F,s · ∂μ_s/∂a_k, dotted with ∇V̄.
            double slope = 0.0;
            for (int i = 0; i < n; i++) {
                double column = dLeader[i * l + k];
                for (int s = 0; s < m; s++) {
                    column += dFollower[i * m + s] * meanJacobian[s * (n + l) + n + k];
                }
                slope += column * valueGradient[i];
            }
            double scale = weight * discount * slope;
            for (int j = 0; j < n; j++) {
                out[k * n + j] += scale * x[xOffset + j];
            }
        }
    }
}
