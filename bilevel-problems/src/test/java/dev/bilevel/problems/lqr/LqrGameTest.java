package dev.bilevel.problems.lqr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.game.LeaderValue;
import dev.bilevel.core.lqr.LeaderAwareLqrSolution;
import dev.bilevel.core.lqr.LeaderAwareMaxEntLqr;
import dev.bilevel.core.random.SplitMixRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code LQREnv-v4}: mechanics, and the closed-form leader return against Monte Carlo and §8.2. */
class LqrGameTest {

    private static final double[] W = {1e-3};

    @Test
    void stepsAndRewardsFollowTheReferenceEnvironment() {
        LqrGame game = LqrGame.referenceV4();
        double[] x = new double[2];
        game.reset(null, x, 0);
        assertThat(x).containsExactly(1.0, 0.0);
        double[] a = {0.7};
        double[] u = {-2.0};
        double[] next = new double[2];
        game.step(x, 0, a, 0, u, 0, null, next, 0);
        // x' = Ax + Bu + Ca = [x₂ + 0.1a, 0.1u].
        assertThat(next[0]).isCloseTo(0.07, within(1e-15));
        assertThat(next[1]).isCloseTo(-0.2, within(1e-15));
        assertThat(game.followerReward(x, 0, a, 0, u, 0)).isEqualTo(-(1.0 + 4.0));
        // r_L = exp(−(x₁+0.8)²/0.08 − x₂²/0.0002): ≈ 2.6e−18 at x₀, 1 at the target.
        assertThat(game.leaderReward(x, 0, a, 0, u, 0)).isCloseTo(Math.exp(-1.8 * 1.8 / 0.08), within(1e-30));
        assertThat(game.leaderReward(new double[] {-0.8, 0}, 0)).isEqualTo(1.0);
        assertThat(game.leaderReward(new double[] {-0.8, 0.01}, 0)).isCloseTo(Math.exp(-0.5), within(1e-15));
        assertThat(game.isTerminal(x, 0)).isFalse();
    }

    @Test
    void exactLeaderReturnMatchesTheReferenceNumbers() {
        // reference-markov-game.md §8.2 (2000 Monte-Carlo rollouts each; ± are the rollouts' spread).
        LqrGame game = LqrGame.referenceV4();
        assertThat(exact(game, new double[] {0, 0}, 1.0, 100)).isCloseTo(0.0149, within(0.0005));
        assertThat(exact(game, new double[] {-9.683, -10.25}, 1.0, 100)).isCloseTo(3.86, within(0.06));
        assertThat(exact(game, new double[] {-9.683, -10.25}, 0.99, 200)).isCloseTo(3.44, within(0.06));
        assertThat(exact(game, new double[] {-7.59, 0.9306}, 1.0, 100)).isCloseTo(0.44, within(0.03));
    }

    private static double exact(LqrGame game, double[] k, double discount, int horizon) {
        LeaderAwareLqrSolution follower = new LeaderAwareMaxEntLqr().solve(game.followerModel(0.95, 0.1), k, W);
        return game.expectedLeaderReturn(k, W, follower, discount, horizon);
    }

    /** A wider leader noise and bump than {@code LQREnv-v4}, where the state spreads and the return is far from trivial. */
    private static LqrGame wideGame() {
        return new LqrGame(2, 1, 1, new double[] {0, 1, 0, 0}, new double[] {0, 0.1}, new double[] {0.1, 0},
                new double[] {1, 0, 0, 1}, new double[] {1}, 1.0, new double[] {1, 0}, new double[] {0.2, 0},
                new double[] {0.4, 0.1});
    }

    private static final double[] WIDE_K = {-3.0, -4.0};
    private static final double[] WIDE_W = {0.5};

    /** The MaxEnt-LQR follower's response to {@code WIDE_K}, {@code WIDE_W} in {@code game}. */
    private static LeaderAwareLqrSolution wideFollower(LqrGame game) {
        return new LeaderAwareMaxEntLqr().solve(game.followerModel(0.95, 0.1), WIDE_K, WIDE_W);
    }

    /** The wide game's leader value at {@code WIDE_K}, {@code γ = 0.97}, 40 steps. */
    private static LeaderValue wideValue() {
        LqrGame game = wideGame();
        return game.leaderValue(WIDE_K, WIDE_W, wideFollower(game), 0.97, 40);
    }

