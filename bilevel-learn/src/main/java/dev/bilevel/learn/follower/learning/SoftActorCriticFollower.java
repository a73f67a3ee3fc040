package dev.bilevel.learn.follower.learning;

import dev.bilevel.core.math.LogSumExp;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.learn.follower.TabularResponse;
import java.util.Objects;

/**
 * A tabular follower that learns by discrete soft actor-critic (SAC) from its own experience. It keeps three tables:
 * <ul>
 *   <li><b>the critic</b> {@code Q(s,a)}, moved after each transition toward the soft target
 *       {@code y = r + γ_F·Σ_a' π(a'|s')·(Q̄(s',a') − α·log π(a'|s'))} ({@code r} alone when the episode terminates at
 *       {@code s}) with a constant step {@code η};</li>
 *   <li><b>the target critic</b> {@code Q̄}, a Polyak average {@code Q̄ ← (1 − τ)·Q̄ + τ·Q} after every update;</li>
 *   <li><b>the actor</b>, logits {@code θ(s,·)} with {@code π = softmax(θ)}. At the transition's state it takes a
 *       natural-gradient step of the SAC actor loss {@code Σ_a π(a|s)·(α·log π(a|s) − Q(s,a))}: with the step
 *       scaled by {@code 1/α} this is {@code θ(s,·) ← (1 − β)·θ(s,·) + β·Q(s,·)/α}, a partial soft policy
 *       improvement ({@code β = 1}: the full one). The plain gradient, {@code π_a·(g_a − Σ_b π_b g_b)}, vanishes
 *       with the small probabilities of a nearly greedy policy at small {@code α}; the natural one does not.</li>
 * </ul>
 *
 * <p><b>Temperature.</b> Fixed ({@code α = λ}, the problem's: its fixed point is then the planning followers'
 * entropy-regularised optimum), or automatic: after each actor step {@code log α} descends the temperature loss
 * {@code −log α·(log π + H̄)}, whose gradient is {@code H(π(·|s)) − H̄}. That is the sign the reference's
 * SACDiscrete gets wrong: too much entropy lowers {@code α}.
 *
 * <p>It acts by {@code (1 − ε)·π + ε/A} (with {@code ε = 0}, by its actor alone), learns at its own rate ({@code u}
 * updates per environment step, the first on the new transition, the rest replayed from its memory), and knows
 * nothing of the leader but its rewards. Asked for a response it answers with what it plays, its actor's soft
 * values {@code V(s) = Σ_a π(a|s)·(Q(s,a) − α·log π(a|s))} and its current {@code α}. Its tables start at zero (the
 * uniform policy).
 *
 * <p>One critic, not the twin of continuous SAC: in a table both twins receive the same updates on the same
 * transitions, their difference shrinks by {@code (1 − η)} at every visit, and their minimum is soon the one table.
 * The target critic is kept exactly but lazily: an entry's target is brought up to date, by {@code (1 − τ)^k} over
 * the {@code k} updates since it was last touched, only when it is read or its critic entry moves, so an update
 * costs {@code O(A)}, not {@code O(S·A)}.
 */
public final class SoftActorCriticFollower implements TabularLearningFollower {

    private final int states;
    private final int actions;
    private final double discount;
    private final double criticStep;
    private final double actorStep;
    private final double polyak;
    private final Exploration exploration;
    private final boolean automatic;
    private final double targetEntropy;
    private final double temperatureStep;
    private final int updatesPerStep;
    private final TransitionMemory memory;
    private final TransitionMemory.Update replayed = (s, b, a, r, n, t) -> update(s, a, r, n, t);
    private final SplitMixRandom rng;
    private final double[] q;
    private final double[] target;
    private final long[] synced;
    private final double[] logits;
    private final double[] row;
    private double logTemperature;
    private long clock;
    private long updates;

