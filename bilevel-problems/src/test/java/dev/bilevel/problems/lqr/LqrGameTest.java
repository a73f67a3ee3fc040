package dev.bilevel.problems.lqr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.lqr.LeaderAwareLqrSolution;
import dev.bilevel.core.lqr.LeaderAwareMaxEntLqr;
import java.util.SplittableRandom;
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

    @Test
    void exactLeaderReturnIsTheMeanOfSimulatedReturns() {
        // A wider leader noise and bump, where the state spreads and the return is far from trivial.
        LqrGame game = new LqrGame(2, 1, 1, new double[] {0, 1, 0, 0}, new double[] {0, 0.1}, new double[] {0.1, 0},
                new double[] {1, 0, 0, 1}, new double[] {1}, 1.0, new double[] {1, 0}, new double[] {0.2, 0},
                new double[] {0.4, 0.1});
        double[] k = {-3.0, -4.0};
        double[] w = {0.5};
        LeaderAwareLqrSolution follower = new LeaderAwareMaxEntLqr().solve(game.followerModel(0.95, 0.1), k, w);
        double exact = game.expectedLeaderReturn(k, w, follower, 0.97, 40);
        SplittableRandom rng = new SplittableRandom(12);
        int episodes = 20_000;
        double sum = 0.0;
        double sq = 0.0;
        double[] x = new double[2];
        double[] next = new double[2];
        double[] a = new double[1];
        double[] u = new double[1];
        for (int e = 0; e < episodes; e++) {
            game.reset(rng, x, 0);
            double ret = 0.0;
            double weight = 1.0;
            for (int t = 0; t < 40; t++) {
                a[0] = k[0] * x[0] + k[1] * x[1] + w[0] * rng.nextGaussian();
                follower.sampleFollower(x, 0, a, 0, rng, u, 0);
                ret += weight * game.leaderReward(x, 0);
                weight *= 0.97;
                game.step(x, 0, a, 0, u, 0, rng, next, 0);
                System.arraycopy(next, 0, x, 0, 2);
            }
            sum += ret;
            sq += ret * ret;
        }
        double mean = sum / episodes;
        double se = Math.sqrt((sq / episodes - mean * mean) / episodes);
        assertThat(exact).isGreaterThan(0.5);
        assertThat(mean).isCloseTo(exact, within(4 * se));
        // The precomputed value function agrees with the return from the start state.
        assertThat(game.leaderValue(k, w, follower, 0.97, 40).at(new double[] {1, 0}, 0)).isCloseTo(exact,
                within(1e-12));
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