    @Test
    void exactLeaderReturnIsTheMeanOfSimulatedReturns() {
        LqrGame game = wideGame();
        double[] k = {-3.0, -4.0};
        double[] w = {0.5};
        LeaderAwareLqrSolution follower = new LeaderAwareMaxEntLqr().solve(game.followerModel(0.95, 0.1), k, w);
        double exact = game.expectedLeaderReturn(k, w, follower, 0.97, 40);
        double[] mc = simulatedReturn(game, k, w, follower, game.initialState(), 0.97, 40, 20_000, 12);
        assertThat(exact).isGreaterThan(0.5);
        assertThat(mc[0]).isCloseTo(exact, within(4 * mc[1]));
    }

    /**
     * The value function {@code V_L(y)} away from {@code x₀}, against Monte Carlo from that start. The
     * simulation uses only {@link LqrGame#step}, {@link LqrGame#leaderReward(double[], int)}, the leader's
     * Gaussian policy and the follower's {@code sampleFollower}: none of {@code leaderValue}'s closed loop,
     * matrix powers or Gaussian integrals. 20,000 episodes of 40 steps with seed 31 from each start.
     *
     * <p>Measured (seed 31): closed form − Monte Carlo = +0.00025, +0.00134, −0.00018 at {@code [0.2, 0]},
     * {@code [−0.6, 0.8]}, {@code [2, −1]} (values 20.177, 18.683, 18.342), that is 0.2, 0.9 and 0.1 standard
     * errors (each about 0.0014–0.0015). Asserted: within 4 standard errors of the Monte-Carlo mean (the standard
     * error is the measured spread of the episode returns over √20,000, computed in the test), and each value
     * differs from {@code V_L(x₀)} ≈ 19.022 by more than 20 standard errors (measured: 0.34–1.16, over 220), so an
     * {@code at} that ignored its argument or dropped the {@code M^t y} mean would fail.
     */
    @Test
    void leaderValueAwayFromTheStartIsTheMeanOfSimulatedReturns() {
        LqrGame game = wideGame();
        double[] k = {-3.0, -4.0};
        double[] w = {0.5};
        LeaderAwareLqrSolution follower = new LeaderAwareMaxEntLqr().solve(game.followerModel(0.95, 0.1), k, w);
        LeaderValue value = game.leaderValue(k, w, follower, 0.97, 40);
        double atStart = value.at(game.initialState(), 0);
        for (double[] start : new double[][] {{0.2, 0.0}, {-0.6, 0.8}, {2.0, -1.0}}) {
            double closed = value.at(start, 0);
            double[] mc = simulatedReturn(game, k, w, follower, start, 0.97, 40, 20_000, 31);
            assertThat(mc[0]).as("start %s", Arrays.toString(start)).isCloseTo(closed, within(4 * mc[1]));
            assertThat(Math.abs(closed - atStart)).as("start %s", Arrays.toString(start))
                    .isGreaterThan(20 * mc[1]);
        }
    }

    /**
     * {@code at(y, offset, h)} is the value with {@code h} steps to go: the closed form built for horizon {@code h}
     * gives the same number (to rounding) for every {@code h}, and the whole horizon is {@code at(y, offset)}.
     */
    @Test
    void fewerStepsToGoSumThePrefixOfTheHorizon() {
        LqrGame game = wideGame();
        LeaderAwareLqrSolution follower = wideFollower(game);
        LeaderValue value = wideValue();
        double[] y = {0.6, -0.3};
        for (int h : new int[] {0, 1, 7, 39}) {
            assertThat(value.at(y, 0, h)).as("h = %d", h)
                    .isCloseTo(game.expectedLeaderReturn(y, WIDE_K, WIDE_W, follower, 0.97, h), within(1e-12));
        }
        assertThat(value.at(y, 0, 40)).isEqualTo(value.at(y, 0));
        assertThat(value.at(y, 0, 39)).isLessThan(value.at(y, 0));
        assertThatThrownBy(() -> value.at(y, 0, 41)).isInstanceOf(IllegalArgumentException.class);
    }

    /** {@code gradient} is the central difference ({@code h = 10⁻⁶}) of {@code at}, to 10⁻⁶ relative. */
    @Test
    void theValuesGradientIsItsCentralDifference() {
        LeaderValue value = wideValue();
        double[] y = {0.6, -0.3};
        double[] gradient = new double[2];
        assertThat(value.gradient(y, 0, 25, gradient)).isEqualTo(value.at(y, 0, 25));
        for (int i = 0; i < 2; i++) {
            double[] up = y.clone();
            double[] down = y.clone();
            up[i] += 1e-6;
            down[i] -= 1e-6;
            double slope = (value.at(up, 0, 25) - value.at(down, 0, 25)) / 2e-6;
            assertThat(Math.abs(slope)).isGreaterThan(0.1);
            assertThat(gradient[i]).as("component %d", i).isCloseTo(slope, within(1e-6 * Math.abs(slope)));
        }
    }

