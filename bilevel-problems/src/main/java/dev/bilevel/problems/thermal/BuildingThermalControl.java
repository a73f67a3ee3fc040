package dev.bilevel.problems.thermal;

import dev.bilevel.core.cmdp.ContinuousConfigurableMdp;
import dev.bilevel.core.lqr.SoftLqrProblem;
import dev.bilevel.core.lqr.SoftLqrSolution;
import dev.bilevel.core.random.SplitMixRandom;
import java.util.List;

/**
 * BuildingThermalControl ("bilevel LQR", the reference's {@code BuildingThermalControl_3} with the config
 * {@code experiment_bilevel_lqr_reg_lambda_0_1_steps_10000}; reference-configurable-mdp.md §1.2): four zone
 * temperature deviations {@code x ∈ R⁴}, two HVAC inputs {@code u ∈ R²}, and a leader who sets the insulation
 * levels {@code il ∈ [0,1]⁴} and airflow adjustments {@code aa ∈ [0,1]⁴} through sigmoids of its 8 weights
 * {@code w = (w_il, w_aa)} (two groups of 4).
 *
 * <ul>
 *   <li>{@code A(il,aa)}: {@code A[i][i] = A0[i][i] + e_i(1 − il_i) − outflows}, ring couplings
 *       {@code A[i][i+1] = A0[i][i+1]·aa_i}, {@code A[i+1][i] = A0[i+1][i]·aa_i} (mod 4); every row sums to
 *       {@code 1 + e_i(1 − il_i)}.
 *   <li>Reset {@code x₀ = 5z}, {@code z} a standard normal truncated to {@code ±30/0.02} (the reference scales the
 *       bounds by the transition σ, so in effect {@code x₀ ~ N(0, 25 I)}).
 *   <li>Step: {@code μ = clip(Ax + Bu, −30, 30)}, {@code x' = μ + 0.02 z'} with {@code z'} truncated so that
 *       {@code x' ∈ [−30, 30]}; 100 steps per episode; {@code u} is not clipped.
 *   <li>Follower reward {@code −(xᵀQx + uᵀRu)}, {@code Q = diag(8,1,5,6)}, {@code R = 0.01 I};
 *       {@code γ_F = 0.9}, entropy weight {@code β = 0.1}.
 *   <li>Leader reward {@code −Var(x) − 0.5‖u‖² − 0.1‖il‖² − 0.1‖aa‖²} (population variance), {@code γ_L = 0.9}.
 * </ul>
 *
 * The transition score is that of the Gaussian {@code N(μ, σ²I)}: the reference's truncated-normal log-pdf
 * receives the range as <em>standardised</em> bounds (±30σ), so it never truncates; coordinates where the
 * mean is clipped have zero derivative. The follower's model {@link #followerModel} ignores clipping and
 * truncation, as the reference's solver does.
 */
public final class BuildingThermalControl implements ContinuousConfigurableMdp {

    /** Number of zones (the state dimension). */
    public static final int ZONES = 4;
    /** Number of HVAC inputs (the action dimension). */
    public static final int INPUTS = 2;
    /** Leader weights: 4 insulation, then 4 airflow. */
    public static final int DECISION_DIMENSION = 8;
    /** Transitions per episode. */
    public static final int HORIZON = 100;
    /** Follower and leader discount. */
    public static final double DISCOUNT = 0.9;
    /** Follower entropy weight. */
    public static final double TEMPERATURE = 0.1;
    /** Transition noise standard deviation. */
    public static final double NOISE_STD = 0.02;
    /** Temperature range of the simulator. */
    public static final double TEMPERATURE_MIN = -30.0;
    /** Temperature range of the simulator. */
    public static final double TEMPERATURE_MAX = 30.0;
    /** Standard deviation of the initial temperature deviations. */
    public static final double INIT_STD = 5.0;
    /** Leader reward weights: stability, energy, insulation cost, airflow cost. */
    public static final double STABILITY_WEIGHT = 1.0;
    /** Weight of {@code ‖u‖²}. */
    public static final double ENERGY_WEIGHT = 0.5;
    /** Weight of {@code ‖il‖²}. */
    public static final double INSULATION_WEIGHT = 0.1;
    /** Weight of {@code ‖aa‖²}. */
    public static final double AIRFLOW_WEIGHT = 0.1;

