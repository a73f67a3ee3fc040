package dev.bilevel.learn.testing;

import dev.bilevel.core.game.ContinuousMarkovGame;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.critic.LeaderQFunction;
import dev.bilevel.learn.follower.GaussianGameResponse;

/** Small analytic stand-ins for a game, a follower and a critic. */
public final class TestDoubles {

    private TestDoubles() {
    }

    /** {@code x' = x + a_L + a_F} (scalar), start 1, {@code r_L = −x²}, {@code r_F = −a_F²}, terminal past |x| > 3. */
    public static final class LineGame implements ContinuousMarkovGame {
        @Override
        public int stateDimension() {
            return 1;
        }

        @Override
        public int leaderActionDimension() {
            return 1;
        }

        @Override
        public int followerActionDimension() {
            return 1;
        }

        @Override
        public void reset(SplitMixRandom rng, double[] out, int offset) {
            out[offset] = 1.0;
        }

        @Override
        public void step(double[] x, int xo, double[] aL, int lo, double[] aF, int fo, SplitMixRandom rng,
                double[] next, int no) {
            next[no] = x[xo] + aL[lo] + aF[fo];
        }

        @Override
        public double leaderReward(double[] x, int xo, double[] aL, int lo, double[] aF, int fo) {
            return -x[xo] * x[xo];
        }

        @Override
        public double followerReward(double[] x, int xo, double[] aL, int lo, double[] aF, int fo) {
            return -aF[fo] * aF[fo];
        }

        @Override
        public boolean isTerminal(double[] x, int xo) {
            return Math.abs(x[xo]) > 3.0;
        }
    }

    /**
     * A follower on {@code n = 2}, {@code l = 1}: {@code u ~ N(0.5x₀ − a, 0.2²)},
     * {@code W_F = −(x₀² + (a − x₀)²) − x₁}.
     */
    public static final class Follower implements GaussianGameResponse {
        @Override
        public double temperature() {
            return 0.25;
        }

        @Override
        public double discount() {
            return 0.8;
        }

        @Override
        public void mean(double[] x, int xo, double[] a, int ao, double[] out, int oo) {
            out[oo] = 0.5 * x[xo] - a[ao];
        }

        @Override
        public void sample(double[] x, int xo, double[] a, int ao, SplitMixRandom rng, double[] out, int oo) {
            mean(x, xo, a, ao, out, oo);
            out[oo] += 0.2 * rng.nextGaussian();
        }

        @Override
        public double softValue(double[] x, int xo, double[] a, int ao) {
            double d = a[ao] - x[xo];
            return -(x[xo] * x[xo] + d * d) - x[xo + 1];
        }
    }

    /** {@code Q([x₀, x₁, u, a]) = x₀·u + a² + 0.3·x₁·a·u − u²}. */
    public static final class Critic implements LeaderQFunction {
        private final double[] out = new double[1024];

        public static double q(double[] r, int o) {
            double x0 = r[o];
            double x1 = r[o + 1];
            double u = r[o + 2];
            double a = r[o + 3];
            return x0 * u + a * a + 0.3 * x1 * a * u - u * u;
        }

        @Override
        public double[] values(double[] rows, int count) {
            for (int i = 0; i < count; i++) {
                out[i] = q(rows, 4 * i);
            }
            return out;
        }

        @Override
        public double blockMean(double[] row, int rowOffset, int first, int width, double[] draws, int count) {
            double[] r = new double[4];
            System.arraycopy(row, rowOffset, r, 0, 4);
            double sum = 0.0;
            for (int j = 0; j < count; j++) {
                System.arraycopy(draws, j * width, r, first, width);
                sum += q(r, 0);
            }
            return sum / count;
        }
    }
}
