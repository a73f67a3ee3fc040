package dev.bilevel.learn.follower.learning;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.SoftActorCriticGameResponse;
import dev.bilevel.learn.follower.TanhGaussian;
import dev.bilevel.learn.state.NetworkState;
import dev.bilevel.nn.Activation;
import dev.bilevel.nn.Adam;
import dev.bilevel.nn.Initializer;
import dev.bilevel.nn.Mlp;

/**
 * A follower that learns by soft actor-critic (SAC; Haarnoja et al. 2018, with the automatic temperature) from its
 * own experience, with continuous observations and actions:
 * <ul>
 *   <li><b>the actor</b>, a tanh-Gaussian policy: an MLP gives the mean {@code μ(o)} and log standard deviation
 *       {@code log σ(o)} (clamped to {@code [−20, 2]}) of {@code u}, and the action is {@code a = c·tanh(u)} in the
 *       box {@code [−c, c]}; {@code log π(a|o) = log N(u; μ, σ) − Σ_j log(1 − tanh²u_j)} (+10⁻⁶ inside the log);</li>
 *   <li><b>twin critics</b> {@code Q_1, Q_2} of {@code (o, a/c)}, each regressed by mean squared error on
 *       {@code y = r + γ_F·(1 − d)·(min_k Q̄_k(o', ã') − α·log π(ã'|o'))}, {@code ã' ~ π(·|o')}, with <b>target
 *       critics</b> {@code Q̄_k} Polyak-averaged at rate {@code τ} after every gradient step;</li>
 *   <li>the actor descends {@code E[α·log π(ã|o) − min_k Q_k(o, ã)]} by the reparameterisation
 *       {@code u = μ + σ·ε}, {@code ε ~ N(0, I)}, the critics' input gradients carrying {@code ∂Q/∂a};</li>
 *   <li><b>the temperature</b>: fixed, or {@code log α} descends {@code −log α·(log π + H̄)} by Adam (gradient
 *       {@code −E[log π + H̄]}: too much entropy lowers {@code α}).</li>
 * </ul>
 * Every network has its own Adam. It acts uniformly at random in its box for its first steps, then by its actor;
 * after each environment step, once it remembers a batch, it takes {@code u} gradient steps on minibatches drawn
 * uniformly from its memory.
 *
 * <p>What the leader may see of it ({@link #softValue}): its soft value {@code V(o) = E_{ã~π}[min_k Q_k(o, ã) − α·log
 * π(ã|o)]}, estimated with draws from its own actor, not, as the reference's wrapper does, from uniformly random
 * actions; its policy ({@link #mean}, {@link #act}); and its temperature ({@link #temperature}).
 *
 * <p>Not thread-safe: one instance per run. Deterministic for a given random stream.
 */
public final class ContinuousSoftActorCritic implements ContinuousLearner, Stateful {

    private final int n;
    private final int m;
    private final double[] scale;
    private final SacSettings settings;
    private final SplitMixRandom rng;
    private final Mlp actor;
    private final Mlp q1;
    private final Mlp q2;
    private final Mlp target1;
    private final Mlp target2;
    private final Adam actorAdam;
    private final Adam q1Adam;
    private final Adam q2Adam;
    private final Adam temperatureAdam;
    private final double[] logTemperature = new double[1];
    private final double[] temperatureGradient = new double[1];
    private final Mlp.Workspace actorBatch;
    private final Mlp.Workspace actorSingle;
    private final Mlp.Workspace criticBatch1;
    private final Mlp.Workspace criticBatch2;
    private final ContinuousTransitionMemory memory;

    // minibatch scratch, allocated once
    private final int[] rows;
    private final double[] obs;
    private final double[] nextObs;
    private final double[] criticInput;
    private final double[] targets;
    private final double[] gradOut;
    private final double[] firstIsSmaller;
    private final double[] secondIsSmaller;
    private final double[] actorGrad;
    private final double[] noise;
    private final double[] squashed;
    private final double[] logProb;
    private final double[] gradIn1;
    private final double[] gradIn2;
    private final double[] single;
    private long steps;
    private long gradientSteps;