    private static final double[][] A0 = {
        {1.00, 0.05, 0.00, 0.05}, {0.03, 1.00, 0.04, 0.00}, {0.00, 0.04, 1.00, 0.06}, {0.05, 0.00, 0.03, 1.00}};
    private static final double[] INSULATION_EFFECT = {0.04, 0.03, 0.06, 0.05};
    private static final double[][] B = {{0.1, 0.0}, {0.6, 0.0}, {0.0, 0.55}, {0.0, 0.3}};
    private static final double[] Q_DIAG = {8.0, 1.0, 5.0, 6.0};
    private static final double R_DIAG = 0.01;
    private static final double INIT_Z_BOUND = TEMPERATURE_MAX / NOISE_STD;
    private static final List<String> COMPONENTS = List.of("stability", "energy_cost", "insulation_cost",
            "airflow_cost");

    /** The reference configuration. */
    public BuildingThermalControl() {
    }

    @Override
    public int stateDimension() {
        return ZONES;
    }

    @Override
    public int actionDimension() {
        return INPUTS;
    }

    @Override
    public int decisionDimension() {
        return DECISION_DIMENSION;
    }

    @Override
    public int[] decisionGroups() {
        return new int[] {ZONES, ZONES};
    }

    @Override
    public int horizon() {
        return HORIZON;
    }

    @Override
    public double followerDiscount() {
        return DISCOUNT;
    }

    @Override
    public double leaderDiscount() {
        return DISCOUNT;
    }

    @Override
    public double temperature() {
        return TEMPERATURE;
    }

    /**
     * @return {@code stability} ({@code −Var(x)}, a reward), {@code energy_cost} ({@code ‖u‖²}),
     *     {@code insulation_cost} ({@code ‖il‖²}), {@code airflow_cost} ({@code ‖aa‖²}); the leader's reward is
     *     {@code 1·stability − 0.5·energy − 0.1·insulation − 0.1·airflow}
     */
    @Override
    public List<String> leaderRewardComponents() {
        return COMPONENTS;
    }

    @Override
    public Design configure(double[] decision) {
        if (decision.length != DECISION_DIMENSION) {
            throw new IllegalArgumentException("decision must have " + DECISION_DIMENSION + " weights, got "
                    + decision.length);
        }
        double[] il = new double[ZONES];
        double[] aa = new double[ZONES];
        for (int i = 0; i < ZONES; i++) {
            il[i] = sigmoid(decision[i]);
            aa[i] = sigmoid(decision[ZONES + i]);
        }
        return new Design(decision.clone(), il, aa);
    }

    /**
     * The design with the given levels directly (random search); the weights are their logits.
     *
     * @param insulation {@code il ∈ [0,1]⁴}
     * @param airflow {@code aa ∈ [0,1]⁴}
     * @return the configured MDP
     */
    public Design configureLevels(double[] insulation, double[] airflow) {
        if (insulation.length != ZONES || airflow.length != ZONES) {
            throw new IllegalArgumentException("levels must have " + ZONES + " entries each");
        }
        double[] w = new double[DECISION_DIMENSION];
        for (int i = 0; i < ZONES; i++) {
            checkLevel(insulation[i], "insulation");
            checkLevel(airflow[i], "airflow");
            w[i] = logit(insulation[i]);
            w[ZONES + i] = logit(airflow[i]);
        }
        return new Design(w, insulation.clone(), airflow.clone());
    }

    private static void checkLevel(double level, String name) {
        if (!(level >= 0.0 && level <= 1.0)) {
            throw new IllegalArgumentException(name + " level " + level + " is outside [0, 1]");
        }
    }

