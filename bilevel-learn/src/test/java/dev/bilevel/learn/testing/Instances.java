package dev.bilevel.learn.testing;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.LinearFeatureReward;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.planning.TabularMdpFollower;

/**
 * Test-only generator of small random configurable MDPs (ideas from core's {@code RandomInstances},
 * which is not on this module's test classpath). Everything is a pure function of the seed.
 */
public final class Instances {

    private Instances() {
    }

    /**
     * Shape and constants of a random configurable MDP.
     *
     * @param terminals number of terminal states (never state 0)
     * @param actionIndependentFeatures follower features {@code Φ(s,a,j) = φ(s,j)} for every action
     * @param uniformStart initial distribution uniform over all states (else supported on 1–3 states)
     */
    public record Spec(int states, int actions, int dimension, int terminals, double followerDiscount,
            double leaderDiscount, double temperature, boolean actionIndependentFeatures, boolean uniformStart) {

        /** The default shape of the estimator contract: dense features, start on 1–3 states. */
        public static Spec of(int states, int actions, int dimension, int terminals, double gammaF, double gammaL,
                double temperature) {
            return new Spec(states, actions, dimension, terminals, gammaF, gammaL, temperature, false, false);
        }

        public Spec withActionIndependentFeatures() {
            return new Spec(states, actions, dimension, terminals, followerDiscount, leaderDiscount, temperature,
                    true, uniformStart);
        }

        public Spec withUniformStart() {
            return new Spec(states, actions, dimension, terminals, followerDiscount, leaderDiscount, temperature,
                    actionIndependentFeatures, true);
        }
    }

    /**
     * A random instance with its ingredients.
     *
     * @param followerFeatures {@code Φ_F[(s·A + a)·d + j]}
     * @param leaderFeatures {@code Φ_L[(s·A + a)·d + j]}
     * @param x a random decision in {@code [-0.5, 0.5)^d}
     */
    public record Instance(ConfigurableMdp mdp, double[] followerBase, double[] followerFeatures,
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

        public TabularDynamics dynamics() {
            return mdp.dynamics();
        }

        /** The follower's exact soft best response at {@link #x()}. */
        public TabularResponse response() {
            return response(x);
        }

        /** The follower's exact soft best response at {@code decision}. */
        public TabularResponse response(double[] decision) {
            return TabularMdpFollower.response(mdp, SoftPolicyIteration.exact().solve(mdp.dynamics(),
                    mdp.followerReward().evaluate(decision), mdp.followerDiscount(), mdp.temperature(), null));
        }

        /**
         * The same instance with the decision padded to {@code dimension} by features that are zero
         * (the extra parameters change nothing).
         */
        public Instance padded(int dimension) {
            int d = dimension();
            int rows = states() * actions();
            double[] ff = new double[rows * dimension];
            double[] lf = new double[rows * dimension];
            for (int row = 0; row < rows; row++) {
                System.arraycopy(followerFeatures, row * d, ff, row * dimension, d);
                System.arraycopy(leaderFeatures, row * d, lf, row * dimension, d);
            }
            double[] xx = new double[dimension];
            System.arraycopy(x, 0, xx, 0, d);
            for (int j = d; j < dimension; j++) {
                xx[j] = 0.25; // any value: the padded features are zero
            }
            ConfigurableMdp padded = new ConfigurableMdp(mdp.dynamics(),
                    new LinearFeatureReward(states(), actions(), dimension, followerBase, ff),
                    new LinearFeatureReward(states(), actions(), dimension, leaderBase, lf), mdp.followerDiscount(),
                    mdp.leaderDiscount(), mdp.temperature());
            return new Instance(padded, followerBase, ff, leaderBase, lf, xx);
        }
    }

    /** Uniform in {@code [lo, hi)}. */
    public static double uniform(SplitMixRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    /** Entries uniform in {@code [lo, hi)}. */
    public static double[] uniformVector(SplitMixRandom rng, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = uniform(rng, lo, hi);
        }
        return v;
    }

    /** A dense kernel {@code [(s·A + a)·S + s']} whose rows have 1–4 successors with random weights. */
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

    /** A distribution supported on 1–3 random states. */
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

    /** Random dynamics with exactly {@code terminals} terminal states, none of them state 0. */
    public static TabularDynamics dynamics(SplitMixRandom rng, int states, int actions, int terminals,
            boolean uniformStart) {
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
        double[] start = distribution(rng, states);
        if (uniformStart) {
            java.util.Arrays.fill(start, 1.0 / states);
        }
        return TabularDynamics.fromDense(states, actions, dense, "transitions", terminal, start);
    }

