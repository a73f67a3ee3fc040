package dev.bilevel.core.testing;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.LinearFeatureReward;
import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.TabularDynamics;

/**
 * Test-only generator of random tabular instances. Everything is a pure function of the seed, so a
 * failing parameterized case can be replayed from its seed alone.
 */
public final class RandomInstances {

    private RandomInstances() {
    }

    /** Uniform in {@code [lo, hi)}. */
    public static double uniform(SplitMixRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    /** A vector with entries uniform in {@code [lo, hi)}. */
    public static double[] uniformVector(SplitMixRandom rng, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = uniform(rng, lo, hi);
        }
        return v;
    }

    /**
     * A dense kernel {@code [(s·A + a)·S + s']} whose rows each have between 1 and 4 successors with
     * random weights (sparse-ish), as {@code fromDense} expects.
     */
    public static double[] denseKernel(SplitMixRandom rng, int states, int actions) {
        double[] dense = new double[states * actions * states];
        for (int row = 0; row < states * actions; row++) {
            int successors = 1 + rng.nextInt(Math.min(states, 4));
            double total = 0.0;
            for (int i = 0; i < successors; i++) {
                int next = rng.nextInt(states);
                double w = 0.05 + rng.nextDouble();
                dense[row * states + next] += w;
                total += w;
            }
            for (int next = 0; next < states; next++) {
                dense[row * states + next] /= total;
            }
        }
        return dense;
    }

    /** A distribution supported on between 1 and 3 random states. */
    public static double[] distribution(SplitMixRandom rng, int states) {
        double[] p = new double[states];
        int support = 1 + rng.nextInt(Math.min(states, 3));
        double total = 0.0;
        for (int i = 0; i < support; i++) {
            double w = 0.1 + rng.nextDouble();
            p[rng.nextInt(states)] += w;
            total += w;
        }
        for (int s = 0; s < states; s++) {
            p[s] /= total;
        }
        return p;
    }

    /**
     * Random dynamics with exactly {@code terminals} terminal states (never state 0, so at least one
     * non-terminal state remains when {@code terminals < states}).
     */
    public static TabularDynamics dynamics(SplitMixRandom rng, int states, int actions, int terminals) {
        if (terminals >= states) {
            throw new IllegalArgumentException("need terminals < states");
        }
        boolean[] terminal = new boolean[states];
        int marked = 0;
        while (marked < terminals) {
            int s = 1 + rng.nextInt(states - 1);
            if (!terminal[s]) {
                terminal[s] = true;
                marked++;
            }
        }
        double[] dense = denseKernel(rng, states, actions);
        return TabularDynamics.fromDense(states, actions, dense, "transitions", terminal, distribution(rng, states));
    }

    /**
     * A random configurable MDP with its ingredients kept for independent checks.
     *
     * @param followerBase {@code r0_F[s·A + a]}
     * @param followerFeatures {@code Φ_F[(s·A + a)·d + j]}
     * @param leaderBase {@code f0[s·A + a]}
     * @param leaderFeatures {@code Φ_L}, all zero when the leader reward is constant
     * @param x a random decision
     */
    public record CmdpInstance(ConfigurableMdp mdp, double[] followerBase, double[] followerFeatures,
            double[] leaderBase, double[] leaderFeatures, double[] x) {

        public int states() {
            return mdp.states();
        }

        public int actions() {
            return mdp.actions();
        }

        public int dimension() {
            return mdp.dimension();
        }
    }

    /** Shape and constants of a random configurable MDP. */
    public record CmdpSpec(int states, int actions, int dimension, int terminals, boolean leaderDependsOnX,
            double followerDiscount, double leaderDiscount, double temperature) {
    }

    /** A random spec: up to 30 states, 5 actions and 20 parameters, discounts in [0.5, 0.95). */
    public static CmdpSpec randomSpec(SplitMixRandom rng, double temperature) {
        int states = 2 + rng.nextInt(29);
        int actions = 1 + rng.nextInt(5);
        int dimension = 1 + rng.nextInt(20);
        int terminals = rng.nextInt(Math.min(3, states - 1) + 1);
        // With one action and a constant leader reward F does not depend on x: avoid that degenerate case.
        boolean leaderDependsOnX = actions == 1 || rng.nextBoolean();
        double gammaF = uniform(rng, 0.5, 0.95);
        double gammaL = rng.nextInt(3) == 0 ? gammaF : uniform(rng, 0.5, 0.95);
        return new CmdpSpec(states, actions, dimension, terminals, leaderDependsOnX, gammaF, gammaL, temperature);
    }

    /** Builds a random configurable MDP of the given spec. */
    public static CmdpInstance cmdp(SplitMixRandom rng, CmdpSpec spec) {
        int n = spec.states() * spec.actions();
        int d = spec.dimension();
        TabularDynamics dynamics = dynamics(rng, spec.states(), spec.actions(), spec.terminals());
        double[] followerBase = uniformVector(rng, n, -1.0, 1.0);
        double[] followerFeatures = sparseFeatures(rng, n, d);
        double[] leaderBase = uniformVector(rng, n, -1.0, 1.0);
        double[] leaderFeatures = spec.leaderDependsOnX() ? sparseFeatures(rng, n, d) : new double[n * d];
        LinearFeatureReward follower = new LinearFeatureReward(spec.states(), spec.actions(), d, followerBase,
                followerFeatures);
        LinearFeatureReward leader = spec.leaderDependsOnX()
                ? new LinearFeatureReward(spec.states(), spec.actions(), d, leaderBase, leaderFeatures)
                : LinearFeatureReward.constant(spec.states(), spec.actions(), d, leaderBase);
        ConfigurableMdp mdp = new ConfigurableMdp(dynamics, follower, leader, spec.followerDiscount(),
                spec.leaderDiscount(), spec.temperature());
        double[] x = uniformVector(rng, d, -0.5, 0.5);
        return new CmdpInstance(mdp, followerBase, followerFeatures, leaderBase, leaderFeatures, x);
    }

    /** Feature tensor with about half of the entries nonzero, uniform in [-1, 1). */
    private static double[] sparseFeatures(SplitMixRandom rng, int rows, int d) {
        double[] f = new double[rows * d];
        for (int i = 0; i < f.length; i++) {
            if (rng.nextBoolean()) {
                f[i] = uniform(rng, -1.0, 1.0);
            }
        }
        return f;
    }

    /** A random Markov game over joint actions {@code b·A + a}. */
    public static MarkovGame game(SplitMixRandom rng, int states, int leaderActions, int followerActions,
            int terminals, double followerDiscount, double leaderDiscount, double temperature,
            FollowerOperator operator) {
        int joint = leaderActions * followerActions;
        TabularDynamics dynamics = dynamics(rng, states, joint, terminals);
        double[] followerReward = uniformVector(rng, states * joint, -1.0, 1.0);
        double[] leaderReward = uniformVector(rng, states * joint, -1.0, 1.0);
        return new MarkovGame(dynamics, leaderActions, followerActions, followerReward, leaderReward,
                followerDiscount, leaderDiscount, temperature, operator);
    }

    /** Tabular leader logits, uniform in [-1, 1). */
    public static double[] logits(SplitMixRandom rng, int states, int leaderActions) {
        return uniformVector(rng, states * leaderActions, -1.0, 1.0);
    }
}
