package dev.bilevel.learn.follower.learning;

import dev.bilevel.core.math.LogSumExp;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.TabularResponse;

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
 * <p>It knows nothing of the leader but the rewards the environment gives it. Asked for a response
 * ({@link #respond}), it answers with what it currently plays: {@code softmax(Q/λ)}, its soft value estimate and
 * {@code λ}, the leader's white-box view of a learner that is never quite converged (its exploration aside, see
 * {@link #respond}). It starts from {@code Q = 0} (the uniform policy).
 */
public final class SoftQLearningFollower implements Follower<double[], TabularResponse>, TabularLearner, Stateful {

    private final int states;
    private final int actions;
    private final double temperature;
    private final double discount;
    private final double stepSize;
    private final double exploration;
    private final SplitMixRandom rng;
    private final double[] q;
    private final double[] row;
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
        if (states < 1 || actions < 1) {
            throw new IllegalArgumentException("need ≥ 1 state and action, got " + states + " and " + actions);
        }
        if (!(temperature > 0.0) || !(discount >= 0.0 && discount < 1.0)) {
            throw new IllegalArgumentException("need λ > 0 and γ_F in [0, 1), got " + temperature + " and "
                    + discount);
        }
        if (!(stepSize > 0.0 && stepSize <= 1.0)) {
            throw new IllegalArgumentException("follower.learning_rate: must be in (0, 1], got " + stepSize);
        }
        if (!(exploration >= 0.0 && exploration <= 1.0)) {
            throw new IllegalArgumentException("follower.exploration: must be in [0, 1], got " + exploration);
        }
        this.states = states;
        this.actions = actions;
        this.temperature = temperature;
        this.discount = discount;
        this.stepSize = stepSize;
        this.exploration = exploration;
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
        if (exploration > 0.0 && rng.nextDouble() < exploration) {
            return rng.nextInt(actions);
        }
        LogSumExp.softmax(q, state * actions, actions, temperature, row, 0);
        double u = rng.nextDouble();
        int last = 0;
        for (int a = 0; a < actions; a++) {
            if (row[a] > 0.0) {
                last = a;
                u -= row[a];
                if (u < 0.0) {
                    return a;
                }
            }
        }
        return last;
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
        double target = reward;
        if (!terminal) {
            target += discount * LogSumExp.soft(q, next * actions, actions, temperature);
        }
        int i = state * actions + action;
        q[i] += stepSize * (target - q[i]);
        if (!Double.isFinite(q[i])) {
            throw new ArithmeticException("the soft Q-learning follower diverged at Q(" + state + ", " + action + ")");
        }
        updates++;
    }

    /** The number of transitions it has learned from. */
    public long updates() {
        return updates;
    }

    /**
     * What it currently believes and, but for its exploration, plays: {@code softmax(Q/λ)}, its soft values and
     * {@code λ}, whatever the leader's decision (it learns the decision by its rewards). With {@code ε > 0} the
     * actions in the stream come from {@code (1 − ε)·softmax(Q/λ) + ε·uniform}, not from this policy exactly: a
     * white-box leader that takes the answer at face value is off by that much.
     */
    @Override
    public TabularResponse respond(double[] decision) {
        double[] policy = new double[q.length];
        double[] value = new double[states];
        for (int s = 0; s < states; s++) {
            value[s] = LogSumExp.softmax(q, s * actions, actions, temperature, policy, s * actions);
        }
        return new TabularResponse(states, actions, policy, value, temperature, discount);
    }

    /** Its table, its update count and its random stream. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("SoftQLearningFollower").writeDoubles(q).writeLong(updates).writeRandom(rng);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("SoftQLearningFollower").readDoubles(q);
        updates = in.readLong();
        in.readRandom(rng);
    }
}