    /**
     * @param observationDimension the length of its observation vector
     * @param actionScale its action box's half-widths {@code c_j > 0}, one per action coordinate
     * @param settings its settings
     * @param rng its own randomness: initial weights, actions, minibatches
     */
    public ContinuousSoftActorCritic(int observationDimension, double[] actionScale, SacSettings settings,
            SplitMixRandom rng) {
        if (observationDimension < 1 || actionScale.length < 1) {
            throw new IllegalArgumentException("need ≥ 1 observation and action coordinate, got "
                    + observationDimension + " and " + actionScale.length);
        }
        for (double c : actionScale) {
            if (!(c > 0.0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("action scale must be > 0 and finite, got " + c);
            }
        }
        this.n = observationDimension;
        this.m = actionScale.length;
        this.scale = actionScale.clone();
        this.settings = settings;
        this.rng = rng;
        int[] hidden = settings.hidden();
        actor = Mlp.of(n, hidden, 2 * m, Activation.RELU, Activation.IDENTITY);
        q1 = Mlp.of(n + m, hidden, 1, Activation.RELU, Activation.IDENTITY);
        q2 = Mlp.of(n + m, hidden, 1, Activation.RELU, Activation.IDENTITY);
        actor.initialize(Initializer.XAVIER_UNIFORM, rng);
        q1.initialize(Initializer.XAVIER_UNIFORM, rng);
        q2.initialize(Initializer.XAVIER_UNIFORM, rng);
        target1 = q1.copy();
        target2 = q2.copy();
        actorAdam = new Adam(actor.parameterCount(), settings.actorLearningRate());
        q1Adam = new Adam(q1.parameterCount(), settings.criticLearningRate());
        q2Adam = new Adam(q2.parameterCount(), settings.criticLearningRate());
        temperatureAdam = new Adam(1, Math.max(settings.temperatureLearningRate(), 0.0));
        logTemperature[0] = Math.log(settings.temperature());
        int b = settings.batchSize();
        actorBatch = actor.workspace(b);
        actorSingle = actor.workspace(1);
        criticBatch1 = q1.workspace(b);
        criticBatch2 = q2.workspace(b);
        memory = new ContinuousTransitionMemory(settings.replayCapacity(), n, m);
        rows = new int[b];
        obs = new double[b * n];
        nextObs = new double[b * n];
        criticInput = new double[b * (n + m)];
        targets = new double[b];
        gradOut = new double[b];
        firstIsSmaller = new double[b];
        secondIsSmaller = new double[b];
        actorGrad = new double[b * 2 * m];
        noise = new double[b * m];
        squashed = new double[b * m];
        logProb = new double[b];
        gradIn1 = new double[b * (n + m)];
        gradIn2 = new double[b * (n + m)];
        single = new double[n];
    }

    @Override
    public int observationDimension() {
        return n;
    }

    @Override
    public int actionDimension() {
        return m;
    }

    /** Its current temperature {@code α}. */
    public double temperature() {
        return Math.exp(logTemperature[0]);
    }

    /** The environment steps it has learned from. */
    public long steps() {
        return steps;
    }

    /** The gradient steps it has taken. */
    public long gradientSteps() {
        return gradientSteps;
    }

    /**
     * Draws its action: uniform in its box for its first {@code randomSteps} steps, then {@code c·tanh(μ + σ·ε)}.
     */
    @Override
    public void act(double[] observation, int offset, double[] action, int actionOffset) {
        if (steps < settings.randomSteps()) {
            for (int j = 0; j < m; j++) {
                action[actionOffset + j] = scale[j] * (2.0 * rng.nextDouble() - 1.0);
            }
            return;
        }
        double[] out = forwardOne(observation, offset);
        for (int j = 0; j < m; j++) {
            double logStd = TanhGaussian.clampLogStd(out[m + j]);
            action[actionOffset + j] = scale[j] * Math.tanh(out[j] + Math.exp(logStd) * rng.nextGaussian());
        }
    }

    /** Writes its actor's deterministic action {@code c·tanh(μ(o))}, for evaluation. */
    public void mean(double[] observation, int offset, double[] action, int actionOffset) {
        double[] out = forwardOne(observation, offset);
        for (int j = 0; j < m; j++) {
            action[actionOffset + j] = scale[j] * Math.tanh(out[j]);
        }
    }

    /**
     * Its soft value at one observation, {@code E_{ã~π}[min_k Q_k(o, ã) − α·log π(ã|o)]}, estimated with
     * {@code draws} actions from its actor (at most the batch size).
     *
     * @param draws the number of actions drawn, {@code 1 … batchSize}
     * @param random the randomness of the draws (not its own, so that asking does not change its future)
     */
    public double softValue(double[] observation, int offset, int draws, SplitMixRandom random) {
        if (draws < 1 || draws > settings.batchSize()) {
            throw new IllegalArgumentException("draws must be in [1, " + settings.batchSize() + "], got " + draws);
        }
        for (int i = 0; i < draws; i++) {
            System.arraycopy(observation, offset, obs, i * n, n);
        }
        sampleActions(obs, draws, random);
        double[] v1 = q1.forward(criticBatch1, criticInput, draws);
        double[] v2 = q2.forward(criticBatch2, criticInput, draws);
        double alpha = temperature();
        double sum = 0.0;
        for (int i = 0; i < draws; i++) {
            sum += Math.min(v1[i], v2[i]) - alpha * logProb[i];
        }
        return sum / draws;
    }

    /**
     * What a leader of a game in which this follower observes {@code [x, a_L]} may observe of it, showing what it
     * plays now (refresh it with {@link #showTo}).
     *
     * @param stateDimension {@code n}, the game state's coordinates in its observation
     * @param leaderBound the leader's actions are clipped to {@code [−bound, bound]} before it sees them
     * @param draws actor draws per soft-value estimate
     * @param valueRandom the leader's randomness for those draws
     */
    public SoftActorCriticGameResponse response(int stateDimension, double leaderBound, int draws,
            SplitMixRandom valueRandom) {
        SoftActorCriticGameResponse response = new SoftActorCriticGameResponse(actor, q1, scale, stateDimension,
                leaderBound, settings.discount(), draws, valueRandom);
        showTo(response);
        return response;
    }

    /**
     * Shows a leader what it currently plays: copies its actor, its critics and its temperature into
     * {@code response}, which then answers from that copy until the next call.
     */
    public void showTo(SoftActorCriticGameResponse response) {
        response.observe(actor, q1, q2, temperature(), steps < settings.randomSteps());
    }

    /**
     * Remembers the transition and, once it remembers a batch, takes {@code updatesPerStep} gradient steps.
     *
     * @throws ArithmeticException when a loss or the temperature stops being finite
     */
    @Override
    public void learn(double[] observation, double[] action, double reward, double[] next, boolean terminal) {
        memory.add(observation, action, scale, reward, next, terminal);
        steps++;
        if (memory.size() < settings.batchSize()) {
            return;
        }
        for (int k = 0; k < settings.updatesPerStep(); k++) {
            update();
        }
    }

    private void update() {
        int b = settings.batchSize();
        int width = n + m;
        for (int i = 0; i < b; i++) {
            rows[i] = rng.nextInt(memory.size());
            memory.copyObservation(rows[i], obs, i * n);
            memory.copyNext(rows[i], nextObs, i * n);
        }
        double alpha = temperature();

        // critic targets: y = r + γ(1 − d)(min Q̄(o', ã') − α log π(ã'|o')), ã' ~ π(·|o')
        sampleActions(nextObs, b, rng);
        double[] t1 = target1.forward(criticBatch1, criticInput, b);
        double[] t2 = target2.forward(criticBatch2, criticInput, b);
        for (int i = 0; i < b; i++) {
            double soft = Math.min(t1[i], t2[i]) - alpha * logProb[i];
            targets[i] = memory.reward(rows[i]) + (memory.terminal(rows[i]) ? 0.0 : settings.discount() * soft);
        }
        for (int i = 0; i < b; i++) {
            memory.copyCriticInput(rows[i], criticInput, i * width);
        }
        regress(q1, criticBatch1, q1Adam);
        regress(q2, criticBatch2, q2Adam);

        // actor: descend E[α log π(ã|o) − min Q(o, ã)], ã = c·tanh(μ + σε); its forward output stays valid below
        double[] out = actor.forward(actorBatch, obs, b);
        double sumLogProb = drawSquashed(out, b, rng);
        for (int i = 0; i < b; i++) {
            System.arraycopy(obs, i * n, criticInput, i * width, n);
            System.arraycopy(squashed, i * m, criticInput, i * width + n, m);
        }
        double[] v1 = q1.forward(criticBatch1, criticInput, b);
        double[] v2 = q2.forward(criticBatch2, criticInput, b);
        for (int i = 0; i < b; i++) {
            firstIsSmaller[i] = v1[i] <= v2[i] ? 1.0 : 0.0;
            secondIsSmaller[i] = 1.0 - firstIsSmaller[i];
        }
        // ∂ min Q/∂ã through whichever critic is the smaller on each row (their parameter gradients are discarded)
        q1.backward(criticBatch1, firstIsSmaller, b, gradIn1);
        q2.backward(criticBatch2, secondIsSmaller, b, gradIn2);
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < m; j++) {
                int a = i * m + j;
                double t = squashed[a];
                double oneMinus = 1.0 - t * t;
                double dLogPdU = TanhGaussian.squashCorrectionSlope(t, oneMinus);
                double dQdU = (gradIn1[i * width + n + j] + gradIn2[i * width + n + j]) * oneMinus;
                double rawLogStd = out[i * 2 * m + m + j];
                double sigmaEps = Math.exp(TanhGaussian.clampLogStd(rawLogStd)) * noise[a];
                actorGrad[i * 2 * m + j] = (alpha * dLogPdU - dQdU) / b;
                boolean clamped = TanhGaussian.clamped(rawLogStd);
                actorGrad[i * 2 * m + m + j] = clamped ? 0.0
                        : (alpha * (-1.0 + dLogPdU * sigmaEps) - dQdU * sigmaEps) / b;
            }
        }
        actor.zeroGradients();
        actor.backward(actorBatch, actorGrad, b);
        actorAdam.step(actor.parameters(), actor.gradients());