    /** A random configurable MDP: rewards and features uniform in {@code [-1, 1)}, both linear in x. */
    public static Instance cmdp(long seed, Spec spec) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        int n = spec.states() * spec.actions();
        int d = spec.dimension();
        TabularDynamics dynamics = dynamics(rng, spec.states(), spec.actions(), spec.terminals(),
                spec.uniformStart());
        double[] followerBase = uniformVector(rng, n, -1.0, 1.0);
        double[] followerFeatures = uniformVector(rng, n * d, -1.0, 1.0);
        if (spec.actionIndependentFeatures()) {
            for (int s = 0; s < spec.states(); s++) {
                for (int a = 1; a < spec.actions(); a++) {
                    System.arraycopy(followerFeatures, s * spec.actions() * d, followerFeatures,
                            (s * spec.actions() + a) * d, d);
                }
            }
        }
        double[] leaderBase = uniformVector(rng, n, -1.0, 1.0);
        double[] leaderFeatures = uniformVector(rng, n * d, -1.0, 1.0);
        ConfigurableMdp mdp = new ConfigurableMdp(dynamics,
                new LinearFeatureReward(spec.states(), spec.actions(), d, followerBase, followerFeatures),
                new LinearFeatureReward(spec.states(), spec.actions(), d, leaderBase, leaderFeatures),
                spec.followerDiscount(), spec.leaderDiscount(), spec.temperature());
        double[] x = uniformVector(rng, d, -0.5, 0.5);
        return new Instance(mdp, followerBase, followerFeatures, leaderBase, leaderFeatures, x);
    }

    /**
     * A deterministic chain {@code 0 → 1 → … → n−1} (every action moves forward), the last state
     * terminal, start at 0: every episode visits every state exactly once.
     */
    public static TabularDynamics chain(int states, int actions) {
        double[] dense = new double[states * actions * states];
        for (int s = 0; s < states; s++) {
            for (int a = 0; a < actions; a++) {
                dense[(s * actions + a) * states + Math.min(s + 1, states - 1)] = 1.0;
            }
        }
        boolean[] terminal = new boolean[states];
        terminal[states - 1] = true;
        double[] start = new double[states];
        start[0] = 1.0;
        return TabularDynamics.fromDense(states, actions, dense, "transitions", terminal, start);
    }

    /** A configurable MDP on {@code dynamics} with random rewards and dense random features. */
    public static Instance onDynamics(long seed, TabularDynamics dynamics, int dimension, double gammaF,
            double gammaL, double temperature) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        int states = dynamics.states();
        int actions = dynamics.actions();
        int n = states * actions;
        double[] followerBase = uniformVector(rng, n, -1.0, 1.0);
        double[] followerFeatures = uniformVector(rng, n * dimension, -1.0, 1.0);
        double[] leaderBase = uniformVector(rng, n, -1.0, 1.0);
        double[] leaderFeatures = uniformVector(rng, n * dimension, -1.0, 1.0);
        ConfigurableMdp mdp = new ConfigurableMdp(dynamics,
                new LinearFeatureReward(states, actions, dimension, followerBase, followerFeatures),
                new LinearFeatureReward(states, actions, dimension, leaderBase, leaderFeatures), gammaF, gammaL,
                temperature);
        return new Instance(mdp, followerBase, followerFeatures, leaderBase, leaderFeatures,
                uniformVector(rng, dimension, -0.5, 0.5));
    }

    /** A random stochastic policy with every probability bounded away from 0, row-major {@code [s·A + a]}. */
    public static double[] randomPolicy(SplitMixRandom rng, int states, int actions) {
        double[] p = new double[states * actions];
        for (int s = 0; s < states; s++) {
            double total = 0.0;
            for (int a = 0; a < actions; a++) {
                p[s * actions + a] = 0.05 * 3 + rng.nextDouble();
                total += p[s * actions + a];
            }
            for (int a = 0; a < actions; a++) {
                p[s * actions + a] /= total;
            }
        }
        return p;
    }

    /**
     * A random game: each joint-action row moves to a random subset of states; rewards uniform in
     * [−1, 1]; starts in state 0; γ_F = 0.8, γ_L = 0.85, λ = 0.5.
     */
    public static MarkovGame randomGame(SplitMixRandom rng, int states, int nb, int na, FollowerOperator operator) {
        int joint = nb * na;
        double[] dense = new double[states * joint * states];
        for (int row = 0; row < states * joint; row++) {
            double sum = 0.0;
            for (int s = 0; s < states; s++) {
                double w = rng.nextDouble() < 0.5 ? rng.nextDouble() : 0.0;
                dense[row * states + s] = w;
                sum += w;
            }
            if (sum == 0.0) {
                dense[row * states + rng.nextInt(states)] = 1.0;
                sum = 1.0;
            }
            for (int s = 0; s < states; s++) {
                dense[row * states + s] /= sum;
            }
        }
        double[] rf = new double[states * joint];
        double[] rl = new double[states * joint];
        for (int i = 0; i < rf.length; i++) {
            rf[i] = 2 * rng.nextDouble() - 1;
            rl[i] = 2 * rng.nextDouble() - 1;
        }
        double[] initial = new double[states];
        initial[0] = 1.0;
        TabularDynamics dynamics = TabularDynamics.fromDense(states, joint, dense, "transitions",
                new boolean[states], initial);
        return new MarkovGame(dynamics, nb, na, rf, rl, 0.8, 0.85, 0.5, operator);
    }
}
