package dev.bilevel.learn.testing;

import dev.bilevel.core.cmdp.ContinuousConfigurableMdp;
import dev.bilevel.core.lqr.SoftLqrProblem;
import dev.bilevel.core.random.SplitMixRandom;
import java.util.List;

/**
 * A one-dimensional test problem: {@code x' = a(w)x + u + σz} with {@code a(w) = 0.5 + 0.2·w₀ + 0.1·w₁} (two
 * groups of one weight), follower reward {@code −(x² + 0.5u²)}, leader reward {@code −x² − 0.1u² − 0.05‖w‖²},
 * {@code x₀ ~ N(0, 1)}, horizon 20, {@code γ = 0.8}, {@code β = 0.2}.
 */
public class ScalarLqMdp implements ContinuousConfigurableMdp {

    public static final double SIGMA = 0.1;

    @Override
    public int stateDimension() {
        return 1;
    }

    @Override
    public int actionDimension() {
        return 1;
    }

    @Override
    public int decisionDimension() {
        return 2;
    }

    @Override
    public int[] decisionGroups() {
        return new int[] {1, 1};
    }

    @Override
    public int horizon() {
        return 20;
    }

    @Override
    public double followerDiscount() {
        return 0.8;
    }

    @Override
    public double leaderDiscount() {
        return 0.8;
    }

    @Override
    public double temperature() {
        return 0.2;
    }

    @Override
    public List<String> leaderRewardComponents() {
        return List.of("state", "action");
    }

    public static double a(double[] w) {
        return 0.5 + 0.2 * w[0] + 0.1 * w[1];
    }

    @Override
    public Configured configure(double[] decision) {
        double[] w = decision.clone();
        double a = a(w);
        return new Configured() {
            @Override
            public double[] decision() {
                return w.clone();
            }

            @Override
            public SoftLqrProblem followerModel() {
                return SoftLqrProblem.of(new double[][] {{a}}, new double[][] {{1}}, new double[][] {{1}},
                        new double[][] {{0.5}}, new double[][] {{SIGMA * SIGMA}}, 0.8, 0.2);
            }

            @Override
            public void reset(SplitMixRandom rng, double[] x) {
                x[0] = rng.nextGaussian();
            }

            @Override
            public void step(double[] x, double[] u, SplitMixRandom rng, double[] next) {
                next[0] = a * x[0] + u[0] + SIGMA * rng.nextGaussian();
            }

            @Override
            public double followerReward(double[] x, double[] u) {
                return -(x[0] * x[0] + 0.5 * u[0] * u[0]);
            }

            @Override
            public double leaderReward(double[] x, double[] u, double[] components) {
                if (components != null) {
                    components[0] = x[0] * x[0];
                    components[1] = u[0] * u[0];
                }
                return -x[0] * x[0] - 0.1 * u[0] * u[0] - 0.05 * (w[0] * w[0] + w[1] * w[1]);
            }

            @Override
            public void leaderRewardGradient(double[] x, double[] u, double[] out) {
                out[0] = -0.1 * w[0];
                out[1] = -0.1 * w[1];
            }

            @Override
            public void transitionMean(double[] x, double[] u, double[] out) {
                out[0] = a * x[0] + u[0];
            }

            @Override
            public void transitionScore(double[] x, double[] u, double[] next, double[] out) {
                double c = (next[0] - a * x[0] - u[0]) / (SIGMA * SIGMA);
                out[0] = c * 0.2 * x[0];
                out[1] = c * 0.1 * x[0];
            }

            @Override
            public void transitionMeanGradient(double[] x, double[] u, double[] v, double[] out) {
                out[0] = v[0] * 0.2 * x[0];
                out[1] = v[0] * 0.1 * x[0];
            }
        };
    }
}