        if (settings.automaticTemperature()) {
            temperatureGradient[0] = -(sumLogProb / b + settings.targetEntropy());
            temperatureAdam.step(logTemperature, temperatureGradient);
        }
        target1.polyakUpdate(q1, settings.polyak());
        target2.polyakUpdate(q2, settings.polyak());
        gradientSteps++;
        if (!Double.isFinite(logTemperature[0]) || !Double.isFinite(sumLogProb) || !Double.isFinite(targets[0])) {
            throw new ArithmeticException("the soft actor-critic follower diverged after " + gradientSteps
                    + " gradient steps (log α = " + logTemperature[0] + ", mean log π = " + sumLogProb / b
                    + ", critic target " + targets[0] + ")");
        }
    }

    /** One MSE step of a critic on {@link #criticInput} against {@link #targets}. */
    private void regress(Mlp critic, Mlp.Workspace ws, Adam adam) {
        int b = settings.batchSize();
        double[] q = critic.forward(ws, criticInput, b);
        for (int i = 0; i < b; i++) {
            gradOut[i] = (q[i] - targets[i]) / b;
        }
        critic.zeroGradients();
        critic.backward(ws, gradOut, b);
        adam.step(critic.parameters(), critic.gradients());
    }

    /**
     * Draws {@code ã ~ π(·|o)} for the first {@code b} rows of {@code observations}: writes {@link #squashed},
     * {@link #noise}, {@link #logProb} and the critics' input {@code [o, ã/c]} into {@link #criticInput}.
     */
    private void sampleActions(double[] observations, int b, SplitMixRandom random) {
        double[] out = actor.forward(actorBatch, observations, b);
        drawSquashed(out, b, random);
        for (int i = 0; i < b; i++) {
            System.arraycopy(observations, i * n, criticInput, i * (n + m), n);
            System.arraycopy(squashed, i * m, criticInput, i * (n + m) + n, m);
        }
    }

    /** Reparameterised draws from the actor's output rows; returns {@code Σ_i log π}. */
    private double drawSquashed(double[] out, int b, SplitMixRandom random) {
        double sum = 0.0;
        for (int i = 0; i < b; i++) {
            logProb[i] = TanhGaussian.drawRow(out, i, m, random, squashed, i * m, noise);
            sum += logProb[i];
        }
        return sum;
    }

    private double[] forwardOne(double[] observation, int offset) {
        System.arraycopy(observation, offset, single, 0, n);
        return actor.forward(actorSingle, single, 1);
    }

    /** Its networks, optimisers, temperature, step counts, random stream and memory. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("ContinuousSoftActorCritic");
        NetworkState.write(out, actorAdam, actor);
        NetworkState.write(out, q1Adam, q1, target1);
        NetworkState.write(out, q2Adam, q2, target2);
        NetworkState.write(out, temperatureAdam);
        out.writeDouble(logTemperature[0]).writeLong(steps).writeLong(gradientSteps).writeRandom(rng);
        memory.saveState(out);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("ContinuousSoftActorCritic");
        NetworkState.read(in, actorAdam, actor);
        NetworkState.read(in, q1Adam, q1, target1);
        NetworkState.read(in, q2Adam, q2, target2);
        NetworkState.read(in, temperatureAdam);
        logTemperature[0] = in.readDouble();
        steps = in.readLong();
        gradientSteps = in.readLong();
        in.readRandom(rng);
        memory.restoreState(in);
    }
}