    /**
     * @param states the number of states
     * @param actions the number of actions
     * @param temperature {@code α > 0}: the fixed temperature, or the automatic one's start
     * @param discount {@code γ_F ∈ [0, 1)}
     * @param criticStep {@code η ∈ (0, 1]}
     * @param actorStep {@code β ∈ (0, 1]}
     * @param polyak {@code τ ∈ (0, 1]} ({@code 1}: the target is the critic itself)
     * @param exploration its schedule of {@code ε}
     * @param temperatureStep {@code > 0}: the step of {@code log α}; {@code 0} keeps {@code α} fixed
     * @param targetEntropy {@code H̄ ∈ [0, log A]} in nats (unused when {@code α} is fixed)
     * @param updatesPerStep {@code u ≥ 1}
     * @param replayCapacity how many of its last transitions it remembers, ≥ 1 (unused when {@code u = 1})
     * @param rng its own randomness, for its actions and its replay draws
     */
    public SoftActorCriticFollower(int states, int actions, double temperature, double discount, double criticStep,
            double actorStep, double polyak, Exploration exploration, double temperatureStep, double targetEntropy,
            int updatesPerStep, int replayCapacity, SplitMixRandom rng) {
        if (states < 1 || actions < 1) {
            throw new IllegalArgumentException("need ≥ 1 state and action, got " + states + " and " + actions);
        }
        if (!(temperature > 0.0) || !(discount >= 0.0 && discount < 1.0)) {
            throw new IllegalArgumentException("need λ > 0 and γ_F in [0, 1), got " + temperature + " and "
                    + discount);
        }
        ExploringSoftmax.checkRates(criticStep, updatesPerStep);
        this.exploration = Objects.requireNonNull(exploration, "exploration");
        if (!(actorStep > 0.0 && actorStep <= 1.0)) {
            throw new IllegalArgumentException("follower.actor_step: must be in (0, 1], got " + actorStep);
        }
        if (!(polyak > 0.0 && polyak <= 1.0)) {
            throw new IllegalArgumentException("follower.target_update: must be in (0, 1], got " + polyak);
        }
        if (!(temperatureStep >= 0.0) || Double.isInfinite(temperatureStep)) {
            throw new IllegalArgumentException("follower.temperature_step: must be ≥ 0 and finite, got "
                    + temperatureStep);
        }
        if (temperatureStep > 0.0 && !(targetEntropy >= 0.0 && targetEntropy <= Math.log(actions))) {
            throw new IllegalArgumentException("follower.target_entropy: must be in [0, log A] = [0, "
                    + Math.log(actions) + "], got " + targetEntropy);
        }
        this.states = states;
        this.actions = actions;
        this.discount = discount;
        this.criticStep = criticStep;
        this.actorStep = actorStep;
        this.polyak = polyak;
        this.automatic = temperatureStep > 0.0;
        this.temperatureStep = temperatureStep;
        this.targetEntropy = targetEntropy;
        this.updatesPerStep = updatesPerStep;
        this.memory = updatesPerStep > 1 ? new TransitionMemory(replayCapacity) : null;
        this.rng = rng;
        this.q = new double[states * actions];
        this.target = new double[states * actions];
        this.synced = new long[states * actions];
        this.logits = new double[states * actions];
        this.row = new double[actions];
        this.logTemperature = Math.log(temperature);
    }

    /** Draws its action in {@code state}: uniformly with probability {@code ε}, else from its actor. */
    @Override
    public int act(int state) {
        return ExploringSoftmax.draw(logits, state * actions, actions, 1.0, exploration.at(updates), row, rng);
    }

    /**
     * Learns from one transition of its own, then replays {@code u − 1} from its memory.
     *
     * @throws ArithmeticException when a table or the temperature stops being finite
     */
    @Override
    public void learn(int state, int action, double reward, int next, boolean terminal) {
        update(state, action, reward, next, terminal);
        if (memory != null) {
            memory.addAndReplay(state, 0, action, reward, next, terminal, updatesPerStep - 1, rng, replayed);
        }
        updates++;
    }

    private void update(int state, int action, double reward, int next, boolean terminal) {
        double alpha = Math.exp(logTemperature);
        double y = reward;
        if (!terminal) {
            y += discount * targetValue(next, alpha);
        }
        int i = state * actions + action;
        sync(i);
        q[i] += criticStep * (y - q[i]);
        improve(state, alpha);
        clock++;
        if (!Double.isFinite(q[i]) || !Double.isFinite(logTemperature)) {
            throw new ArithmeticException("the soft actor-critic follower diverged at Q(" + state + ", " + action
                    + ") = " + q[i] + ", log α = " + logTemperature);
        }
    }

