package dev.bilevel.learn.follower.learning;

import dev.bilevel.core.math.LogSumExp;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.learn.follower.TabularResponse;
import java.util.Objects;

/**
 * A tabular follower that learns by soft Q-learning from its own experience: it acts by its Boltzmann policy
 * {@code π(a|s) ∝ exp(Q(s,a)/λ)}, except that with probability {@code ε} it tries a uniformly random action, and
 * after each transition moves {@code Q(s,a)} toward
 * {@code r + γ_F·V(s')}, {@code V(s') = λ·log Σ_a' exp(Q(s',a')/λ)} ({@code r} alone when the episode terminates at
 * {@code s}), with a constant step {@code α}. Its fixed point is the entropy-regularised optimum that the planning
 * followers compute, provided it keeps trying every action: soft Q-learning is off-policy, and without {@code ε} a
 * small {@code λ} makes its policy greedy long before its table is right, so that the actions it stopped trying
 * keep their early, low values (and its soft values with them).
 *
 * <p>It learns at its own rate: with {@code u} updates per environment step, each step's transition is followed by
 * {@code u − 1} updates on transitions drawn uniformly from its memory of its last ones (experience replay, rewards as
 * it received them). With {@code u = 1} it learns from each transition once, as it happens.
 *
 * <p>It knows nothing of the leader but the rewards the environment gives it. Asked for a response
 * ({@link #respond}), it answers with what it currently plays, exploration included, its soft value estimate and
 * {@code λ}: the leader's white-box view of a learner that is never quite converged. It starts from {@code Q = 0}
 * (the uniform policy).
 */
public final class SoftQLearningFollower implements TabularLearningFollower {

    private final int states;
    private final int actions;
    private final double temperature;
    private final double discount;
    private final double stepSize;
    private final Exploration exploration;
    private final SplitMixRandom rng;
    private final double[] q;
    private final double[] row;
    private final int updatesPerStep;
    private final TransitionMemory memory;
    private final TransitionMemory.Update replayed = (s, b, a, r, n, t) -> update(s, a, r, n, t);
    private long updates;

    /**
     * @param states the number of states
     * @param actions the number of actions
     * @param temperature {@code λ > 0}
     * @param discount {@code γ_F ∈ [0, 1)}
     * @param stepSize {@code α ∈ (0, 1]}
     * @param exploration {@code ε ∈ [0, 1]}, the probability of a uniformly random action
     * @param rng the follower's own randomness, for its actions
     */
    public SoftQLearningFollower(int states, int actions, double temperature, double discount, double stepSize,
            double exploration, SplitMixRandom rng) {
        this(states, actions, temperature, discount, stepSize, Exploration.constant(exploration), 1, 1, rng);
    }

    /**
     * A follower that learns {@code updatesPerStep} times per environment step, replaying its memory.
     *
     * @param states the number of states
     * @param actions the number of actions
     * @param temperature {@code λ > 0}
     * @param discount {@code γ_F ∈ [0, 1)}
     * @param stepSize {@code α ∈ (0, 1]}
     * @param exploration its schedule of {@code ε}, the probability of a uniformly random action
     * @param updatesPerStep {@code u ≥ 1}
     * @param replayCapacity how many of its last transitions it remembers, ≥ 1 (unused when {@code u = 1})
     * @param rng the follower's own randomness, for its actions and its replay draws
     */
    public SoftQLearningFollower(int states, int actions, double temperature, double discount, double stepSize,
            Exploration exploration, int updatesPerStep, int replayCapacity, SplitMixRandom rng) {
        if (states < 1 || actions < 1) {
            throw new IllegalArgumentException("need ≥ 1 state and action, got " + states + " and " + actions);
        }
        if (!(temperature > 0.0) || !(discount >= 0.0 && discount < 1.0)) {
            throw new IllegalArgumentException("need λ > 0 and γ_F in [0, 1), got " + temperature + " and "
                    + discount);
        }
        ExploringSoftmax.checkRates(stepSize, updatesPerStep);
        this.exploration = Objects.requireNonNull(exploration, "exploration");
        this.updatesPerStep = updatesPerStep;
        this.memory = updatesPerStep > 1 ? new TransitionMemory(replayCapacity) : null;
        this.states = states;
        this.actions = actions;
        this.temperature = temperature;
        this.discount = discount;
        this.stepSize = stepSize;
        this.rng = rng;
        this.q = new double[states * actions];
        this.row = new double[actions];
    }

    /**
     * Draws the follower's action in {@code state}: uniformly with probability {@code ε}, else from its current
     * policy.
     *
     * @param state the state
     * @return the action
     */
    @Override
    public int act(int state) {
        return ExploringSoftmax.draw(q, state * actions, actions, temperature, exploration.at(updates), row, rng);
    }

    /**
     * Learns from one transition of its own.
     *
     * @param state where it acted
     * @param action what it did
     * @param reward what the environment gave it
     * @param next where it went (ignored when {@code terminal})
     * @param terminal whether the episode ended in {@code state}, with nothing to bootstrap from
     * @throws ArithmeticException when the table stops being finite
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
        double target = reward;
        if (!terminal) {
            target += discount * LogSumExp.soft(q, next * actions, actions, temperature);
        }
        int i = state * actions + action;
        q[i] += stepSize * (target - q[i]);
        if (!Double.isFinite(q[i])) {
            throw new ArithmeticException("the soft Q-learning follower diverged at Q(" + state + ", " + action + ")");
        }
    }

    /** The number of environment steps it has learned from (each with {@code u} updates). */
    @Override
    public long updates() {
        return updates;
    }

    /**
     * What it currently plays, believes and announces: its policy {@code (1 − ε)·softmax(Q/λ) + ε/A}, the
     * distribution its actions in the stream are drawn from; its soft values {@code λ·log Σ_a exp(Q(s,a)/λ)}; and
     * {@code λ}. The answer is the same whatever the leader's decision (it learns the decision by its rewards).
     * Handing the leader {@code softmax(Q/λ)} alone would centre the leader's on-policy estimates by a policy the
     * data do not come from.
     */
    @Override
    public TabularResponse respond(double[] decision) {
        double[] value = new double[states];
        double[] policy = ExploringSoftmax.played(q, actions, temperature, exploration.at(updates), value);
        return new TabularResponse(states, actions, policy, value, temperature, discount);
    }

    /** Its table, its step count, its random stream and its memory. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("SoftQLearningFollower").writeDoubles(q).writeLong(updates).writeRandom(rng);
        if (memory != null) {
            memory.saveState(out);
        }
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("SoftQLearningFollower").readDoubles(q);
        updates = in.readLong();
        in.readRandom(rng);
        if (memory != null) {
            memory.restoreState(in);
        }
    }
}
