package dev.bilevel.learn.follower;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.nn.Mlp;

/**
 * What a leader observes of a soft actor-critic follower in a continuous Markov game in which the follower observes
 * {@code [x, a_L]}, the state and the leader's action clipped to its box. It is a copy, taken when the leader looks
 * ({@code ContinuousSoftActorCritic.showTo}), of the follower's <i>current</i> tanh-Gaussian actor, twin critics and
 * temperature: the outcome of its learning, never the learning itself. The leader's state may carry features of its
 * own after the game's {@code n} coordinates (a constant, say); the follower sees only the first {@code n}.
 *
 * <ul>
 *   <li>{@link #mean}: its deterministic action {@code c·tanh(μ)}; {@link #sample}: a draw from what it plays
 *       (uniform in its box while it still explores at random);</li>
 *   <li>{@link #softValue}: {@code W_F(x, a_L) = E_{ã~π}[min_k Q_k(o, ã) − α·log π(ã|o)]}, estimated from
 *       {@code draws} draws of its own actor (never uniformly random actions, as the reference's wrapper does), with
 *       a random stream of the leader's;</li>
 *   <li>{@link #temperature}: its {@code α}; {@link #discount}: its {@code γ_F}.</li>
 * </ul>
 *
 * A tanh-Gaussian policy is not exactly Boltzmann in {@code Q}; the estimators treat it as the follower's soft-optimal
 * response, as the paper's continuous experiments do. Scratch is allocated once; not thread-safe.
 */
public final class SoftActorCriticGameResponse implements GaussianGameResponse {

    private final Mlp actor;
    private final Mlp q1;
    private final Mlp q2;
    private final Mlp.Workspace actorSpace;
    private final Mlp.Workspace q1Space;
    private final Mlp.Workspace q2Space;
    private final int n;
    private final int l;
    private final int m;
    private final double[] scale;
    private final double leaderBound;
    private final double discount;
    private final int draws;
    private final SplitMixRandom valueRandom;
    private final double[] observations;
    private final double[] criticInput;
    private final double[] logProb;
    private double temperature = Double.NaN;
    private boolean uniform = true;

    /**
     * A response that has observed nothing yet: the follower's {@code showTo} fills it.
     *
     * @param actor the follower's actor (its shape: {@code n + l} inputs, {@code 2m} outputs; copied)
     * @param critic one of its critics (its shape: {@code n + l + m} inputs, 1 output; copied twice)
     * @param actionScale its action box's half-widths {@code c_j}
     * @param stateDimension {@code n}, the game state's coordinates the follower sees
     * @param leaderBound the leader's actions are clipped to {@code [−bound, bound]} before the follower sees them
     * @param discount the follower's {@code γ_F}
     * @param draws actor draws per soft-value estimate, ≥ 1
     * @param valueRandom the randomness of those draws
     */
    public SoftActorCriticGameResponse(Mlp actor, Mlp critic, double[] actionScale, int stateDimension,
            double leaderBound, double discount, int draws, SplitMixRandom valueRandom) {
        m = actionScale.length;
        if (stateDimension < 1 || stateDimension >= actor.inputs()) {
            throw new IllegalArgumentException("state dimension must be in [1, " + actor.inputs() + "), got "
                    + stateDimension);
        }
        if (actor.outputs() != 2 * m || critic.inputs() != actor.inputs() + m || critic.outputs() != 1) {
            throw new IllegalArgumentException("the actor must give 2 outputs per action coordinate and the critic"
                    + " read the observation and the action");
        }
        if (!(leaderBound > 0.0)) {
            throw new IllegalArgumentException("leader bound must be > 0, got " + leaderBound);
        }
        if (draws < 1) {
            throw new IllegalArgumentException("soft-value draws must be ≥ 1, got " + draws);
        }
        this.actor = actor.copy();
        this.q1 = critic.copy();
        this.q2 = critic.copy();
        actorSpace = this.actor.workspace(draws);
        q1Space = q1.workspace(draws);
        q2Space = q2.workspace(draws);
        n = stateDimension;
        l = actor.inputs() - stateDimension;
        scale = actionScale.clone();
        this.leaderBound = leaderBound;
        this.discount = discount;
        this.draws = draws;
        this.valueRandom = valueRandom;
        observations = new double[draws * (n + l)];
        criticInput = new double[draws * (n + l + m)];
        logProb = new double[draws];
    }

    /**
     * Takes a copy of what the follower plays now.
     *
     * @param uniform whether it still acts uniformly at random in its box
     */
    public void observe(Mlp followerActor, Mlp critic1, Mlp critic2, double alpha, boolean uniform) {
        actor.copyParametersFrom(followerActor);
        q1.copyParametersFrom(critic1);
        q2.copyParametersFrom(critic2);
        temperature = alpha;
        this.uniform = uniform;
    }

    /** Writes the follower's observation {@code [x, clip(a_L)]} into row {@code row} of the scratch. */
    private void observation(double[] x, int xOffset, double[] leaderAction, int leaderOffset, int row) {
        int at = row * (n + l);
        System.arraycopy(x, xOffset, observations, at, n);
        for (int k = 0; k < l; k++) {
            observations[at + n + k] = Math.max(-leaderBound, Math.min(leaderBound, leaderAction[leaderOffset + k]));
        }
    }

    @Override
    public void mean(double[] x, int xOffset, double[] leaderAction, int leaderOffset, double[] out, int outOffset) {
        observation(x, xOffset, leaderAction, leaderOffset, 0);
        double[] raw = actor.forward(actorSpace, observations, 1);
        for (int j = 0; j < m; j++) {
            out[outOffset + j] = scale[j] * Math.tanh(raw[j]);
        }
    }

    @Override
    public void sample(double[] x, int xOffset, double[] leaderAction, int leaderOffset, SplitMixRandom rng,
            double[] out, int outOffset) {
        if (uniform) {
            for (int j = 0; j < m; j++) {
                out[outOffset + j] = scale[j] * (2.0 * rng.nextDouble() - 1.0);
            }
            return;
        }
        observation(x, xOffset, leaderAction, leaderOffset, 0);
        double[] raw = actor.forward(actorSpace, observations, 1);
        for (int j = 0; j < m; j++) {
            double logStd = TanhGaussian.clampLogStd(raw[m + j]);
            out[outOffset + j] = scale[j] * Math.tanh(raw[j] + Math.exp(logStd) * rng.nextGaussian());
        }
    }

    @Override
    public double softValue(double[] x, int xOffset, double[] leaderAction, int leaderOffset) {
        for (int i = 0; i < draws; i++) {
            observation(x, xOffset, leaderAction, leaderOffset, i);
        }
        double[] raw = actor.forward(actorSpace, observations, draws);
        int width = n + l + m;
        for (int i = 0; i < draws; i++) {
            System.arraycopy(observations, i * (n + l), criticInput, i * width, n + l);
            logProb[i] = TanhGaussian.drawRow(raw, i, m, valueRandom, criticInput, i * width + n + l, null);
        }
        double[] v1 = q1.forward(q1Space, criticInput, draws);
        double[] v2 = q2.forward(q2Space, criticInput, draws);
        double sum = 0.0;
        for (int i = 0; i < draws; i++) {
            sum += Math.min(v1[i], v2[i]) - temperature * logProb[i];
        }
        return sum / draws;
    }

    @Override
    public double temperature() {
        return temperature;
    }

    @Override
    public double discount() {
        return discount;
    }
}
