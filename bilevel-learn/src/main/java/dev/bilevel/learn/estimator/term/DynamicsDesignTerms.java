package dev.bilevel.learn.estimator.term;

import dev.bilevel.core.cmdp.DynamicsDesign;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateMismatchException;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.learn.critic.FittedTdCritic;
import dev.bilevel.learn.critic.QuadraticTdCritic;
import dev.bilevel.learn.critic.TdCritic;
import dev.bilevel.learn.estimator.BoltzmannCovariance;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.EstimationTerms;
import dev.bilevel.learn.follower.GaussianResponse;
import dev.bilevel.learn.sampling.ContinuousBatch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The estimation terms of a leader that designs the dynamics of a continuous configurable MDP
 * (reference-configurable-mdp.md §4; method.md §3.2, §4.2). With row {@code k = (e, t)} of a batch of {@code E}
 * complete episodes and discount weights {@code γ_L^t}:
 *
 * <pre>
 * direct_k = γ_L^t [ ∇_w f_k + ψ_k · V̂(x_k) ]      ψ_k = clip₁(∇_w log p(x_k | x_{k−1}, u_{k−1})), 0 at t = 0
 * φ_k      = ∇_w log p(x_{k+1} | x_k, u_k) · V_F(x_{k+1})     0 at the last step of an episode
 * Φ_k      = γ_F Σ_{j ≥ k} γ_F^{j−k} φ_j                       (the follower's sensitivity ∇_w Q_F(x_k, u_k))
 * </pre>
 *
 * BC-HG's benefit is {@code (Q̂(x_k,u_k) − V̂(x_k))/β} with {@code V̂(x) = mean_j Q̂(x, u_j)}, {@code u_j ~ π_F(·|x)},
 * and its term {@code γ_L^t·Φ_k·benefit}; HPGD's is {@code γ_L^t·(Φ_k − Ψ̂(x_k))·Â_k} with a fitted
 * {@code Ψ̂ ≈ ∇_w V_F} and {@code Â_k} the Monte-Carlo leader return (with a state-value critic, HPGD (MC)) or
 * {@code Q̂(x_k,u_k)} (with an action-value critic, HPGD (TD)), both over {@code β}. Every sum is divided by
 * {@code E}. The tails {@code Φ} come from {@link BoltzmannCovariance#backward}.
 *
 * <p>The terms own the leader's critics. Under the reference protocol they are reset to their initial weights and
 * refitted from scratch at every estimate; otherwise they are warm-started and refitted with fewer minibatch steps.
 * The action samples behind {@code V̂} may be drawn in antithetic pairs {@code (μ + Lε, μ − Lε)}; every variant
 * keeps {@code E[V̂(x)|x]} equal to the critic's mean under the follower's policy. Options not in the reference
 * reduce variance without changing the expectation: {@link Sensitivity#CENTRED}, {@link Sensitivity#MODEL},
 * {@code mirroredDirect}, quadratic critics (see {@link Options}).
 */
public final class DynamicsDesignTerms implements EstimationTerms<double[], GaussianResponse, ContinuousBatch> {

    /** The leader's critic. */
    public enum Critic {
        /** {@code Q̂(x,u)}, with {@code V̂(x)} from the follower's sampled actions (BC-HG, HPGD (TD)). */
        ACTION_VALUE,
        /** {@code V̂(x)} (Naive-PGD, HPGD (MC)). */
        STATE_VALUE
    }

    /** How the follower's sensitivity {@code ∇_w Q_F(x_k, u_k)} enters BC-HG's term. */
    public enum Sensitivity {
        /** The reference: {@code Φ_k} from the scores times {@code V_F(x_{k+1})}. */
        MONTE_CARLO,
        /**
         * {@code Φ_k} with {@code V_F(x_{k+1})} centred by its model mean {@code E[V_F(x_{k+1})|x_k,u_k]} (the score
         * has conditional mean zero, so {@code Φ} keeps its expectation); not in the reference. HPGD centres too.
         */
        CENTRED,
        /**
         * From the leader's model instead of the sampled path:
         * {@code G(x,u) = γ_F (∇_w E[V_F(x')|x,u] + Ψ̂(μ(x,u)))}, the first part in closed form from the observed
         * {@code V_F} and the model's mean Jacobian, {@code Ψ̂ ≈ ∇_w V_F} a quadratic LSTD fit
         * ({@link QuadraticTdCritic}) to the rewards {@code γ_F ∇_w E[V_F(x')|x_k,u_k]}, and the term
         * {@code (Q̂(x_k,u_k) − V̂(x_k))·(G(x_k,u_k) − Ḡ(x_k))/β} with {@code Ḡ} the mean of {@code G} over an
         * independent antithetic pair of follower actions (unbiased: both are independent of {@code u_k}); BC-HG
         * only, not in the reference.
         */
        MODEL
    }

    /**
     * The critics' class and networks.
     *
     * @param quadratic fit every critic as a quadratic by LSTD ({@link QuadraticTdCritic}; exact on
     *     linear-quadratic problems) instead of an MLP by semi-gradient TD (the MLP settings are then unused); not
     *     in the reference
     * @param hidden hidden widths of every network
     * @param learningRate Adam step of every network
     * @param maxGradNorm gradient clip of every network
     * @param qNormalisation reward scaling of an action-value critic (the reference: none)
     * @param valueNormalisation reward scaling of a state-value critic and of {@code Ψ̂} (the reference: per batch)
     */
    public record Critics(boolean quadratic, int[] hidden, double learningRate, double maxGradNorm,
            FittedTdCritic.Normalisation qNormalisation, FittedTdCritic.Normalisation valueNormalisation) {

        /** Validates. */
        public Critics {
            hidden = hidden.clone();
            Objects.requireNonNull(qNormalisation, "qNormalisation");
            Objects.requireNonNull(valueNormalisation, "valueNormalisation");
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }

        /** The reference's: MLPs {@code in → 64 → 64 → out}, Adam 1e-4 clipped at 1, V-rewards scaled per batch. */
        public static Critics reference() {
            return new Critics(false, new int[] {64, 64}, 1e-4, 1.0, FittedTdCritic.Normalisation.NONE,
                    FittedTdCritic.Normalisation.PER_BATCH);
        }

        /**
         * Every critic a quadratic fitted in closed form by LSTD ({@link QuadraticTdCritic}): exact on
         * linear-quadratic problems, with no network settings to choose (those fields are unused).
         */
        public static Critics lstd() {
            return new Critics(true, new int[0], 0.0, 1.0, FittedTdCritic.Normalisation.NONE,
                    FittedTdCritic.Normalisation.NONE);
        }
    }

    /**
     * How often and how hard the critics are fitted.
     *
     * @param reset restore every network's initial weights before each fit (the reference)
     * @param initialSteps Adam steps of the first fit (0: {@code steps})
     * @param steps Adam steps of every later fit
     * @param batch rows per step; {@code ≤ 0} for the full batch (the reference)
     */
    public record Fitting(boolean reset, int initialSteps, int steps, int batch) {

        /** Validates. */
        public Fitting {
            if (initialSteps < 0 || steps < 0) {
                throw new IllegalArgumentException("fit steps must be ≥ 0");
            }
        }

        /** The reference's: refit from the initial weights, 5,000 full-batch steps. */
        public static Fitting reference() {
            return new Fitting(true, 0, 5000, 0);
        }
    }

    /**
     * The follower's actions drawn per state for {@code V̂(x) = mean_j Q̂(x, u_j)}.
     *
     * @param samples draws per state, ≥ 1 (the reference: 256)
     * @param antithetic draw them in antithetic pairs {@code (μ + Lε, μ − Lε)} (requires an even count)
     */
    public record ValueSampling(int samples, boolean antithetic) {

        /** Validates. */
        public ValueSampling {
            if (samples < 1) {
                throw new IllegalArgumentException("value samples must be ≥ 1, got " + samples);
            }
            if (antithetic && samples % 2 != 0) {
                throw new IllegalArgumentException("antithetic value samples need an even count, got " + samples);
            }
        }

        /** The reference's: 256 independent draws. */
        public static ValueSampling reference() {
            return new ValueSampling(256, false);
        }
    }

    /**
     * Estimator options ({@link #reference()} gives the reference's).
     *
     * @param critics the critics' class and networks
     * @param fitting how the critics are fitted
     * @param valueSampling the draws behind {@code V̂}
     * @param scoreClip per-sample, per-group L2 clip of the direct term's transition score ({@code ≤ 0}: none)
     * @param subsampleFrom {@code T₀ ≥ 0}: evaluate the critic-dependent terms of a row at time {@code t ≥ T₀} only
     *     with probability {@code γ_L^{t−T₀}} and weight it by {@code γ_L^{T₀}} instead of {@code γ_L^t} (an
     *     unbiased thinning of the discounted sum, so late rows, which carry little weight, cost little);
     *     negative: every row (the reference)
     * @param sensitivity how BC-HG's follower sensitivity is estimated (HPGD always uses the Monte-Carlo
     *     {@code Φ}, centred only with {@link Sensitivity#CENTRED})
     * @param mirroredDirect estimate the direct term's {@code E[∇log p(x_k|x_{k−1},u_{k−1})·V̂(x_k)]} with the
     *     mirrored successor {@code x̃_k = 2μ_{k−1} − x_k} (equally likely under Gaussian noise, opposite score):
     *     {@code ½ ∇log p(x_k)·(V̂(x_k) − V̂(x̃_k))}, unclipped; not in the reference
     */
    public record Options(Critics critics, Fitting fitting, ValueSampling valueSampling, double scoreClip,
            int subsampleFrom, Sensitivity sensitivity, boolean mirroredDirect) {

        /** Validates. */
        public Options {
            Objects.requireNonNull(critics, "critics");
            Objects.requireNonNull(fitting, "fitting");
            Objects.requireNonNull(valueSampling, "valueSampling");
            Objects.requireNonNull(sensitivity, "sensitivity");
        }

        /** The reference's protocol and estimators. */
        public static Options reference() {
            return new Options(Critics.reference(), Fitting.reference(), ValueSampling.reference(), 1.0, -1,
                    Sensitivity.MONTE_CARLO, false);
        }

        /** The same with other critics. */
        public Options with(Critics other) {
            return new Options(other, fitting, valueSampling, scoreClip, subsampleFrom, sensitivity, mirroredDirect);
        }

        /** The same with another fitting protocol. */
        public Options with(Fitting other) {
            return new Options(critics, other, valueSampling, scoreClip, subsampleFrom, sensitivity, mirroredDirect);
        }

        /** The same with other value draws. */
        public Options with(ValueSampling other) {
            return new Options(critics, fitting, other, scoreClip, subsampleFrom, sensitivity, mirroredDirect);
        }

        /** The same with another sensitivity. */
        public Options with(Sensitivity other) {
            return new Options(critics, fitting, valueSampling, scoreClip, subsampleFrom, other, mirroredDirect);
        }
    }

    private static final int PREDICT_BLOCK = 4096;

    private final DynamicsDesign design;
    private final Critic criticKind;
    private final Options options;
    private final TdCritic critic;
    private final boolean withValueGradient;
    private final SplitMixRandom valueGradientInit;
    private final int[] groups;
    /** {@code Ψ̂ ≈ ∇_w V_F}, built at the first estimate, when the follower's discount is known. */
    private TdCritic valueGradient;
    /** The LSTD {@code Ψ̂} of {@link Sensitivity#MODEL}, built at the first BC-HG estimate. */
    private QuadraticTdCritic sensitivityCritic;
    private boolean fitted;
    private double criticsDiscount = Double.NaN;

    /**
     * @param design what the leader knows of the dynamics and its reward
     * @param critic the leader's critic
     * @param valueGradient fit {@code Ψ̂ ≈ ∇_w V_F} (HPGD)
     * @param options critic protocol and estimator options
     * @param init draws the networks' initial weights (advanced)
     */
    public DynamicsDesignTerms(DynamicsDesign design, Critic critic, boolean valueGradient, Options options,
            SplitMixRandom init) {
        this.design = DynamicsDesign.view(Objects.requireNonNull(design, "design"));
        this.criticKind = Objects.requireNonNull(critic, "critic");
        this.options = Objects.requireNonNull(options, "options");
        if (options.sensitivity() == Sensitivity.MODEL && critic != Critic.ACTION_VALUE) {
            throw new IllegalArgumentException("the model sensitivity needs an action-value critic (BC-HG)");
        }
        int n = design.stateDimension();
        int m = design.actionDimension();
        int[] hidden = options.critics().hidden();
        double gammaL = design.leaderDiscount();
        boolean actionValue = critic == Critic.ACTION_VALUE;
        int criticInputs = actionValue ? n + m : n;
        FittedTdCritic.Normalisation criticScaling = actionValue ? options.critics().qNormalisation()
                : options.critics().valueNormalisation();
        SplitMixRandom criticInit = init.split();
        this.critic = options.critics().quadratic() ? new QuadraticTdCritic(criticInputs, 1, gammaL)
                : new FittedTdCritic(new FittedTdCritic.Settings(criticInputs, 1, hidden,
                        options.critics().learningRate(), options.critics().maxGradNorm(), gammaL, criticScaling),
                        criticInit);
        this.withValueGradient = valueGradient;
        this.valueGradientInit = valueGradient ? init.split() : null;
        this.groups = design.decisionGroups();
    }

    /** Its critics (those made so far), whether it has fitted yet, and the stream that initialises them. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("DynamicsDesignTerms").writeBoolean(fitted).writeRandom(valueGradientInit)
                .writeDouble(criticsDiscount);
        out.write(critic);
        out.write(valueGradient);
        out.write(sensitivityCritic);
    }

    @Override
    public void restoreState(StateReader in) {
        fitted = in.begin("DynamicsDesignTerms").readBoolean();
        SplitMixRandom init = in.readRandom();
        double gammaF = in.readDouble();
        in.read(critic);
        valueGradient = null;
        sensitivityCritic = null;
        if (!in.readAbsent()) {
            valueGradient(gammaF).restoreState(in); // draws its initial weights, then overwrites them
        }
        if (!in.readAbsent()) {
            sensitivityCritic(gammaF).restoreState(in);
        }
        if (valueGradientInit != null) {
            if (init == null) {
                throw new StateMismatchException("in the state of DynamicsDesignTerms: no initialisation stream");
            }
            valueGradientInit.restore(init.seed(), init.gamma());
        }
    }

    @Override
    public Pass open(Estimation<double[], GaussianResponse, ContinuousBatch> estimation, Response response) {
        if (response == Response.COVARIANCE && criticKind != Critic.ACTION_VALUE) {
            throw new IllegalStateException("BC-HG's benefit Q̂ − V̂ needs the action-value critic"
                    + " (Critic.ACTION_VALUE); these terms fit a state-value critic");
        }
        return new DynamicsPass(estimation.data(), estimation.response().temperature(),
                prepare(estimation, response));
    }

    /**
     * What every row's terms read, prepared when an estimate opens.
     *
     * @param discount {@code γ_L^t} for {@code t < H}
     * @param criticWeight per row, the weight of its critic-dependent terms ({@code γ_L^t}, or the thinned weight;
     *     0 for rows left out)
     * @param kept the rows with a non-zero critic weight
     * @param vHat {@code V̂(x_k)} at the kept rows
     * @param qHat {@code Q̂(x_k,u_k)} at the kept rows (action-value critic), else {@code null}
     * @param mirroredValue {@code V̂(x̃_k)} at the mirrored successors (the mirrored direct term), else {@code null}
     * @param bigPhi the follower's sensitivity per row ({@code Φ_k}, or BC-HG's model {@code G − Ḡ}), or {@code null}
     * @param psiHat {@code Ψ̂(x_k)} (HPGD), else {@code null}
     * @param mcReturn {@code R_k} (HPGD with a state-value critic), else {@code null}
     * @param criticLoss the leader critic's last TD loss
     * @param valueGradientLoss {@code Ψ̂}'s last TD loss, or NaN
     */
    record Inputs(double[] discount, double[] criticWeight, int[] kept, double[] vHat, double[] qHat,
            double[] mirroredValue, double[] bigPhi, double[] psiHat, double[] mcReturn, double criticLoss,
            double valueGradientLoss) {
    }

    /** A pass over given inputs (for tests of the row sums). */
    Pass pass(ContinuousBatch batch, double beta, Inputs inputs) {
        return new DynamicsPass(batch, beta, inputs);
    }

    private QuadraticTdCritic sensitivityCritic(double gammaF) {
        if (sensitivityCritic == null) {
            sensitivityCritic = new QuadraticTdCritic(design.stateDimension(), design.decisionDimension(), gammaF);
            criticsDiscount = gammaF;
        }
        return sensitivityCritic;
    }

    private TdCritic valueGradient(double gammaF) {
        if (valueGradient == null) {
            criticsDiscount = gammaF;
            int n = design.stateDimension();
            int d = design.decisionDimension();
            valueGradient = options.critics().quadratic() ? new QuadraticTdCritic(n, d, gammaF)
                    : new FittedTdCritic(new FittedTdCritic.Settings(n, d, options.critics().hidden(),
                            options.critics().learningRate(), options.critics().maxGradNorm(), gammaF,
                            options.critics().valueNormalisation()), valueGradientInit);
        }
        return valueGradient;
    }

    /** Fits the critics and prepares every row's inputs, in the order the reference draws its randomness. */
    private Inputs prepare(Estimation<double[], GaussianResponse, ContinuousBatch> estimation, Response term) {
        ContinuousBatch batch = estimation.data();
        GaussianResponse follower = estimation.response();
        SplitMixRandom rng = estimation.rng();
        DynamicsDesign.Model model = design.model(estimation.decision());
        int rows = batch.rows();
        int n = batch.stateDimension;
        int m = batch.actionDimension;
        int d = batch.decisionDimension;
        double gammaL = design.leaderDiscount();
        double gammaF = follower.discount();
        Fitting fitting = options.fitting();
        int steps = !fitted && fitting.initialSteps() > 0 ? fitting.initialSteps() : fitting.steps();
        fitted = true;
        boolean actionValue = criticKind == Critic.ACTION_VALUE;
        boolean modelSensitivity = term == Response.COVARIANCE && options.sensitivity() == Sensitivity.MODEL;

        int[] successors = new int[rows];
        for (int r = 0; r < rows; r++) {
            successors[r] = batch.successor(r);
        }

        // φ and its tails Φ (Naive-PGD reads neither, BC-HG's model sensitivity replaces Φ) and the MC return.
        double[] phi = null;
        double[] tails = null;
        if (term != Response.NONE && !modelSensitivity) {
            phi = followerScoreValues(batch, options.sensitivity() == Sensitivity.CENTRED);
            tails = new double[rows * d];
            BoltzmannCovariance.backward(batch, phi, d, gammaF, gammaF, tails);
        }
        double[] mcReturn = term == Response.CENTRED && !actionValue ? leaderReturns(batch, gammaL) : null;

        // Fit the critics on every row.
        double[] z = null;
        double criticLoss;
        if (fitting.reset()) {
            critic.reset();
        }
        if (actionValue) {
            z = new double[rows * (n + m)];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(batch.states, r * n, z, r * (n + m), n);
                System.arraycopy(batch.actions, r * m, z, r * (n + m) + n, m);
            }
            criticLoss = critic.fit(z, successors, batch.leaderRewards, rows, steps, fitting.batch(), rng).lastLoss();
        } else {
            criticLoss = critic.fit(batch.states, successors, batch.leaderRewards, rows, steps, fitting.batch(), rng)
                    .lastLoss();
        }
        TdCritic gradientNetwork = withValueGradient && term == Response.CENTRED ? valueGradient(gammaF) : null;
        double valueGradientLoss = Double.NaN;
        if (gradientNetwork != null) {
            // Ψ̂ ≈ ∇_w V_F, fitted to the per-step vector rewards γ_F φ.
            double[] rewards = new double[rows * d];
            for (int k = 0; k < rows * d; k++) {
                rewards[k] = gammaF * phi[k];
            }
            if (fitting.reset()) {
                gradientNetwork.reset();
            }
            valueGradientLoss = gradientNetwork.fit(batch.states, successors, rewards, rows, steps, fitting.batch(),
                    rng).lastLoss();
        }

        // Rows whose critic-dependent terms are evaluated, and their weights.
        double[] discount = new double[batch.horizon];
        discount[0] = 1.0;
        for (int t = 1; t < batch.horizon; t++) {
            discount[t] = discount[t - 1] * gammaL;
        }
        double[] criticWeight = new double[rows];
        int[] kept = keptRows(batch, discount, rng, criticWeight);

        double[] vHat = new double[rows];
        double[] qHat = null;
        if (actionValue) {
            qHat = new double[rows];
            predictRows(critic, z, n + m, 1, kept, qHat);
            sampledValue(batch.states, follower, rng, kept, vHat);
        } else {
            predictRows(critic, batch.states, n, 1, kept, vHat);
        }
        double[] mirroredValue = null;
        if (options.mirroredDirect()) {
            mirroredValue = new double[rows];
            double[] mirrored = mirroredStates(batch, model, kept);
            if (actionValue) {
                sampledValue(mirrored, follower, rng, kept, mirroredValue);
            } else {
                predictRows(critic, mirrored, n, 1, kept, mirroredValue);
            }
        }
        double[] bigPhi = modelSensitivity ? modelSensitivity(batch, model, follower, successors, kept, rng) : tails;
        double[] psiHat = null;
        if (gradientNetwork != null) {
            psiHat = new double[rows * d];
            predictRows(gradientNetwork, batch.states, n, d, kept, psiHat);
        }
        return new Inputs(discount, criticWeight, kept, vHat, qHat, mirroredValue, bigPhi, psiHat, mcReturn,
                criticLoss, valueGradientLoss);
    }

    /** One estimate's row sums over prepared inputs. */
    private final class DynamicsPass implements Pass {

        private final ContinuousBatch batch;
        private final int rows;
        private final int d;
        private final double beta;
        private final Inputs in;
        private final double[] psi;
        private final double[] direct;
        private final double[] response;

        DynamicsPass(ContinuousBatch batch, double beta, Inputs in) {
            this.batch = batch;
            this.beta = beta;
            this.in = in;
            rows = batch.rows();
            d = batch.decisionDimension;
            psi = new double[d];
            direct = new double[d];
            response = new double[d];
        }

        @Override
        public int samples() {
            return rows;
        }

        /** {@code γ_L^t ∇f_k}, then the critic's {@code ψ_k·V̂(x_k)} (or its mirrored form) at kept rows. */
        @Override
        public void direct(int r) {
            int t = r % batch.horizon;
            double w = in.discount()[t];
            for (int i = 0; i < d; i++) {
                direct[i] += w * batch.leaderRewardGradients[r * d + i];
            }
            w = in.criticWeight()[r];
            if (w == 0.0) {
                return;
            }
            if (t > 0 && in.mirroredValue() != null) {
                double half = 0.5 * (in.vHat()[r] - in.mirroredValue()[r]);
                for (int i = 0; i < d; i++) {
                    direct[i] += w * batch.scores[r * d + i] * half;
                }
            } else if (t > 0) {
                System.arraycopy(batch.scores, r * d, psi, 0, d);
                clipPerGroup(psi, options.scoreClip());
                double value = in.vHat()[r];
                for (int i = 0; i < d; i++) {
                    direct[i] += w * psi[i] * value;
                }
            }
        }

        @Override
        public double benefit(int r) {
            return (in.qHat()[r] - in.vHat()[r]) / beta;
        }

        @Override
        public void covariance(int r, double benefit) {
            double w = in.criticWeight()[r];
            if (w == 0.0) {
                return;
            }
            double[] bigPhi = in.bigPhi();
            for (int i = 0; i < d; i++) {
                response[i] += w * bigPhi[r * d + i] * benefit;
            }
        }

        @Override
        public double advantage(int r) {
            return (in.mcReturn() != null ? in.mcReturn()[r] : in.qHat()[r]) / beta;
        }

        @Override
        public void centred(int r, double advantage) {
            double w = in.criticWeight()[r];
            if (w == 0.0) {
                return;
            }
            double[] bigPhi = in.bigPhi();
            double[] psiHat = in.psiHat();
            for (int i = 0; i < d; i++) {
                response[i] += w * (bigPhi[r * d + i] - psiHat[r * d + i]) * advantage;
            }
        }

        @Override
        public Estimate close() {
            for (int i = 0; i < d; i++) {
                direct[i] /= batch.episodes;
                response[i] /= batch.episodes;
            }
            double sumV = 0.0;
            double sumQ = 0.0;
            int[] kept = in.kept();
            for (int r : kept) {
                sumV += in.vHat()[r];
                if (in.qHat() != null) {
                    sumQ += in.qHat()[r];
                }
            }
            Map<String, Double> diagnostics = new LinkedHashMap<>();
            diagnostics.put("mean_leader_value", sumV / kept.length);
            diagnostics.put("mean_leader_q", in.qHat() == null ? Double.NaN : sumQ / kept.length);
            diagnostics.put("critic_loss", in.criticLoss());
            diagnostics.put("value_gradient_loss", in.valueGradientLoss());
            return new Estimate(direct, response, diagnostics);
        }

    }

    /**
     * Chooses the rows whose critic-dependent terms are evaluated: all of them with weight {@code γ_L^t}, or, with
     * {@code subsampleFrom = T₀ ≥ 0}, rows at {@code t ≥ T₀} with probability {@code γ_L^{t−T₀}} and weight
     * {@code γ_L^{T₀}} (the same expectation).
     */
    private int[] keptRows(ContinuousBatch batch, double[] discount, SplitMixRandom rng, double[] weight) {
        int rows = batch.rows();
        int from = options.subsampleFrom();
        int[] out = new int[rows];
        int count = 0;
        for (int r = 0; r < rows; r++) {
            int t = r % batch.horizon;
            if (from < 0 || t < from) {
                weight[r] = discount[t];
                out[count++] = r;
            } else if (rng.nextDouble() < discount[t - from]) {
                weight[r] = discount[from];
                out[count++] = r;
            }
        }
        return java.util.Arrays.copyOf(out, count);
    }

    /**
     * @return row-major mirrored successors {@code x̃_k = 2μ(x_{k−1},u_{k−1}) − x_k} at the kept rows with
     *     {@code t > 0} (other rows zero)
     */
    private static double[] mirroredStates(ContinuousBatch batch, DynamicsDesign.Model model, int[] kept) {
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
            model.transitionMean(x, u, mean);
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
    private double[] modelSensitivity(ContinuousBatch batch, DynamicsDesign.Model model, GaussianResponse follower,
            int[] successors, int[] kept, SplitMixRandom rng) {
        int rows = batch.rows();
        int n = batch.stateDimension;
        int m = batch.actionDimension;
        int d = batch.decisionDimension;
        double gammaF = follower.discount();
        ModelSensitivity g = new ModelSensitivity(model, follower, sensitivityCritic(gammaF), n, d);
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
     * {@code φ_k = score_{k+1}·V_F(x_{k+1})} (0 at the last step of an episode), with {@code V_F(x_{k+1})} centred by
     * {@code E[V_F(x_{k+1})|x_k,u_k]} when {@code baseline} is set: the derivative whose discounted tails are the
     * follower's sensitivity.
     *
     * @return {@code φ}, {@code [rows·d]}
     */
    static double[] followerScoreValues(ContinuousBatch batch, boolean baseline) {
        int h = batch.horizon;
        int d = batch.decisionDimension;
        double[] phi = new double[batch.rows() * d];
        for (int r = 0; r < batch.rows(); r++) {
            if (r % h < h - 1) {
                double v = batch.followerValues[r + 1] - (baseline ? batch.expectedNextFollowerValues[r] : 0.0);
                for (int i = 0; i < d; i++) {
                    phi[r * d + i] = batch.scores[(r + 1) * d + i] * v;
                }
            }
        }
        return phi;
    }

    /** @return {@code R_k = Σ_{j≥k} γ_L^{j−k} f_j} within each episode */
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
    void sampledValue(double[] states, GaussianResponse follower, SplitMixRandom rng, int[] rowsToDo,
            double[] out) {
        int n = follower.stateDimension();
        int m = follower.actionDimension();
        int width = n + m;
        int samples = options.valueSampling().samples();
        int blockRows = Math.max(1, PREDICT_BLOCK / samples);
        double[] z = new double[blockRows * samples * width];
        double[] q = new double[blockRows * samples];
        double[] eps = new double[m];
        double[] mean = new double[m];
        int rows = rowsToDo.length;
        for (int start = 0; start < rows; start += blockRows) {
            int len = Math.min(blockRows, rows - start);
            int k = 0;
            for (int i = 0; i < len; i++) {
                int r = rowsToDo[start + i];
                follower.meanAction(states, r * n, mean, 0);
                for (int j = 0; j < samples; j++) {
                    int off = k * width;
                    System.arraycopy(states, r * n, z, off, n);
                    System.arraycopy(mean, 0, z, off + n, m);
                    if (!options.valueSampling().antithetic() || j % 2 == 0) {
                        for (int c = 0; c < m; c++) {
                            eps[c] = rng.nextGaussian();
                        }
                    }
                    double sign = options.valueSampling().antithetic() && j % 2 == 1 ? -1.0 : 1.0;
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