    /** {@code Σ_a π(a|s)·(Q̄(s,a) − α·log π(a|s))}, with the target critic. */
    private double targetValue(int s, double alpha) {
        int o = s * actions;
        double lse = LogSumExp.softmax(logits, o, actions, 1.0, row, 0);
        double v = 0.0;
        for (int a = 0; a < actions; a++) {
            sync(o + a);
            v += row[a] * (target[o + a] - alpha * (logits[o + a] - lse));
        }
        return v;
    }

    /** The actor's step at {@code s}, then the temperature's. */
    private void improve(int s, double alpha) {
        int o = s * actions;
        double scale = actorStep / alpha;
        for (int a = 0; a < actions; a++) {
            logits[o + a] = (1.0 - actorStep) * logits[o + a] + scale * q[o + a];
        }
        if (automatic) {
            double lse = LogSumExp.softmax(logits, o, actions, 1.0, row, 0);
            double entropy = 0.0;
            for (int a = 0; a < actions; a++) {
                if (row[a] > 0.0) {
                    entropy -= row[a] * (logits[o + a] - lse);
                }
            }
            logTemperature -= temperatureStep * (entropy - targetEntropy);
        }
    }

    /** Brings {@code Q̄[i]} up to this update: {@code Q[i]} has not moved since it was last synced. */
    private void sync(int i) {
        long behind = clock - synced[i];
        if (behind > 0) {
            target[i] = q[i] + (target[i] - q[i]) * Math.pow(1.0 - polyak, behind);
            synced[i] = clock;
        }
    }

    @Override
    public long updates() {
        return updates;
    }

    /** Its current temperature {@code α}. */
    public double temperature() {
        return Math.exp(logTemperature);
    }

    /**
     * What it plays, {@code (1 − ε)·π + ε/A}; its actor's soft values {@code Σ_a π(a|s)·(Q(s,a) − α·log π(a|s))}
     * under its critic; its current {@code α}; and {@code γ_F}. The same whatever the leader's decision (it learns
     * the decision by its rewards).
     */
    @Override
    public TabularResponse respond(double[] decision) {
        double alpha = temperature();
        double[] value = new double[states];
        double[] policy = ExploringSoftmax.played(logits, actions, 1.0, exploration.at(updates), value);
        for (int s = 0; s < states; s++) {
            int o = s * actions;
            double lse = LogSumExp.softmax(logits, o, actions, 1.0, row, 0);
            double v = 0.0;
            for (int a = 0; a < actions; a++) {
                v += row[a] * (q[o + a] - alpha * (logits[o + a] - lse));
            }
            value[s] = v;
        }
        return new TabularResponse(states, actions, policy, value, alpha, discount);
    }

    /** Its tables, its temperature, its clocks, its random stream and its memory. */
    @Override
    public void saveState(StateWriter out) {
        double[] touched = new double[synced.length];
        for (int i = 0; i < synced.length; i++) {
            touched[i] = synced[i]; // exact below 2^53 updates
        }
        out.begin("SoftActorCriticFollower").writeDoubles(q).writeDoubles(target).writeDoubles(touched)
                .writeDoubles(logits).writeDouble(logTemperature).writeLong(clock).writeLong(updates).writeRandom(rng);
        if (memory != null) {
            memory.saveState(out);
        }
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("SoftActorCriticFollower").readDoubles(q);
        in.readDoubles(target);
        double[] touched = new double[synced.length];
        in.readDoubles(touched);
        for (int i = 0; i < synced.length; i++) {
            synced[i] = (long) touched[i];
        }
        in.readDoubles(logits);
        logTemperature = in.readDouble();
        clock = in.readLong();
        updates = in.readLong();
        in.readRandom(rng);
        if (memory != null) {
            memory.restoreState(in);
        }
    }
}