    /** @return {@code 1/(1 + e^{−w})} */
    public static double sigmoid(double w) {
        return w >= 0 ? 1.0 / (1.0 + Math.exp(-w)) : Math.exp(w) / (1.0 + Math.exp(w));
    }

    private static double logit(double p) {
        return Math.log(p) - Math.log1p(-p);
    }

    /**
     * {@code A(il, aa)}, row-major {@code [4·4]}.
     *
     * @param il insulation levels
     * @param aa airflow adjustments
     * @return the state matrix
     */
    public static double[] stateMatrix(double[] il, double[] aa) {
        double[] a = new double[ZONES * ZONES];
        for (int i = 0; i < ZONES; i++) {
            a[i * ZONES + i] = A0[i][i] + INSULATION_EFFECT[i] * (1.0 - il[i]);
        }
        for (int i = 0; i < ZONES; i++) {
            int j = (i + 1) % ZONES;
            a[i * ZONES + j] = A0[i][j] * aa[i];
            a[j * ZONES + i] = A0[j][i] * aa[i];
            a[i * ZONES + i] -= A0[i][j] * aa[i];
            a[j * ZONES + j] -= A0[j][i] * aa[i];
        }
        return a;
    }

    /**
     * {@code ∂A/∂level_k} for the 8 levels {@code (il_0..il_3, aa_0..aa_3)}, row-major {@code [4·4]} each.
     *
     * @param k the level index, {@code 0 ≤ k < 8}
     * @return the derivative, independent of the levels ({@code A} is affine in them)
     */
    public static double[] stateMatrixDerivative(int k) {
        double[] d = new double[ZONES * ZONES];
        if (k < ZONES) {
            d[k * ZONES + k] = -INSULATION_EFFECT[k];
        } else {
            int i = k - ZONES;
            int j = (i + 1) % ZONES;
            d[i * ZONES + j] = A0[i][j];
            d[j * ZONES + i] = A0[j][i];
            d[i * ZONES + i] = -A0[i][j];
            d[j * ZONES + j] = -A0[j][i];
        }
        return d;
    }

    /** The thermal MDP at one leader decision. */
    public static final class Design implements Configured {
        private final double[] weights;
        private final double[] il;
        private final double[] aa;
        /** {@code d level / d w}: the sigmoid's derivative {@code p(1−p)}, 8 entries. */
        private final double[] levelSlope;
        private final double[] a;
        private final double parameterCost;
        /** {@code ‖il‖²} and {@code ‖aa‖²}, the raw cost components; constant for a design. */
        private final double insulationNorm;
        private final double airflowNorm;
        /** {@code ∇_w f}, which does not depend on {@code x, u}. */
        private final double[] rewardGradient;

        private Design(double[] weights, double[] il, double[] aa) {
            this.weights = weights;
            this.il = il;
            this.aa = aa;
            this.levelSlope = new double[DECISION_DIMENSION];
            this.rewardGradient = new double[DECISION_DIMENSION];
            double cost = 0.0;
            double ins = 0.0;
            double air = 0.0;
            for (int i = 0; i < ZONES; i++) {
                levelSlope[i] = il[i] * (1.0 - il[i]);
                levelSlope[ZONES + i] = aa[i] * (1.0 - aa[i]);
                cost += INSULATION_WEIGHT * il[i] * il[i] + AIRFLOW_WEIGHT * aa[i] * aa[i];
                ins += il[i] * il[i];
                air += aa[i] * aa[i];
                rewardGradient[i] = -2.0 * INSULATION_WEIGHT * il[i] * levelSlope[i];
                rewardGradient[ZONES + i] = -2.0 * AIRFLOW_WEIGHT * aa[i] * levelSlope[ZONES + i];
            }
            this.parameterCost = cost;
            this.insulationNorm = ins;
            this.airflowNorm = air;
            this.a = BuildingThermalControl.stateMatrix(il, aa);
        }

        @Override
        public double[] decision() {
            return weights.clone();
        }

