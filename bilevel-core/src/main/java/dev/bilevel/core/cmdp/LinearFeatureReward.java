package dev.bilevel.core.cmdp;

/**
 * Linear incentives {@code r(s,a;x) = r0(s,a) + Σ_j Φ(s,a,j)·x_j}: base reward plus features the
 * leader weights. A zero feature tensor gives a reward the leader does not control.
 */
public final class LinearFeatureReward implements ParametricReward {

    private final int states;
    private final int actions;
    private final int dimension;
    private final double[] base;
    private final double[] features;

    /**
     * @param base {@code r0[s·A + a]}
     * @param features {@code Φ[(s·A + a)·d + j]}
     */
    public LinearFeatureReward(int states, int actions, int dimension, double[] base, double[] features) {
        if (base.length != states * actions) {
            throw new IllegalArgumentException("base reward: expected " + states * actions + " entries, got "
                    + base.length);
        }
        if (features.length != states * actions * dimension) {
            throw new IllegalArgumentException("features: expected " + states * actions * dimension
                    + " entries, got " + features.length);
        }
        checkFinite(base, "base reward");
        checkFinite(features, "features");
        this.states = states;
        this.actions = actions;
        this.dimension = dimension;
        this.base = base.clone();
        this.features = features.clone();
    }

    private static void checkFinite(double[] values, String name) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(name + ": contains the non-finite value " + v);
            }
        }
    }

    /** A reward that does not depend on the decision ({@code Φ = 0}). */
    public static LinearFeatureReward constant(int states, int actions, int dimension, double[] reward) {
        return new LinearFeatureReward(states, actions, dimension, reward, new double[states * actions * dimension]);
    }

    /** A copy of the base reward {@code r0[s·A + a]}. */
    public double[] base() {
        return base.clone();
    }

    /** A copy of the features {@code Φ[(s·A + a)·d + j]}. */
    public double[] features() {
        return features.clone();
    }

    @Override
    public int states() {
        return states;
    }

    @Override
    public int actions() {
        return actions;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public void evaluate(double[] x, double[] out) {
        for (int row = 0; row < base.length; row++) {
            double sum = base[row];
            int off = row * dimension;
            for (int j = 0; j < dimension; j++) {
                sum += features[off + j] * x[j];
            }
            out[row] = sum;
        }
    }

    @Override
    public void accumulateGradient(double[] x, double[] weights, double[] gradient) {
        for (int row = 0; row < base.length; row++) {
            double w = weights[row];
            if (w == 0.0) {
                continue;
            }
            int off = row * dimension;
            for (int j = 0; j < dimension; j++) {
                gradient[j] += w * features[off + j];
            }
        }
    }
}
