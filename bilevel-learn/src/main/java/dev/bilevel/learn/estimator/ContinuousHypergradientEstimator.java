package dev.bilevel.learn.estimator;

import dev.bilevel.core.cmdp.ContinuousConfigurableMdp;
import dev.bilevel.core.text.Identifiers;
import dev.bilevel.learn.critic.FittedTdCritic;
import dev.bilevel.learn.critic.QuadraticTdCritic;
import dev.bilevel.learn.critic.TdCritic;
import dev.bilevel.learn.follower.GaussianResponse;
import dev.bilevel.learn.sampling.ContinuousBatch;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The leader's hypergradient estimators for a continuous configurable MDP whose dynamics the leader sets
 * (reference-configurable-mdp.md §4; method.md §3.2, §4.2). With row {@code k = (e, t)} of a batch of
 * {@code E} complete episodes, discount weights {@code γ_L^t} and
 *
 * <pre>
 * ψ_k = clip₁(∇_w log p(x_k | x_{k−1}, u_{k−1}))     per sample and per parameter group; 0 at t = 0
 * φ_k = ∇_w log p(x_{k+1} | x_k, u_k) · V_F(x_{k+1})   unclipped; 0 at the last step of an episode
 * Φ_k = γ_F Σ_{j ≥ k} γ_F^{j−k} φ_j                     (Monte-Carlo estimate of ∇_w Q_F(x_k, u_k))
 * R_k = Σ_{j ≥ k} γ_L^{j−k} f_j                          (Monte-Carlo leader return)
 * g   = (1/E) Σ_k γ_L^t [ ∇_w f_k + ψ_k · V̂(x_k) + br_k ]
 * </pre>
 *
 * the methods differ in the critic behind {@code V̂} and in the best-response term {@code br_k}:
 *
 * <ul>
 *   <li>{@link Method#BCHG BC-HG}: Q-network on {@code (x,u)}; {@code V̂(x) = mean_j Q̂(x, u_j)},
 *       {@code u_j ~ π_F(·|x)}; {@code br_k = Φ_k·(Q̂(x_k,u_k) − V̂(x_k))/β} (the Boltzmann covariance form: a
 *       scalar baseline from the leader's own critic).</li>
 *   <li>{@link Method#NAIVE Naive-PGD}: V-network on {@code x} with reward normalisation; {@code br_k = 0}.</li>
 *   <li>{@link Method#HPGD_MC HPGD (MC)}: V-network; {@code br_k = (Φ_k − Ψ̂(x_k))·R_k/β}, where the
 *       {@code d}-output network {@code Ψ̂ ≈ ∇_w V_F} is TD-fitted to the per-step vector rewards
 *       {@code γ_F φ_k} (normalised per output).</li>
 *   <li>{@link Method#HPGD_TD HPGD (TD)}: Q-network and sampled {@code V̂} as BC-HG, and
 *       {@code br_k = (Φ_k − Ψ̂(x_k))·Q̂(x_k,u_k)/β}.</li>
 * </ul>
 *
 * The estimator owns its critics. Under the reference protocol they are reset to their initial weights and
 * refitted from scratch every call; otherwise they are warm-started and refitted with fewer minibatch steps. The
 * action samples behind {@code V̂} may be drawn in antithetic pairs {@code (μ + Lε, μ − Lε)}; every variant
 * keeps {@code E[V̂(x)|x]} equal to the critic's mean under the follower's policy.
 */
public final class ContinuousHypergradientEstimator {

    /** The leader's gradient estimator. */
    public enum Method {
        /** BC-HG: Q-network critic, benefit {@code Q̂ − V̂} times {@code Φ}. */
        BCHG("bchg", "BC-HG"),
        /** Naive-PGD: direct term only. */
        NAIVE("naive", "Naive-PGD"),
        /** HPGD (MC): {@code (Φ − Ψ̂)} times the Monte-Carlo leader return. */
        HPGD_MC("hpgd-mc", "HPGD (MC)"),
        /** HPGD (TD): {@code (Φ − Ψ̂)} times the Q-network. */
        HPGD_TD("hpgd-td", "HPGD (TD)");

        private final String key;
        private final String label;

        Method(String key, String label) {
            this.key = key;
            this.label = label;
        }

        /** @return the config name ({@code bchg}, {@code naive}, {@code hpgd-mc}, {@code hpgd-td}) */
        public String key() {
            return key;
        }

        /** @return the paper's legend label */
        public String label() {
            return label;
        }

        /** @return whether the direct term's {@code V̂} comes from a Q-network and sampled actions */
        public boolean usesQNetwork() {
            return this == BCHG || this == HPGD_TD;
        }

        /** @return whether a {@code Ψ̂ ≈ ∇V_F} network is fitted */
        public boolean usesValueGradientNetwork() {
            return this == HPGD_MC || this == HPGD_TD;
        }

        /**
         * @param name a config name
         * @param field the input field, for the message
         * @return the method
         */
        public static Method parse(String name, String field) {
            return Identifiers.parse(values(), Method::key, name, field, "method");
        }
    }

    /** How the follower's sensitivity {@code ∇_w Q_F(x_k, u_k)} enters BC-HG's best-response term. */
    public enum Sensitivity {
        /** The reference: {@code Φ_k} from the scores times {@code V_F(x_{k+1})}. */
        MONTE_CARLO,
        /**
         * {@code Φ_k} with {@code V_F(x_{k+1})} centred by its model mean {@code E[V_F(x_{k+1})|x_k,u_k]} (the score
         * has conditional mean zero, so {@code Φ} keeps its expectation); not in the reference.
         */
        CENTRED,
        /**
         * From the leader's model instead of the sampled path: {@code G(x,u) = γ_F (∇_w E[V_F(x')|x,u] + Ψ̂(μ(x,u)))},
         * the first part in closed form from the observed {@code V_F} and the model's mean Jacobian, {@code Ψ̂ ≈ ∇_w V_F}
         * a quadratic LSTD fit ({@link QuadraticTdCritic}) to the rewards {@code γ_F ∇_w E[V_F(x')|x_k,u_k]}, and
         * {@code br_k = (Q̂(x_k,u_k) − V̂(x_k))·(G(x_k,u_k) − Ḡ(x_k))/β} with {@code Ḡ} the mean of {@code G} over an
         * independent antithetic pair of follower actions (unbiased: both are independent of {@code u_k}); not in
         * the reference.
         */
        MODEL;

        /** @return the config name */
        public String key() {
            return Identifiers.of(this);
        }

        /**
         * @param name a config name
         * @param field the input field, for the message
         * @return the sensitivity
         */
        public static Sensitivity parse(String name, String field) {
            return Identifiers.parse(Sensitivity.class, name, field, "sensitivity");
        }
    }

    /**
     * How the critics are fitted and {@code V̂} is sampled.
     *
     * @param resetCritics restore every network's initial weights before each fit (the reference)
     * @param initialFitSteps Adam steps of the first fit (0: {@code fitSteps})
     * @param fitSteps Adam steps of every later fit
     * @param fitBatch rows per step; {@code ≤ 0} for the full batch (the reference)
     * @param valueSamples actions drawn per state for {@code V̂} (the reference: 256)
     * @param antithetic draw them in antithetic pairs (requires an even count)
     * @param qNormalisation reward scaling of the Q-network (the reference: none)
     * @param valueNormalisation reward scaling of the V-network and {@code Ψ̂} (the reference: per batch)
     * @param hidden hidden widths of every network
     * @param criticLearningRate Adam step of every network
     * @param criticMaxGradNorm gradient clip of every network
     * @param scoreClip per-sample, per-group L2 clip of the direct term's transition score ({@code ≤ 0}: none)
     * @param subsampleFrom {@code T₀ ≥ 0}: evaluate the critic-dependent terms of a row at time {@code t ≥ T₀} only
     *     with probability {@code γ_L^{t−T₀}} and weight it by {@code γ_L^{T₀}} instead of {@code γ_L^t} (an
     *     unbiased thinning of the discounted sum, so late rows, which carry little weight, cost little);
     *     negative: every row (the reference)
     * @param sensitivity how BC-HG's follower sensitivity {@code ∇_w Q_F(x_k,u_k)} is estimated (HPGD always uses
     *     the Monte-Carlo {@code Φ}, centred only with {@link Sensitivity#CENTRED})
     * @param mirroredDirect estimate the direct term's {@code E[∇log p(x_k|x_{k−1},u_{k−1})·V̂(x_k)]} with the
     *     mirrored successor {@code x̃_k = 2μ_{k−1} − x_k} (equally likely under Gaussian noise, opposite score):
     *     {@code ½ ∇log p(x_k)·(V̂(x_k) − V̂(x̃_k))}, unclipped; not in the reference
     * @param quadraticCritics fit every critic (Q- or V-network, {@code Ψ̂}) as a quadratic by LSTD
     *     ({@link QuadraticTdCritic}; exact on linear-quadratic problems) instead of an MLP by semi-gradient TD;
     *     the MLP settings are then unused; not in the reference
     */
    public record Settings(boolean resetCritics, int initialFitSteps, int fitSteps, int fitBatch, int valueSamples,
            boolean antithetic, FittedTdCritic.Normalisation qNormalisation,
            FittedTdCritic.Normalisation valueNormalisation, int[] hidden, double criticLearningRate,
            double criticMaxGradNorm, double scoreClip, int subsampleFrom, Sensitivity sensitivity,
            boolean mirroredDirect, boolean quadraticCritics) {

        /** Validates. */
        public Settings {
            Objects.requireNonNull(qNormalisation, "qNormalisation");
            Objects.requireNonNull(valueNormalisation, "valueNormalisation");
            Objects.requireNonNull(sensitivity, "sensitivity");
            hidden = hidden.clone();
            if (initialFitSteps < 0 || fitSteps < 0) {
                throw new IllegalArgumentException("fit steps must be ≥ 0");
            }
            if (valueSamples < 1) {
                throw new IllegalArgumentException("valueSamples must be ≥ 1: " + valueSamples);
            }
            if (antithetic && valueSamples % 2 != 0) {
                throw new IllegalArgumentException("antithetic value samples need an even count: " + valueSamples);
            }
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }
    }

    /**
     * One estimate.
     *
     * @param gradient {@code g}, the ascent direction before clipping
     * @param direct the direct part {@code (1/E) Σ γ^t (∇f + ψ·V̂)}
     * @param response the best-response part {@code (1/E) Σ γ^t br}
     * @param meanLeaderValue mean of {@code V̂} over the batch
     * @param meanLeaderQ mean of {@code Q̂(x,u)} over the batch (NaN without a Q-network)
     * @param criticLoss last TD loss of the leader critic (normalised units)
     * @param valueGradientLoss last TD loss of {@code Ψ̂} (NaN without it)
     */
    public record Estimate(double[] gradient, double[] direct, double[] response, double meanLeaderValue,
            double meanLeaderQ, double criticLoss, double valueGradientLoss) {
    }

    private static final int PREDICT_BLOCK = 4096;

    private final ContinuousConfigurableMdp mdp;
    private final Method method;
    private final Settings settings;
    private final TdCritic critic;
    private final TdCritic valueGradient;
    private final QuadraticTdCritic sensitivityCritic;
    private final int[] groups;
    private boolean fitted;

    /**
     * @param mdp the problem (dimensions, discounts, temperature, parameter groups)
     * @param method the estimator
     * @param settings critic protocol
     * @param init draws the networks' initial weights (advanced)
     */
    public ContinuousHypergradientEstimator(ContinuousConfigurableMdp mdp, Method method, Settings settings,
            SplittableRandom init) {
        this.mdp = Objects.requireNonNull(mdp, "mdp");
        this.method = Objects.requireNonNull(method, "method");
        this.settings = Objects.requireNonNull(settings, "settings");
        int n = mdp.stateDimension();
        int m = mdp.actionDimension();
        int[] hidden = settings.hidden();
        double gammaL = mdp.leaderDiscount();
        int criticInputs = method.usesQNetwork() ? n + m : n;
        FittedTdCritic.Normalisation criticScaling = method.usesQNetwork() ? settings.qNormalisation()
                : settings.valueNormalisation();
        SplittableRandom criticInit = init.split();
        critic = settings.quadraticCritics() ? new QuadraticTdCritic(criticInputs, 1, gammaL)
                : new FittedTdCritic(new FittedTdCritic.Settings(criticInputs, 1, hidden, settings.criticLearningRate(),
                        settings.criticMaxGradNorm(), gammaL, criticScaling), criticInit);
        if (!method.usesValueGradientNetwork()) {
            valueGradient = null;
        } else {
            SplittableRandom gradientInit = init.split();
            valueGradient = settings.quadraticCritics()
                    ? new QuadraticTdCritic(n, mdp.decisionDimension(), mdp.followerDiscount())
                    : new FittedTdCritic(new FittedTdCritic.Settings(n, mdp.decisionDimension(), hidden,
                            settings.criticLearningRate(), settings.criticMaxGradNorm(), mdp.followerDiscount(),
                            settings.valueNormalisation()), gradientInit);
        }
        sensitivityCritic = method == Method.BCHG && settings.sensitivity() == Sensitivity.MODEL
                ? new QuadraticTdCritic(n, mdp.decisionDimension(), mdp.followerDiscount())
                : null;
        groups = mdp.decisionGroups();
    }

    /** @return the method */
    public Method method() {
        return method;
    }

    /** @return the leader critic (Q- or V-network) */
    public TdCritic critic() {
        return critic;
    }

    /**
     * Fits the critics to the batch and estimates the leader's gradient.
     *
     * @param batch on-policy episodes at the current decision
     * @param configured the MDP at the current decision (the model's means and their Jacobian, for
     *     {@link Sensitivity#MODEL} and the mirrored direct term)
     * @param follower the follower's response (policy for {@code V̂}'s action samples, {@code β}, {@code γ_F})
     * @param rng minibatches and action samples (advanced)
     * @return the estimate
     */
    public Estimate estimate(ContinuousBatch batch, ContinuousConfigurableMdp.Configured configured,
            GaussianResponse follower, SplittableRandom rng) {
        int rows = batch.rows();
        int n = batch.stateDimension;
        int m = batch.actionDimension;
        int d = batch.decisionDimension;
        double gammaL = mdp.leaderDiscount();
        double gammaF = follower.discount();
        double beta = follower.temperature();
        int steps = !fitted && settings.initialFitSteps() > 0 ? settings.initialFitSteps() : settings.fitSteps();
        fitted = true;

        int[] successors = new int[rows];
        for (int r = 0; r < rows; r++) {
            successors[r] = batch.successor(r);
        }

        // φ, Φ (per episode, backwards; Naive-PGD reads neither, BC-HG's model sensitivity replaces Φ) and the MC
        // leader return.
        double[] phi = null;
        double[] bigPhi = null;
        if (method != Method.NAIVE && sensitivityCritic == null) {
            phi = new double[rows * d];
            bigPhi = new double[rows * d];
            followerSensitivity(batch, gammaF, settings.sensitivity() == Sensitivity.CENTRED, phi, bigPhi);
        }
        double[] mcReturn = method == Method.HPGD_MC ? leaderReturns(batch, gammaL) : null;

        // Fit the critics on every row.
        double[] z = null;
        double criticLoss;
        if (settings.resetCritics()) {
            critic.reset();
        }
        if (method.usesQNetwork()) {
            z = new double[rows * (n + m)];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(batch.states, r * n, z, r * (n + m), n);
                System.arraycopy(batch.actions, r * m, z, r * (n + m) + n, m);
            }
            criticLoss = critic.fit(z, successors, batch.leaderRewards, rows, steps, settings.fitBatch(), rng)
                    .lastLoss();
        } else {
            criticLoss = critic.fit(batch.states, successors, batch.leaderRewards, rows, steps, settings.fitBatch(),
                    rng).lastLoss();
        }
        double valueGradientLoss = Double.NaN;
        if (valueGradient != null) {
            // Ψ̂ ≈ ∇_w V_F, fitted to the per-step vector rewards γ_F φ.
            double[] rewards = new double[rows * d];
            for (int k = 0; k < rows * d; k++) {
                rewards[k] = gammaF * phi[k];
            }
            if (settings.resetCritics()) {
                valueGradient.reset();
            }
            valueGradientLoss = valueGradient.fit(batch.states, successors, rewards, rows, steps, settings.fitBatch(),
                    rng).lastLoss();
        }

        // Rows whose critic-dependent terms are evaluated, and their weights.
        double[] criticWeight = new double[rows];
        int[] kept = keptRows(batch, gammaL, rng, criticWeight);

        double[] vHat = new double[rows];
        double[] qHat = null;
        if (method.usesQNetwork()) {
            qHat = new double[rows];
            predictRows(critic, z, n + m, 1, kept, qHat);
            sampledValue(batch.states, follower, rng, kept, vHat);
        } else {
            predictRows(critic, batch.states, n, 1, kept, vHat);
        }
        double[] mirroredValue = null;
        if (settings.mirroredDirect()) {
            mirroredValue = new double[rows];
            double[] mirrored = mirroredStates(batch, configured, kept);
            if (method.usesQNetwork()) {
                sampledValue(mirrored, follower, rng, kept, mirroredValue);
            } else {
                predictRows(critic, mirrored, n, 1, kept, mirroredValue);
            }
        }
        if (sensitivityCritic != null) {
            bigPhi = modelSensitivity(batch, configured, follower, successors, kept, rng);
        }
        double[] psiHat = null;
        if (valueGradient != null) {
            psiHat = new double[rows * d];
            predictRows(valueGradient, batch.states, n, d, kept, psiHat);
        }

        double[] direct = new double[d];
        double[] response = new double[d];
        combine(batch, vHat, mirroredValue, qHat, psiHat, bigPhi, mcReturn, criticWeight, gammaL, beta, direct,
                response);
        double[] gradient = new double[d];
        for (int i = 0; i < d; i++) {
            gradient[i] = direct[i] + response[i];
            if (!Double.isFinite(gradient[i])) {
                throw new ArithmeticException(String.format(Locale.ROOT,
                        "%s gradient is not finite (component %d: direct %s, response %s)", method.label(), i,
                        direct[i], response[i]));
            }
        }
        double sumV = 0.0;
        double sumQ = 0.0;
        for (int r : kept) {
            sumV += vHat[r];
            if (qHat != null) {
                sumQ += qHat[r];
            }
        }
        return new Estimate(gradient, direct, response, sumV / kept.length,
                qHat == null ? Double.NaN : sumQ / kept.length, criticLoss, valueGradientLoss);
    }

    /**
     * {@code φ_k = score_{k+1}·V_F(x_{k+1})} (0 at the last step of an episode) and
     * {@code Φ_k = γ_F Σ_{j≥k} γ_F^{j−k} φ_j} within each episode.
     *
     * @param batch the episodes
     * @param gammaF {@code γ_F}
     * @param baseline subtract {@code E[V_F(x_{k+1})|x_k,u_k]} from {@code V_F(x_{k+1})}
     * @param phi receives {@code φ}, {@code [rows·d]}
     * @param bigPhi receives {@code Φ}, {@code [rows·d]}
     */
    static void followerSensitivity(ContinuousBatch batch, double gammaF, boolean baseline, double[] phi,
            double[] bigPhi) {
        int h = batch.horizon;
        int d = batch.decisionDimension;
        double[] tail = new double[d];
        for (int e = 0; e < batch.episodes; e++) {
            java.util.Arrays.fill(tail, 0.0);
            for (int t = h - 1; t >= 0; t--) {
                int r = e * h + t;
                if (t < h - 1) {
                    double v = batch.followerValues[r + 1]
                            - (baseline ? batch.expectedNextFollowerValues[r] : 0.0);
                    for (int i = 0; i < d; i++) {
                        phi[r * d + i] = batch.scores[(r + 1) * d + i] * v;
                    }
                } else {
                    java.util.Arrays.fill(phi, r * d, r * d + d, 0.0);
                }
                for (int i = 0; i < d; i++) {
                    tail[i] = phi[r * d + i] + gammaF * tail[i];
                    bigPhi[r * d + i] = gammaF * tail[i];
                }
            }
        }
    }

    /**
     * @param batch the episodes
     * @param gammaL {@code γ_L}
     * @return {@code R_k = Σ_{j≥k} γ_L^{j−k} f_j} within each episode
     */
    static double[] leaderReturns(ContinuousBatch batch, double gammaL) {
        int h = batch.horizon;
        double[] out = new double[batch.rows()];
        for (int e = 0; e < batch.episodes; e++) {
            double ret = 0.0;
            for (int t = h - 1; t >= 0; t--) {
                int r = e * h + t;
                ret = batch.leaderRewards[r] + gammaL * ret;
                out[r] = ret;
            }
        }
        return out;
    }

    /**
     * The final sums {@code direct = (1/E) Σ_k γ_L^t (∇f_k + ψ_k·V̂_k)} and {@code response = (1/E) Σ_k γ_L^t br_k}.
     *
     * @param batch the episodes
     * @param vHat {@code V̂(x_k)}
     * @param mirroredValue {@code V̂(x̃_k)} at the mirrored successors (the mirrored direct term), or {@code null}
     *     for the reference's clipped {@code ψ_k·V̂(x_k)}
     * @param qHat {@code Q̂(x_k,u_k)} (BC-HG, HPGD (TD)), else ignored
     * @param psiHat {@code Ψ̂(x_k)} (HPGD), else ignored
     * @param bigPhi {@code Φ_k}, or BC-HG's model sensitivity {@code G − Ḡ}
     * @param mcReturn {@code R_k} (HPGD (MC)), else ignored
     * @param criticWeight per row, the weight of its critic-dependent terms ({@code γ_L^t}, or the thinned
     *     weight; 0 for rows left out)
     * @param gammaL {@code γ_L}
     * @param beta {@code β}
     * @param direct receives the direct part
     * @param response receives the best-response part
     */
    void combine(ContinuousBatch batch, double[] vHat, double[] mirroredValue, double[] qHat, double[] psiHat,
            double[] bigPhi, double[] mcReturn, double[] criticWeight, double gammaL, double beta, double[] direct,
            double[] response) {
        int rows = batch.rows();
        int h = batch.horizon;
        int d = batch.decisionDimension;
        double[] psi = new double[d];
        double[] discount = new double[h];
        discount[0] = 1.0;
        for (int t = 1; t < h; t++) {
            discount[t] = discount[t - 1] * gammaL;
        }
        java.util.Arrays.fill(direct, 0.0);
        java.util.Arrays.fill(response, 0.0);
        for (int r = 0; r < rows; r++) {
            int t = r % h;
            double w = discount[t];
            for (int i = 0; i < d; i++) {
                direct[i] += w * batch.leaderRewardGradients[r * d + i];
            }
            w = criticWeight[r];
            if (w == 0.0) {
                continue;
            }
            if (t > 0 && mirroredValue != null) {
                double half = 0.5 * (vHat[r] - mirroredValue[r]);
                for (int i = 0; i < d; i++) {
                    direct[i] += w * batch.scores[r * d + i] * half;
                }
            } else if (t > 0) {
                System.arraycopy(batch.scores, r * d, psi, 0, d);
                clipPerGroup(psi, settings.scoreClip());
                for (int i = 0; i < d; i++) {
                    direct[i] += w * psi[i] * vHat[r];
                }
            }
            switch (method) {
                case BCHG -> {
                    double benefit = (qHat[r] - vHat[r]) / beta;
                    for (int i = 0; i < d; i++) {
                        response[i] += w * bigPhi[r * d + i] * benefit;
                    }
                }
                case HPGD_MC -> {
                    double c = mcReturn[r] / beta;
                    for (int i = 0; i < d; i++) {
                        response[i] += w * (bigPhi[r * d + i] - psiHat[r * d + i]) * c;
                    }
                }
                case HPGD_TD -> {
                    double c = qHat[r] / beta;
                    for (int i = 0; i < d; i++) {
                        response[i] += w * (bigPhi[r * d + i] - psiHat[r * d + i]) * c;
                    }
                }
                case NAIVE -> {
                }
                default -> throw new IllegalStateException(method.toString());
            }
        }
        for (int i = 0; i < d; i++) {
            direct[i] /= batch.episodes;
            response[i] /= batch.episodes;
        }
    }

    /**
     * @return row-major mirrored successors {@code x̃_k = 2μ(x_{k−1},u_{k−1}) − x_k} at the kept rows with
     *     {@code t > 0} (other rows zero)
     */
    private static double[] mirroredStates(ContinuousBatch batch, ContinuousConfigurableMdp.Configured configured,
            int[] kept) {
        int n = batch.stateDimension;
        int m = batch.actionDimension;
        double[] out = new double[batch.rows() * n];
        double[] x = new double[n];
        double[] u = new double[m];
        double[] mean = new double[n];
        for (int r : kept) {
            if (r % batch.horizon == 0) {
                continue;
            }
            System.arraycopy(batch.states, (r - 1) * n, x, 0, n);
            System.arraycopy(batch.actions, (r - 1) * m, u, 0, m);
            configured.transitionMean(x, u, mean);
            for (int i = 0; i < n; i++) {
                out[r * n + i] = 2.0 * mean[i] - batch.states[r * n + i];
            }
        }
        return out;
    }

    /**
     * {@link Sensitivity#MODEL}: fits {@code Ψ̂ ≈ ∇_w V_F} by LSTD and returns {@code G(x_k,u_k) − Ḡ(x_k)} at the kept
     * rows, {@code [rows·d]}.
     */
    private double[] modelSensitivity(ContinuousBatch batch, ContinuousConfigurableMdp.Configured configured,
            GaussianResponse follower, int[] successors, int[] kept, SplittableRandom rng) {
        int rows = batch.rows();
        int n = batch.stateDimension;
        int m = batch.actionDimension;
        int d = batch.decisionDimension;
        double gammaF = follower.discount();
        ModelSensitivity g = new ModelSensitivity(configured, follower, sensitivityCritic, n, d);
        double[] rewards = new double[rows * d];
        double[] x = new double[n];
        double[] u = new double[m];
        double[] one = new double[d];
        for (int r = 0; r < rows; r++) {
            if (successors[r] < 0) {
                continue;
            }
            System.arraycopy(batch.states, r * n, x, 0, n);
            System.arraycopy(batch.actions, r * m, u, 0, m);
            g.oneStep(x, u, one);
            for (int i = 0; i < d; i++) {
                rewards[r * d + i] = gammaF * one[i];
            }
        }
        sensitivityCritic.fitLstd(batch.states, successors, rewards, rows);

        double[] out = new double[rows * d];
        double[] at = new double[d];
        double[] pair = new double[d];
        double[] eps = new double[m];
        double[] mean = new double[m];
        for (int r : kept) {
            System.arraycopy(batch.states, r * n, x, 0, n);
            System.arraycopy(batch.actions, r * m, u, 0, m);
            g.evaluate(x, u, at);
            for (int c = 0; c < m; c++) {
                eps[c] = rng.nextGaussian();
            }
            follower.meanAction(x, 0, mean, 0);
            for (int sign = -1; sign <= 1; sign += 2) {
                System.arraycopy(mean, 0, u, 0, m);
                follower.addNoise(eps, sign, u, 0);
                g.evaluate(x, u, pair);
                for (int i = 0; i < d; i++) {
                    at[i] -= 0.5 * pair[i];
                }
            }
            System.arraycopy(at, 0, out, r * d, d);
        }
        return out;
    }

    /**
     * Chooses the rows whose critic-dependent terms are evaluated: all of them with weight {@code γ_L^t}, or,
     * with {@code subsampleFrom = T₀ ≥ 0}, rows at {@code t ≥ T₀} with probability {@code γ_L^{t−T₀}} and weight
     * {@code γ_L^{T₀}} (the same expectation).
     */
    private int[] keptRows(ContinuousBatch batch, double gammaL, SplittableRandom rng, double[] weight) {
        int rows = batch.rows();
        int h = batch.horizon;
        int from = settings.subsampleFrom();
        int[] kept = new int[rows];
        int count = 0;
        double[] discount = new double[h];
        discount[0] = 1.0;
        for (int t = 1; t < h; t++) {
            discount[t] = discount[t - 1] * gammaL;
        }
        for (int r = 0; r < rows; r++) {
            int t = r % h;
            if (from < 0 || t < from) {
                weight[r] = discount[t];
                kept[count++] = r;
            } else if (rng.nextDouble() < discount[t - from]) {
                weight[r] = discount[from];
                kept[count++] = r;
            }
        }
        return java.util.Arrays.copyOf(kept, count);
    }

    /** Predicts a network at the given rows of a row-major input array, scattering into {@code out}. */
    private static void predictRows(TdCritic net, double[] inputs, int width, int outputs, int[] rows,
            double[] out) {
        if (rows.length == inputs.length / width) {
            net.predict(inputs, rows.length, out);
            return;
        }
        double[] gathered = new double[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(inputs, rows[i] * width, gathered, i * width, width);
        }
        double[] y = new double[rows.length * outputs];
        net.predict(gathered, rows.length, y);
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(y, i * outputs, out, rows[i] * outputs, outputs);
        }
    }

    /** {@code V̂(x_r) = mean_j Q̂(x_r, u_j)} with {@code u_j ~ π_F(·|x_r)}, in blocks of rows of {@code states}. */
    void sampledValue(double[] states, GaussianResponse follower, SplittableRandom rng, int[] rowsToDo,
            double[] out) {
        int n = follower.stateDimension();
        int m = follower.actionDimension();
        int width = n + m;
        int samples = settings.valueSamples();
        int blockRows = Math.max(1, PREDICT_BLOCK / samples);
        double[] z = new double[blockRows * samples * width];
        double[] q = new double[blockRows * samples];
        double[] eps = new double[m];
        int rows = rowsToDo.length;
        for (int start = 0; start < rows; start += blockRows) {
            int len = Math.min(blockRows, rows - start);
            int k = 0;
            for (int i = 0; i < len; i++) {
                int r = rowsToDo[start + i];
                for (int j = 0; j < samples; j++) {
                    int off = k * width;
                    System.arraycopy(states, r * n, z, off, n);
                    follower.meanAction(states, r * n, z, off + n);
                    if (!settings.antithetic() || j % 2 == 0) {
                        for (int c = 0; c < m; c++) {
                            eps[c] = rng.nextGaussian();
                        }
                    }
                    double sign = settings.antithetic() && j % 2 == 1 ? -1.0 : 1.0;
                    follower.addNoise(eps, sign, z, off + n);
                    k++;
                }
            }
            critic.predict(z, k, q);
            for (int i = 0; i < len; i++) {
                double s = 0.0;
                for (int j = 0; j < samples; j++) {
                    s += q[i * samples + j];
                }
                out[rowsToDo[start + i]] = s / samples;
            }
        }
    }

    /** Clips each parameter group's sub-vector to L2 norm ≤ {@code maxNorm} (the reference's per-sample clip). */
    void clipPerGroup(double[] v, double maxNorm) {
        if (!(maxNorm > 0.0)) {
            return;
        }
        int start = 0;
        for (int size : groups) {
            double sq = 0.0;
            for (int i = start; i < start + size; i++) {
                sq += v[i] * v[i];
            }
            double scale = Math.min(1.0, maxNorm / (Math.sqrt(sq) + 1e-12));
            if (scale < 1.0) {
                for (int i = start; i < start + size; i++) {
                    v[i] *= scale;
                }
            }
            start += size;
        }
    }
}