        /** @return a copy of the insulation levels {@code il} */
        public double[] insulation() {
            return il.clone();
        }

        /** @return a copy of the airflow adjustments {@code aa} */
        public double[] airflow() {
            return aa.clone();
        }

        /** @return a copy of {@code A(il,aa)}, row-major */
        public double[] stateMatrix() {
            return a.clone();
        }

        @Override
        public SoftLqrProblem followerModel() {
            double[][] am = new double[ZONES][ZONES];
            double[][] q = new double[ZONES][ZONES];
            double[][] w = new double[ZONES][ZONES];
            for (int i = 0; i < ZONES; i++) {
                System.arraycopy(a, i * ZONES, am[i], 0, ZONES);
                q[i][i] = Q_DIAG[i];
                w[i][i] = NOISE_STD * NOISE_STD;
            }
            double[][] r = {{R_DIAG, 0.0}, {0.0, R_DIAG}};
            double[][] b = new double[ZONES][];
            for (int i = 0; i < ZONES; i++) {
                b[i] = B[i].clone();
            }
            return SoftLqrProblem.of(am, b, q, r, w, DISCOUNT, TEMPERATURE);
        }

        @Override
        public void reset(SplitMixRandom rng, double[] x) {
            for (int i = 0; i < ZONES; i++) {
                x[i] = INIT_STD * truncatedStandardNormal(rng, -INIT_Z_BOUND, INIT_Z_BOUND);
            }
        }

        @Override
        public void step(double[] x, double[] u, SplitMixRandom rng, double[] next) {
            for (int i = 0; i < ZONES; i++) {
                double mu = clip(rawMean(i, x, u));
                double z = truncatedStandardNormal(rng, (TEMPERATURE_MIN - mu) / NOISE_STD,
                        (TEMPERATURE_MAX - mu) / NOISE_STD);
                next[i] = mu + NOISE_STD * z;
            }
        }

        /** {@code clip(Ax + Bu, −30, 30)}. */
        @Override
        public void transitionMean(double[] x, double[] u, double[] out) {
            for (int i = 0; i < ZONES; i++) {
                out[i] = clip(rawMean(i, x, u));
            }
        }

        private double rawMean(int i, double[] x, double[] u) {
            int row = i * ZONES;
            return a[row] * x[0] + a[row + 1] * x[1] + a[row + 2] * x[2] + a[row + 3] * x[3]
                    + B[i][0] * u[0] + B[i][1] * u[1];
        }

        @Override
        public double followerReward(double[] x, double[] u) {
            double cost = 0.0;
            for (int i = 0; i < ZONES; i++) {
                cost += Q_DIAG[i] * x[i] * x[i];
            }
            cost += R_DIAG * (u[0] * u[0] + u[1] * u[1]);
            return -cost;
        }

        @Override
        public double leaderReward(double[] x, double[] u, double[] components) {
            double mean = 0.25 * (x[0] + x[1] + x[2] + x[3]);
            double var = 0.0;
            for (int i = 0; i < ZONES; i++) {
                double d = x[i] - mean;
                var += d * d;
            }
            var *= 0.25;
            double energy = u[0] * u[0] + u[1] * u[1];
            if (components != null) {
                components[0] = -var;
                components[1] = energy;
                components[2] = insulationNorm;
                components[3] = airflowNorm;
            }
            return -STABILITY_WEIGHT * var - ENERGY_WEIGHT * energy - parameterCost;
        }

        /** {@code ∇_w f = −2κ·level⊙level(1−level)} per group; independent of {@code x, u}. */
        @Override
        public void leaderRewardGradient(double[] x, double[] u, double[] out) {
            System.arraycopy(rewardGradient, 0, out, 0, DECISION_DIMENSION);
        }

        /**
         * {@code Σ_i (x'_i − μ_i)/σ² · ∂μ_i/∂w}, with {@code ∂μ_i = 0} where the mean is clipped and
         * {@code ∂μ/∂level_k = (∂A/∂level_k)·x}, times the sigmoid slope.
         */
        @Override
        public void transitionScore(double[] x, double[] u, double[] next, double[] out) {
            meanGradient(x, residual(0, x, u, next), residual(1, x, u, next), residual(2, x, u, next),
                    residual(3, x, u, next), out);
        }

