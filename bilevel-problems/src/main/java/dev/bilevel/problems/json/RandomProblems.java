package dev.bilevel.problems.json;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.LinearFeatureReward;
import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.TabularDynamics;
import java.util.Objects;

/**
 * Random tabular problems for tests, diagnostics and benchmarks. The same arguments always give the
 * same problem ({@link SplitMixRandom} seeded with {@code seed}, draws in a fixed order).
 *
 * <p>Each transition row {@code P(·|s,a)} has between 1 and {@code min(S, 4)} distinct successors with
 * positive random weights (normalised), so the kernel is sparse for large {@code S}. Rewards,
 * incentive features, leader features, {@code x₀} and logits are uniform on {@code [-1, 1]}; the
 * initial distribution has positive random weight on every state. In a configurable MDP each state is
 * terminal with probability 0.1, but never all of them (never any when {@code S = 1}); games have no
 * terminal states. Both discounts equal {@code discount}.
 */
public final class RandomProblems {

    private static final int MAX_SUCCESSORS = 4;
    private static final double TERMINAL_PROBABILITY = 0.1;

    private RandomProblems() {
    }

    /**
     * A random configurable MDP whose follower and leader rewards both depend linearly on {@code x}.
     *
     * @param dimension {@code d ≥ 1}, the number of incentive features
     * @throws IllegalArgumentException if a size is below 1, {@code discount ∉ [0,1)} or
     *     {@code temperature} is not a finite positive number
     */
    public static ConfigurableMdpProblem configurableMdp(long seed, int states, int actions, int dimension,
            double discount, double temperature) {
        checkSizes(states, actions, dimension);
        ConfigurableMdp.checkDiscount(discount, "discount");
        ConfigurableMdp.checkTemperature(temperature);
        SplitMixRandom random = new SplitMixRandom(seed);
        double[] transitions = kernel(random, states, states * actions);
        double[] followerReward = uniform(random, states * actions);
        double[] incentiveFeatures = uniform(random, states * actions * dimension);
        double[] leaderReward = uniform(random, states * actions);
        double[] leaderFeatures = uniform(random, states * actions * dimension);
        double[] initial = distribution(random, states);
        boolean[] terminal = new boolean[states];
        int count = 0;
        for (int s = 0; s < states; s++) {
            terminal[s] = random.nextDouble() < TERMINAL_PROBABILITY;
            count += terminal[s] ? 1 : 0;
        }
        if (count == states) {
            terminal[random.nextInt(states)] = false;
        }
        double[] parameters0 = uniform(random, dimension);
        TabularDynamics dynamics = TabularDynamics.fromDense(states, actions, transitions, "transitions", terminal,
                initial);
        ConfigurableMdp mdp = new ConfigurableMdp(dynamics,
                new LinearFeatureReward(states, actions, dimension, followerReward, incentiveFeatures),
                new LinearFeatureReward(states, actions, dimension, leaderReward, leaderFeatures),
                discount, discount, temperature);
        return new ConfigurableMdpProblem(mdp, parameters0);
    }

    /**
     * A random Markov game with a tabular softmax leader.
     *
     * @param op the follower's backup
     * @throws IllegalArgumentException if a size is below 1, {@code discount ∉ [0,1)} or
     *     {@code temperature} is not a finite positive number
     */
    public static MarkovGameProblem markovGame(long seed, int states, int leaderActions, int followerActions,
            double discount, double temperature, FollowerOperator op) {
        checkSizes(states, leaderActions, followerActions);
        Objects.requireNonNull(op, "op");
        ConfigurableMdp.checkDiscount(discount, "discount");
        ConfigurableMdp.checkTemperature(temperature);
        SplitMixRandom random = new SplitMixRandom(seed);
        int joint = leaderActions * followerActions;
        double[] transitions = kernel(random, states, states * joint);
        double[] followerReward = uniform(random, states * joint);
        double[] leaderReward = uniform(random, states * joint);
        double[] initial = distribution(random, states);
        double[] logits = uniform(random, states * leaderActions);
        TabularDynamics dynamics = TabularDynamics.fromDense(states, joint, transitions, "transitions",
                new boolean[states], initial);
        MarkovGame game = new MarkovGame(dynamics, leaderActions, followerActions, followerReward, leaderReward,
                discount, discount, temperature, op);
        return new MarkovGameProblem(game, logits);
    }

    private static void checkSizes(int states, int first, int second) {
        if (states < 1 || first < 1 || second < 1) {
            throw new IllegalArgumentException("sizes must be ≥ 1, got " + states + ", " + first + ", " + second);
        }
        if ((long) states * first * Math.max(states, second) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("problem too large for a dense kernel: " + states + " states");
        }
    }

    /** {@code rows} sparse random distributions over {@code states}, dense row-major. */
    private static double[] kernel(SplitMixRandom random, int states, int rows) {
        double[] dense = new double[rows * states];
        int[] successors = new int[MAX_SUCCESSORS];
        double[] weights = new double[MAX_SUCCESSORS];
        for (int row = 0; row < rows; row++) {
            int count = 1 + random.nextInt(Math.min(states, MAX_SUCCESSORS));
            for (int k = 0; k < count; k++) {
                int next;
                do {
                    next = random.nextInt(states);
                } while (contains(successors, k, next));
                successors[k] = next;
            }
            double total = 0.0;
            for (int k = 0; k < count; k++) {
                weights[k] = positive(random);
                total += weights[k];
            }
            for (int k = 0; k < count; k++) {
                dense[row * states + successors[k]] = weights[k] / total;
            }
        }
        return dense;
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private static double[] distribution(SplitMixRandom random, int states) {
        double[] p = new double[states];
        double total = 0.0;
        for (int s = 0; s < states; s++) {
            p[s] = positive(random);
            total += p[s];
        }
        for (int s = 0; s < states; s++) {
            p[s] /= total;
        }
        return p;
    }

    /** Uniform on {@code (0.05, 1]}: bounded away from zero so no probability underflows. */
    private static double positive(SplitMixRandom random) {
        return 1.0 - 0.95 * random.nextDouble();
    }

    private static double[] uniform(SplitMixRandom random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = -1.0 + 2.0 * random.nextDouble();
        }
        return values;
    }
}
