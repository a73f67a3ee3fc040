package dev.bilevel.learn.follower.learning;

import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.math.LogSumExp;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.TabularGameResponse;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Markov-game follower that learns by soft Q-learning from its own experience. It sees the state and the leader's
 * action {@code b}, acts by {@code (1 − ε)·softmax(Q(s,b,·)/λ) + ε·uniform}, and after each transition moves
 * {@code Q(s,b,a)} toward {@code r + γ_F·V(s')} ({@code r} alone when the episode terminates at {@code s}) with a
 * constant step {@code α}.
 *
 * <p>The next state's value needs the leader's policy there, which the follower does not know. It estimates it from
 * the leader's actions it sees: {@code π̂_L(·|s)}, an exponential average with step {@code κ} of the observed
 * actions, starting uniform. With it, {@code V(s')} follows the game's backup: {@code Σ_b π̂_L(b|s')·λ·log Σ_a
 * exp(Q(s',b,a)/λ)} (sequential) or {@code λ·log Σ_a exp(Σ_b π̂_L(b|s')·Q(s',b,a)/λ)} (averaged, the reference's).
 * Its fixed point against a fixed leader is then the planning follower's best response.
 *
 * <p>Asked for a response ({@link #respond}) it answers with what it currently plays, exploration included, and its
 * soft values {@code W(s,b) = λ·log Σ_a exp(Q(s,b,a)/λ)}. It starts from {@code Q = 0} (the uniform policy).
 */
public final class GameSoftQLearningFollower implements Follower<double[], TabularGameResponse>, GameLearner,
        Stateful {

    private final int states;
    private final int leaderActions;
    private final int actions;
    private final double temperature;
    private final double discount;
    private final FollowerOperator operator;
    private final double stepSize;
    private final Exploration exploration;
    private final double leaderStep;
    private final SplitMixRandom rng;
    private final double[] q;
    private final double[] leaderPolicy;
    private final double[] row;
    private final int updatesPerStep;
    private final TransitionMemory memory;
    private final TransitionMemory.Update replayed = this::update;
    private long steps;

    /**
     * @param states {@code S}
     * @param leaderActions {@code B}
     * @param actions {@code A}, the follower's
     * @param temperature {@code λ > 0}
     * @param discount {@code γ_F ∈ [0, 1)}
     * @param operator the game's backup
     * @param stepSize {@code α ∈ (0, 1]}
     * @param exploration its schedule of {@code ε}
     * @param leaderStep {@code κ ∈ (0, 1]}, the step of its estimate of the leader's policy
     * @param updatesPerStep {@code u ≥ 1}: each transition is followed by {@code u − 1} updates on transitions drawn
     *     uniformly from its memory of its last ones (rewards as it received them)
     * @param replayCapacity how many of its last transitions it remembers, ≥ 1 (unused when {@code u = 1})
     * @param rng its own randomness, for its actions and its replay draws
     */
    public GameSoftQLearningFollower(int states, int leaderActions, int actions, double temperature, double discount,
            FollowerOperator operator, double stepSize, Exploration exploration, double leaderStep, int updatesPerStep,
            int replayCapacity, SplitMixRandom rng) {
        if (states < 1 || leaderActions < 1 || actions < 1) {
            throw new IllegalArgumentException("need ≥ 1 state and action each, got " + states + ", " + leaderActions
                    + " and " + actions);
        }
        if (!(temperature > 0.0) || !(discount >= 0.0 && discount < 1.0)) {
            throw new IllegalArgumentException("need λ > 0 and γ_F in [0, 1), got " + temperature + " and "
                    + discount);
        }
        ExploringSoftmax.checkRates(stepSize, updatesPerStep);
        this.exploration = Objects.requireNonNull(exploration, "exploration");
        if (!(leaderStep > 0.0 && leaderStep <= 1.0)) {
            throw new IllegalArgumentException("follower.leader_estimate_step: must be in (0, 1], got " + leaderStep);
        }
        this.updatesPerStep = updatesPerStep;
        this.memory = updatesPerStep > 1 ? new TransitionMemory(replayCapacity) : null;
        this.states = states;
        this.leaderActions = leaderActions;
        this.actions = actions;
        this.temperature = temperature;
        this.discount = discount;
        this.operator = Objects.requireNonNull(operator, "operator");
        this.stepSize = stepSize;
        this.leaderStep = leaderStep;
        this.rng = rng;
        this.q = new double[states * leaderActions * actions];
        this.leaderPolicy = new double[states * leaderActions];
        Arrays.fill(leaderPolicy, 1.0 / leaderActions);
        this.row = new double[actions];
    }

    /** Sees the leader's action, updates its estimate of the leader's policy, and draws its own action. */
    @Override
    public int act(int state, int leaderAction) {
        int o = state * leaderActions;
        for (int b = 0; b < leaderActions; b++) {
            leaderPolicy[o + b] += leaderStep * ((b == leaderAction ? 1.0 : 0.0) - leaderPolicy[o + b]);
        }
        return ExploringSoftmax.draw(q, (o + leaderAction) * actions, actions, temperature, exploration.at(steps), row, rng);
    }

    /**
     * @throws ArithmeticException when the table stops being finite
     */
    @Override
    public void learn(int state, int leaderAction, int action, double reward, int next, boolean terminal) {
        update(state, leaderAction, action, reward, next, terminal);
        if (memory != null) {
            memory.addAndReplay(state, leaderAction, action, reward, next, terminal, updatesPerStep - 1, rng,
                    replayed);
        }
        steps++;
    }

    private void update(int state, int leaderAction, int action, double reward, int next, boolean terminal) {
        double target = terminal ? reward : reward + discount * value(next);
        int i = (state * leaderActions + leaderAction) * actions + action;
        q[i] += stepSize * (target - q[i]);
        if (!Double.isFinite(q[i])) {
            throw new ArithmeticException("the soft Q-learning follower diverged at Q(" + state + ", " + leaderAction
                    + ", " + action + ")");
        }
    }

    /** {@code V(s)} under its estimate of the leader's policy, by the game's backup. */
    private double value(int s) {
        int o = s * leaderActions;
        if (operator == FollowerOperator.SEQUENTIAL) {
            double v = 0.0;
            for (int b = 0; b < leaderActions; b++) {
                v += leaderPolicy[o + b] * LogSumExp.soft(q, (o + b) * actions, actions, temperature);
            }
            return v;
        }
        Arrays.fill(row, 0.0);
        for (int b = 0; b < leaderActions; b++) {
            double p = leaderPolicy[o + b];
            for (int a = 0; a < actions; a++) {
                row[a] += p * q[(o + b) * actions + a];
            }
        }
        return LogSumExp.soft(row, 0, actions, temperature);
    }

    /** The number of transitions it has learned from. */
    public long steps() {
        return steps;
    }

    /**
     * What it plays, exploration included, its soft values {@code W(s,b)}, {@code λ} and {@code γ_F}, whatever the
     * leader's policy (it learns that from the leader's actions).
     */
    @Override
    public TabularGameResponse respond(double[] decision) {
        double[] value = new double[states * leaderActions];
        double[] policy = ExploringSoftmax.played(q, actions, temperature, exploration.at(steps), value);
        return new TabularGameResponse(states, leaderActions, actions, policy, value, temperature, discount);
    }

    /** Its table, its estimate of the leader, its step count, its random stream and its memory. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("GameSoftQLearningFollower").writeDoubles(q).writeDoubles(leaderPolicy).writeLong(steps)
                .writeRandom(rng);
        if (memory != null) {
            memory.saveState(out);
        }
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("GameSoftQLearningFollower").readDoubles(q);
        in.readDoubles(leaderPolicy);
        steps = in.readLong();
        in.readRandom(rng);
        if (memory != null) {
            memory.restoreState(in);
        }
    }
}
