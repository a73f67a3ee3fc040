package dev.bilevel.problems.lqr;

import dev.bilevel.core.game.ContinuousMarkovGame;
import dev.bilevel.core.game.LeaderGameModel;
import dev.bilevel.core.game.LeaderValue;
import dev.bilevel.core.game.LeaderValueModel;
import dev.bilevel.core.lqr.LeaderAwareLqrProblem;
import dev.bilevel.core.lqr.LeaderAwareLqrSolution;
import dev.bilevel.core.random.SplitMixRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bi-level LQR Markov game {@code LQREnv-v4} (reference-markov-game.md §1.3): {@code x' = Ax + Bu + Ca}
 * with the follower's action {@code u} and the leader's {@code a}, no process noise, a fixed initial state,
 * follower reward {@code −(xᵀQx + uᵀRu)} and leader reward
 * {@code λ·exp(−Σ_i (x_i − x*_i)² / (2σ_i²))}, both on the pre-transition state. Episodes never terminate;
 * they are cut by the horizon.
 *
 * <p>The game is differentiable ({@link LeaderGameModel}): the transition's Jacobians are the constant
 * {@code A}, {@code C}, {@code B}, and the leader reward's gradient is that of the Gaussian bump.
 *
 * <p>Because the closed loop of a linear-Gaussian leader and the MaxEnt-LQR follower is linear with Gaussian
 * noise, the expected leader return has a closed form ({@link #expectedLeaderReturn}), and so does the leader's value
 * of any linear-Gaussian follower policy it observes ({@link LeaderValueModel}).
 */
public final class LqrGame implements ContinuousMarkovGame, LeaderValueModel {

    /** The registered horizon of {@code LQREnv-v0…v4}. */
    public static final int HORIZON = 100;

    private final int n;
    private final int m;
    private final int l;
    private final double[] a;
    private final double[] b;
    private final double[] c;
    private final double[] q;
    private final double[] r;
    private final double costLambda;
    private final double[] initialState;
    private final double[] targetState;
    private final double[] stateStd;

    /**
     * @param n state dimension
     * @param m follower action dimension
     * @param l leader action dimension
     * @param a {@code A}, {@code n×n} row-major
     * @param b {@code B}, {@code n×m}
     * @param c {@code C}, {@code n×l}
     * @param q {@code Q}, {@code n×n}
     * @param r {@code R}, {@code m×m}
     * @param costLambda {@code λ}, the leader reward's scale
     * @param initialState {@code x₀}
     * @param targetState {@code x*}
     * @param stateStd {@code σ}, the leader reward's widths (positive)
     */
    public LqrGame(int n, int m, int l, double[] a, double[] b, double[] c, double[] q, double[] r,
            double costLambda, double[] initialState, double[] targetState, double[] stateStd) {
        // Validates shapes and R through the follower's model.
        new LeaderAwareLqrProblem(n, m, l, a, b, c, q, r, 0.5, 1.0);
        this.n = n;
        this.m = m;
        this.l = l;
        this.a = a.clone();
        this.b = b.clone();
        this.c = c.clone();
        this.q = q.clone();
        this.r = r.clone();
        this.costLambda = costLambda;
        this.initialState = vector("initial_state", initialState, n);
        this.targetState = vector("target_state", targetState, n);
        this.stateStd = vector("xstd", stateStd, n);
        for (double s : stateStd) {
            if (!(s > 0.0)) {
                throw new IllegalArgumentException("xstd: entries must be > 0");
            }
        }
        if (!Double.isFinite(costLambda)) {
            throw new IllegalArgumentException("cost_lambda: must be finite");
        }
    }

    /**
     * {@code LQREnv-v4} with the values of every reference config: {@code A = [[0,1],[0,0]]},
     * {@code B = [[0],[0.1]]}, {@code C = [[0.1],[0]]}, {@code Q = I}, {@code R = [[1]]}, {@code λ = 1},
     * {@code x₀ = [1, 0]}, {@code x* = [−0.8, 0]}, {@code σ = [0.2, 0.01]}.
     */
    public static LqrGame referenceV4() {
        return new LqrGame(2, 1, 1, new double[] {0, 1, 0, 0}, new double[] {0, 0.1}, new double[] {0.1, 0},
                new double[] {1, 0, 0, 1}, new double[] {1}, 1.0, new double[] {1, 0}, new double[] {-0.8, 0},
                new double[] {0.2, 0.01});
    }

    private static double[] vector(String name, double[] v, int n) {
        Objects.requireNonNull(v, name);
        if (v.length != n) {
            throw new IllegalArgumentException(name + ": must have " + n + " entries, got " + v.length);
        }
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException(name + ": entries must be finite");
            }
        }
        return v.clone();
    }

    /** The game as the follower models it, with its discount and temperature. */
    public LeaderAwareLqrProblem followerModel(double discount, double temperature) {
        return new LeaderAwareLqrProblem(n, m, l, a, b, c, q, r, discount, temperature);
    }

    @Override
    public int stateDimension() {
        return n;
    }

    @Override
    public int leaderActionDimension() {
        return l;
    }

    @Override
    public int followerActionDimension() {
        return m;
    }

    /** {@code x₀} (a copy). */
    public double[] initialState() {
        return initialState.clone();
    }

    @Override
    public void reset(SplitMixRandom rng, double[] out, int offset) {
        System.arraycopy(initialState, 0, out, offset, n);
    }

    @Override
    public void step(double[] x, int xo, double[] leaderAction, int lo, double[] followerAction, int fo,
            SplitMixRandom rng, double[] next, int no) {
        transitionMean(x, xo, leaderAction, lo, followerAction, fo, next, no);
    }

    /** {@code Ax + Ca_L + Ba_F}: the game has no process noise, so this is the successor itself. */
    @Override
    public void transitionMean(double[] x, int xo, double[] leaderAction, int lo, double[] followerAction, int fo,
            double[] next, int no) {
        for (int i = 0; i < n; i++) {
            double sum = 0.0;
            for (int j = 0; j < n; j++) {
                sum += a[i * n + j] * x[xo + j];
            }
            for (int j = 0; j < m; j++) {
                sum += b[i * m + j] * followerAction[fo + j];
            }
            for (int j = 0; j < l; j++) {
                sum += c[i * l + j] * leaderAction[lo + j];
            }
            next[no + i] = sum;
        }
    }

    @Override
    public double leaderReward(double[] x, int xo, double[] leaderAction, int lo, double[] followerAction,
            int fo) {
        return leaderReward(x, xo);
    }

    /** {@code λ·exp(−Σ_i (x_i − x*_i)² / (2σ_i²))}. */
    public double leaderReward(double[] x, int xo) {
        double exponent = 0.0;
        for (int i = 0; i < n; i++) {
            double d = (x[xo + i] - targetState[i]) / stateStd[i];
            exponent += d * d;
        }
        return costLambda * Math.exp(-0.5 * exponent);
    }

    @Override
    public void transitionJacobians(double[] x, int xo, double[] leaderAction, int lo, double[] followerAction,
            int fo, double[] dx, double[] dLeader, double[] dFollower) {
        System.arraycopy(a, 0, dx, 0, n * n);
        System.arraycopy(c, 0, dLeader, 0, n * l);
        System.arraycopy(b, 0, dFollower, 0, n * m);
    }

    /** The reward depends on the state only: {@code ∂r_L/∂x_i = −r_L·(x_i − x*_i)/σ_i²}, zero action gradients. */
    @Override
    public void leaderRewardGradient(double[] x, int xo, double[] leaderAction, int lo, double[] followerAction,
            int fo, double[] dx, double[] dLeader, double[] dFollower) {
        double reward = leaderReward(x, xo);
        for (int i = 0; i < n; i++) {
            dx[i] = -reward * (x[xo + i] - targetState[i]) / (stateStd[i] * stateStd[i]);
        }
        Arrays.fill(dLeader, 0, l, 0.0);
        Arrays.fill(dFollower, 0, m, 0.0);
    }

    @Override
    public double followerReward(double[] x, int xo, double[] leaderAction, int lo, double[] followerAction,
            int fo) {
        double cost = 0.0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cost += x[xo + i] * q[i * n + j] * x[xo + j];
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                cost += followerAction[fo + i] * r[i * m + j] * followerAction[fo + j];
            }
        }
        return -cost;
    }

    /**
     * The exact expected leader return {@code E Σ_{t<H} γ^t r_L(x_t)} from {@code x₀} when the leader plays
     * {@code a ~ N(Kx, WWᵀ)} and the follower plays {@code follower}'s policy. The closed loop is
     * {@code x' = Mx + (C + BG_a)W·n + B·L·ε} with the follower mean {@code G_x x + G_a a} and {@code Σ = LLᵀ},
     * so {@code x_t ~ N(μ_t, S_t)} and each term is a Gaussian integral of the reward bump:
     * {@code λ·det(I + S D⁻¹)^{-½}·exp(−½(μ − x*)ᵀ(D + S)⁻¹(μ − x*))}, {@code D = diag(σ²)}.
     *
     * @param leaderGain {@code K}, {@code l×n}
     * @param leaderNoise {@code W}, {@code l×l}
     * @param follower the follower's policy (any solution: it need not be the best response to {@code K})
     * @param discount {@code γ} (1 for the undiscounted return)
     * @param horizon {@code H}
     */
    public double expectedLeaderReturn(double[] leaderGain, double[] leaderNoise, LeaderAwareLqrSolution follower,
            double discount, int horizon) {
        return expectedLeaderReturn(initialState, leaderGain, leaderNoise, follower, discount, horizon);
    }

    /** {@link #expectedLeaderReturn(double[], double[], LeaderAwareLqrSolution, double, int)} from {@code start}. */
    public double expectedLeaderReturn(double[] start, double[] leaderGain, double[] leaderNoise,
            LeaderAwareLqrSolution follower, double discount, int horizon) {
        return leaderValue(leaderGain, leaderNoise, follower, discount, horizon).at(vector("start", start, n), 0);
    }

    /**
     * The exact leader value {@code V_L(y) = E[Σ_{t<H} γ^t r_L(x_t) | x₀ = y]} of a leader policy and the follower's
     * policy as a function of the start state ({@link LeaderValue}). Each evaluation costs {@code O(H·n²)}. With the
     * leader reward depending on the state only, {@code Q_L(x, a_F, a_L) = r_L(x) + γ·V_L(Ax + Ba_F + Ca_L)}.
     */
    public LeaderValue leaderValue(double[] leaderGain, double[] leaderNoise, LeaderAwareLqrSolution follower,
            double discount, int horizon) {
        return leaderValue(leaderGain, leaderNoise, follower.meanGain(), follower.sigmaCholesky(),
                new double[n * n], discount, horizon);
    }

    @Override
    public LeaderValue leaderValue(double[] leaderGain, double[] leaderNoise, double[] followerMeanGain,
            double[] followerCholesky, double[] startCovariance, double discount, int horizon) {
        if (horizon < 0) {
            throw new IllegalArgumentException("horizon must be ≥ 0, got " + horizon);
        }
        if (followerMeanGain.length != m * (n + l) || followerCholesky.length != m * m
                || startCovariance.length != n * n) {
            throw new IllegalArgumentException("follower gain must be " + m + "×" + (n + l) + ", its Cholesky factor "
                    + m + "×" + m + " and the start covariance " + n + "×" + n);
        }
        double[][] loop = closedLoop(leaderGain, leaderNoise, followerMeanGain, followerCholesky);
        double[] mMatrix = loop[0];
        double[] noise = loop[1];
        double[] powers = new double[horizon * n * n];
        double[] precisions = new double[horizon * n * n];
        double[] weights = new double[horizon];
        double[] power = new double[n * n];
        for (int i = 0; i < n; i++) {
            power[i * n + i] = 1.0;
        }
        double[] cov = startCovariance.clone();
        double[] tmp = new double[n * n];
        double[] next = new double[n * n];
        double weight = 1.0;
        for (int t = 0; t < horizon; t++) {
            System.arraycopy(power, 0, powers, t * n * n, n * n);
            double logDetRatio = precision(cov, precisions, t * n * n);
            weights[t] = weight * costLambda * Math.exp(-0.5 * logDetRatio);
            weight *= discount;
            // M^{t+1} = M·M^t; S_{t+1} = M S_t Mᵀ + noise.
            multiply(mMatrix, power, next);
            System.arraycopy(next, 0, power, 0, n * n);
            multiply(mMatrix, cov, tmp);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = noise[i * n + j];
                    for (int k = 0; k < n; k++) {
                        sum += tmp[i * n + k] * mMatrix[j * n + k];
                    }
                    next[i * n + j] = sum;
                }
            }
            System.arraycopy(next, 0, cov, 0, n * n);
        }
        return new LeaderValue(n, horizon, powers, precisions, weights, targetState.clone());
    }

    private void multiply(double[] left, double[] right, double[] out) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int k = 0; k < n; k++) {
                    sum += left[i * n + k] * right[k * n + j];
                }
                out[i * n + j] = sum;
            }
        }
    }

    /**
     * Writes {@code (D + S)⁻¹} into {@code out[offset…]} and returns {@code log det(I + S D⁻¹)}.
     */
    private double precision(double[] cov, double[] out, int offset) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = cov[i * n + j] + (i == j ? stateStd[i] * stateStd[i] : 0.0);
            }
        }
        double logDet = 0.0;
        for (int i = 0; i < n; i++) {
            logDet -= 2.0 * Math.log(stateStd[i]);
        }
        // Gauss–Jordan with partial pivoting (D + S is symmetric positive definite).
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) {
            inv[i * n + i] = 1.0;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) {
                    pivot = r;
                }
            }
            if (pivot != col) {
                for (int j = 0; j < n; j++) {
                    double t = a[col * n + j];
                    a[col * n + j] = a[pivot * n + j];
                    a[pivot * n + j] = t;
                    t = inv[col * n + j];
                    inv[col * n + j] = inv[pivot * n + j];
                    inv[pivot * n + j] = t;
                }
            }
            double p = a[col * n + col];
            logDet += Math.log(Math.abs(p));
            for (int j = 0; j < n; j++) {
                a[col * n + j] /= p;
                inv[col * n + j] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = a[r * n + col];
                    if (f != 0.0) {
                        for (int j = 0; j < n; j++) {
                            a[r * n + j] -= f * a[col * n + j];
                            inv[r * n + j] -= f * inv[col * n + j];
                        }
                    }
                }
            }
        }
        System.arraycopy(inv, 0, out, offset, n * n);
        return logDet;
    }

    /** {M (n×n), per-step noise covariance (n×n)} of the closed loop with the follower's mean {@code G·[x; a]}. */
    private double[][] closedLoop(double[] leaderGain, double[] leaderNoise, double[] followerMeanGain,
            double[] chol) {
        if (leaderGain.length != l * n || leaderNoise.length != l * l) {
            throw new IllegalArgumentException("K must be " + l + "×" + n + " and W " + l + "×" + l);
        }
        double[] gx = new double[m * n];
        double[] ga = new double[m * l];
        for (int i = 0; i < m; i++) {
            System.arraycopy(followerMeanGain, i * (n + l), gx, i * n, n);
            System.arraycopy(followerMeanGain, i * (n + l) + n, ga, i * l, l);
        }
        // E = C + B G_a (n×l); M = A + B G_x + E K.
        double[] e = new double[n * l];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < l; k++) {
                double sum = c[i * l + k];
                for (int j = 0; j < m; j++) {
                    sum += b[i * m + j] * ga[j * l + k];
                }
                e[i * l + k] = sum;
            }
        }
        double[] mMatrix = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = a[i * n + j];
                for (int k = 0; k < m; k++) {
                    sum += b[i * m + k] * gx[k * n + j];
                }
                for (int k = 0; k < l; k++) {
                    sum += e[i * l + k] * leaderGain[k * n + j];
                }
                mMatrix[i * n + j] = sum;
            }
        }
        // Noise: (EW)(EW)ᵀ + (BL)(BL)ᵀ.
        double[] ew = new double[n * l];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < l; k++) {
                double sum = 0.0;
                for (int j = 0; j < l; j++) {
                    sum += e[i * l + j] * leaderNoise[j * l + k];
                }
                ew[i * l + k] = sum;
            }
        }
        double[] bl = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                double sum = 0.0;
                for (int j = 0; j < m; j++) {
                    sum += b[i * m + j] * chol[j * m + k];
                }
                bl[i * m + k] = sum;
            }
        }
        double[] noise = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int k = 0; k < l; k++) {
                    sum += ew[i * l + k] * ew[j * l + k];
                }
                for (int k = 0; k < m; k++) {
                    sum += bl[i * m + k] * bl[j * m + k];
                }
                noise[i * n + j] = sum;
            }
        }
        return new double[][] {mMatrix, noise};
    }
}