    /**
     * The value from a Gaussian start {@code N(y, S₀)} (the model critic's follower-averaged value) is the mean of
     * the known-start value over start draws: 40,000 draws, seed 8, within 4 standard errors, and more than 20 of
     * them away from the value at {@code y} itself (a start covariance that were ignored would fail).
     */
    @Test
    void aGaussianStartAveragesTheValueOverStartStates() {
        LqrGame game = wideGame();
        LeaderAwareLqrSolution follower = wideFollower(game);
        double[] cholesky = {0.3, 0.0, 0.2, 0.4};
        double[] start = {cholesky[0] * cholesky[0], cholesky[0] * cholesky[2], cholesky[0] * cholesky[2],
            cholesky[2] * cholesky[2] + cholesky[3] * cholesky[3]};
        LeaderValue known = game.leaderValue(WIDE_K, WIDE_W, follower.meanGain(), follower.sigmaCholesky(),
                new double[4], 0.97, 40);
        LeaderValue spread = game.leaderValue(WIDE_K, WIDE_W, follower.meanGain(), follower.sigmaCholesky(), start,
                0.97, 40);
        double[] y = {0.6, -0.3};
        SplitMixRandom rng = new SplitMixRandom(8);
        int draws = 40_000;
        double sum = 0.0;
        double sq = 0.0;
        double[] draw = new double[2];
        for (int d = 0; d < draws; d++) {
            double z0 = rng.nextGaussian();
            double z1 = rng.nextGaussian();
            draw[0] = y[0] + cholesky[0] * z0;
            draw[1] = y[1] + cholesky[2] * z0 + cholesky[3] * z1;
            double v = known.at(draw, 0);
            sum += v;
            sq += v * v;
        }
        double mean = sum / draws;
        double se = Math.sqrt((sq / draws - mean * mean) / draws);
        assertThat(spread.at(y, 0)).isCloseTo(mean, within(4 * se));
        assertThat(Math.abs(known.at(y, 0) - mean)).isGreaterThan(20 * se);
    }

    /**
     * {mean, standard error} of the discounted leader return over {@code episodes} simulated episodes from
     * {@code start}: the leader plays {@code a ~ N(Kx, W²)}, the follower samples its policy, the game steps.
     */
    private static double[] simulatedReturn(LqrGame game, double[] k, double[] w, LeaderAwareLqrSolution follower,
            double[] start, double discount, int horizon, int episodes, long seed) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        double sum = 0.0;
        double sq = 0.0;
        double[] x = new double[2];
        double[] next = new double[2];
        double[] a = new double[1];
        double[] u = new double[1];
        for (int e = 0; e < episodes; e++) {
            System.arraycopy(start, 0, x, 0, 2);
            double ret = 0.0;
            double weight = 1.0;
            for (int t = 0; t < horizon; t++) {
                a[0] = k[0] * x[0] + k[1] * x[1] + w[0] * rng.nextGaussian();
                follower.sampleFollower(x, 0, a, 0, rng, u, 0);
                ret += weight * game.leaderReward(x, 0);
                weight *= discount;
                game.step(x, 0, a, 0, u, 0, rng, next, 0);
                System.arraycopy(next, 0, x, 0, 2);
            }
            sum += ret;
            sq += ret * ret;
        }
        double mean = sum / episodes;
        return new double[] {mean, Math.sqrt((sq / episodes - mean * mean) / episodes)};
    }

    @Test
    void badShapesAreRejected() {
        assertThatThrownBy(() -> new LqrGame(2, 1, 1, new double[] {0, 1, 0, 0}, new double[] {0, 0.1},
                new double[] {0.1, 0}, new double[] {1, 0, 0, 1}, new double[] {1}, 1.0, new double[] {1},
                new double[] {-0.8, 0}, new double[] {0.2, 0.01})).hasMessageContaining("initial_state");
        assertThatThrownBy(() -> new LqrGame(2, 1, 1, new double[] {0, 1, 0, 0}, new double[] {0, 0.1},
                new double[] {0.1, 0}, new double[] {1, 0, 0, 1}, new double[] {1}, 1.0, new double[] {1, 0},
                new double[] {-0.8, 0}, new double[] {0.2, 0})).hasMessageContaining("xstd");
    }
}