        /** {@code Σ_i v_i ∂μ_i/∂w}, with {@code ∂μ_i = 0} where the mean is clipped. */
        @Override
        public void transitionMeanGradient(double[] x, double[] u, double[] v, double[] out) {
            meanGradient(x, unclipped(0, x, u) ? v[0] : 0.0, unclipped(1, x, u) ? v[1] : 0.0,
                    unclipped(2, x, u) ? v[2] : 0.0, unclipped(3, x, u) ? v[3] : 0.0, out);
        }

        private boolean unclipped(int i, double[] x, double[] u) {
            double raw = rawMean(i, x, u);
            return raw >= TEMPERATURE_MIN && raw <= TEMPERATURE_MAX;
        }

        /**
         * {@code Σ_i c_i ∂μ_i/∂w} for the four zones' weights {@code c_i}: {@code ∂μ/∂level_k = (∂A/∂level_k)·x}
         * times the sigmoid slope. Scalars, so that the per-step callers allocate nothing.
         */
        private void meanGradient(double[] x, double c0, double c1, double c2, double c3, double[] out) {
            out[0] = c0 * (-INSULATION_EFFECT[0] * x[0]) * levelSlope[0];
            out[1] = c1 * (-INSULATION_EFFECT[1] * x[1]) * levelSlope[1];
            out[2] = c2 * (-INSULATION_EFFECT[2] * x[2]) * levelSlope[2];
            out[3] = c3 * (-INSULATION_EFFECT[3] * x[3]) * levelSlope[3];
            airflowGradient(0, c0, c1, x, out);
            airflowGradient(1, c1, c2, x, out);
            airflowGradient(2, c2, c3, x, out);
            airflowGradient(3, c3, c0, x, out);
        }

        /** Airflow weight {@code i} couples zone {@code i} (weight {@code ci}) and zone {@code j = i+1 mod 4}. */
        private void airflowGradient(int i, double ci, double cj, double[] x, double[] out) {
            int j = (i + 1) % ZONES;
            double diff = x[j] - x[i];
            out[ZONES + i] = (ci * A0[i][j] * diff - cj * A0[j][i] * diff) * levelSlope[ZONES + i];
        }

        /** {@code (x'_i − μ_i)/σ²}, or 0 where the mean is clipped (its derivative vanishes). */
        private double residual(int i, double[] x, double[] u, double[] next) {
            double raw = rawMean(i, x, u);
            if (raw < TEMPERATURE_MIN || raw > TEMPERATURE_MAX) {
                return 0.0;
            }
            return (next[i] - raw) / (NOISE_STD * NOISE_STD);
        }

        /**
         * The Gaussian log-density {@code log N(x'; clip(Ax + Bu), σ²I)} whose gradient
         * {@link #transitionScore} is (for tests and diagnostics).
         *
         * @param x the state
         * @param u the action
         * @param next the successor
         * @return the log-density
         */
        public double transitionLogDensity(double[] x, double[] u, double[] next) {
            double sum = 0.0;
            for (int i = 0; i < ZONES; i++) {
                double z = (next[i] - clip(rawMean(i, x, u))) / NOISE_STD;
                sum += -0.5 * z * z - Math.log(NOISE_STD) - 0.5 * Math.log(2 * Math.PI);
            }
            return sum;
        }

        /**
         * The expected discounted leader return {@code E Σ_{t<H} γ_L^t f(x_t,u_t)} of an episode under the
         * linear-Gaussian policy {@code N(−Kx, Σ)}, in closed form on the linear model (no clipping, untruncated
         * noise, {@code x₀ ~ N(0, 25 I)}): the state covariance follows
         * {@code C_{t+1} = F C_t Fᵀ + BΣBᵀ + W} with {@code F = A − BK}.
         *
         * @param follower the follower's solution for this design
         * @param horizon the episode length
         * @param components receives the discounted sums of the raw components (stability, energy,
         *     insulation, airflow), or {@code null}
         * @return the expected discounted leader return
         */
        public double expectedLeaderReturn(SoftLqrSolution follower, int horizon, double[] components) {
            int n = ZONES;
            double[] k = follower.gainArray();
            double[] sigma = follower.covarianceArray();
            double[] f = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    f[i * n + j] = a[i * n + j] - B[i][0] * k[j] - B[i][1] * k[n + j];
                }
            }
            double[] noise = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0.0;
                    for (int p = 0; p < INPUTS; p++) {
                        for (int q = 0; q < INPUTS; q++) {
                            s += B[i][p] * sigma[p * INPUTS + q] * B[j][q];
                        }
                    }
                    noise[i * n + j] = s + (i == j ? NOISE_STD * NOISE_STD : 0.0);
                }
            }
            // KᵀK for E‖u‖² = xᵀKᵀKx + tr Σ.
            double[] ktk = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    ktk[i * n + j] = k[i] * k[j] + k[n + i] * k[n + j];
                }
            }
            double traceSigma = sigma[0] + sigma[3];
            double[] cov = new double[n * n];
            for (int i = 0; i < n; i++) {
                cov[i * n + i] = INIT_STD * INIT_STD;
            }
            double[] tmp = new double[n * n];
            double discount = 1.0;
            double stability = 0.0;
            double energy = 0.0;
            double weightSum = 0.0;
            for (int t = 0; t < horizon; t++) {
                // E Var(x) = tr(C_t)/4 − 1ᵀC_t1/16.
                double trace = 0.0;
                double total = 0.0;
                double energyT = traceSigma;
                for (int i = 0; i < n; i++) {
                    trace += cov[i * n + i];
                    for (int j = 0; j < n; j++) {
                        total += cov[i * n + j];
                        energyT += ktk[i * n + j] * cov[j * n + i];
                    }
                }
                stability += discount * -(trace / 4.0 - total / 16.0);
                energy += discount * energyT;
                weightSum += discount;
                discount *= DISCOUNT;
                // C ← F C Fᵀ + noise.
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0.0;
                        for (int p = 0; p < n; p++) {
                            s += f[i * n + p] * cov[p * n + j];
                        }
                        tmp[i * n + j] = s;
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = noise[i * n + j];
                        for (int p = 0; p < n; p++) {
                            s += tmp[i * n + p] * f[j * n + p];
                        }
                        cov[i * n + j] = s;
                    }
                }
            }
            if (components != null) {
                components[0] = stability;
                components[1] = energy;
                components[2] = insulationNorm * weightSum;
                components[3] = airflowNorm * weightSum;
            }
            return STABILITY_WEIGHT * stability - ENERGY_WEIGHT * energy
                    - (INSULATION_WEIGHT * insulationNorm + AIRFLOW_WEIGHT * airflowNorm) * weightSum;
        }
    }

    private static double clip(double v) {
        return v < TEMPERATURE_MIN ? TEMPERATURE_MIN : (v > TEMPERATURE_MAX ? TEMPERATURE_MAX : v);
    }

    /**
     * A standard normal truncated to {@code [lo, hi]} by rejection; the simulator's intervals always contain
     * a half-line's worth of mass around 0 (the mean is clipped into the range), so few draws are rejected.
     */
    static double truncatedStandardNormal(SplitMixRandom rng, double lo, double hi) {
        if (!(lo < hi)) {
            throw new IllegalArgumentException("empty truncation interval [" + lo + ", " + hi + "]");
        }
        if (lo > 8.0 || hi < -8.0) {
            // Far tail (not reached by this simulator): clamp rather than loop for ever.
            return lo > 8.0 ? lo : hi;
        }
        while (true) {
            double z = rng.nextGaussian();
            if (z >= lo && z <= hi) {
                return z;
            }
        }
    }
}
