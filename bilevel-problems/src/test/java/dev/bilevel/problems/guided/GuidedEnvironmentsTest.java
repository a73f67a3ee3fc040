package dev.bilevel.problems.guided;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import org.junit.jupiter.api.Test;

/**
 * The two guided tasks against numbers computed with the reference's formulas (reference-markov-game.md §1.4 and
 * §1.5, evaluated independently of this code), and their wind terms, rewards, ends and resets.
 */
class GuidedEnvironmentsTest {

    @Test
    void aCartPoleStepIsTheReferences() {
        double[] next = new double[4];
        GuidedCartPole.v1().step(new double[] {0.1, -0.3, 0.05, 0.4}, 0, new double[] {-0.8}, 0,
                new double[] {0.6}, 0, null, next, 0);
        assertThat(next).containsExactly(new double[] {0.094, -0.18365617096639014, 0.058, -0.07880443499290263},
                within(1e-12));
    }

    /** The wind adds 20·w·a_L·cos²θ to θ̈ (one Euler step: τ times that to θ̇) and nothing to the cart. */
    @Test
    void theCartPoleWindTurnsThePoleOnly() {
        double[] x = {0.3, 0.2, -0.1, 0.5};
        double[] calm = new double[4];
        double[] windy = new double[4];
        GuidedCartPole game = new GuidedCartPole(0.25, 0.75, 0.7);
        game.step(x, 0, new double[] {0.0}, 0, new double[] {0.4}, 0, null, calm, 0);
        game.step(x, 0, new double[] {-0.6}, 0, new double[] {0.4}, 0, null, windy, 0);
        assertThat(windy[0]).isEqualTo(calm[0]);
        assertThat(windy[1]).isEqualTo(calm[1]);
        assertThat(windy[2]).isEqualTo(calm[2]);
        double cos = Math.cos(-0.1);
        assertThat(windy[3] - calm[3]).isCloseTo(0.02 * 20 * 0.7 * -0.6 * cos * cos, within(1e-12));
        double[] clipped = new double[4];
        game.step(x, 0, new double[] {-3.0}, 0, new double[] {9.0}, 0, null, clipped, 0);
        double[] bound = new double[4];
        game.step(x, 0, new double[] {-1.0}, 0, new double[] {1.0}, 0, null, bound, 0);
        assertThat(clipped).as("actions clipped to [−1, 1]").containsExactly(bound);
    }

    @Test
    void cartPoleRewardsAndEnds() {
        GuidedCartPole v1 = GuidedCartPole.v1();
        double[] none = {0.0};
        // the step from x = 0.24 at ẋ = 1 ends at x = 0.26, inside v1's target (0.25, 0.75) and outside v0's
        double[] x = {0.24, 1.0, 0.0, 0.0};
        assertThat(v1.leaderReward(x, 0, none, 0, none, 0)).isEqualTo(1.0);
        assertThat(GuidedCartPole.v0().leaderReward(x, 0, none, 0, none, 0)).isEqualTo(0.0);
        assertThat(v1.followerReward(x, 0, none, 0, none, 0)).isEqualTo(1.0);
        assertThat(v1.isTerminal(x, 0)).isFalse();
        for (double[] out : new double[][] {{2.41, 0, 0, 0}, {-2.41, 0, 0, 0}, {0, 0, 0.21, 0}, {0, 0, -0.21, 0}}) {
            assertThat(v1.isTerminal(out, 0)).isTrue();
            assertThat(v1.followerReward(out, 0, none, 0, none, 0)).isZero();
            assertThat(v1.leaderReward(out, 0, none, 0, none, 0)).isZero();
        }
        double[] reset = new double[4];
        SplitMixRandom rng = new SplitMixRandom(1);
        for (int k = 0; k < 1000; k++) {
            v1.reset(rng, reset, 0);
            for (double v : reset) {
                assertThat(v).isBetween(-0.05, 0.05);
            }
        }
    }

    @Test
    void aPendulumStepAndItsRewardsAreTheReferences() {
        GuidedPendulum game = GuidedPendulum.v0();
        double[] x = {Math.cos(2.5), Math.sin(2.5), -1.2};
        double[] next = new double[3];
        double[] wind = {0.6};
        double[] torque = {1.5};
        game.step(x, 0, wind, 0, torque, 0, null, next, 0);
        assertThat(next).containsExactly(new double[] {-0.7863151153101091, 0.6178256545619079, -0.48763602635813563},
                within(1e-12));
        assertThat(game.followerReward(x, 0, wind, 0, torque, 0)).isCloseTo(-6.39625, within(1e-12));
        assertThat(game.leaderReward(x, 0, wind, 0, torque, 0)).isCloseTo(-0.5984721441039565, within(1e-12));

        // actions beyond their boxes are clipped; the leader is paid nothing on the right
        double[] y = {Math.cos(-0.7), Math.sin(-0.7), 7.9};
        game.step(y, 0, new double[] {-2.0}, 0, new double[] {3.0}, 0, null, next, 0);
        assertThat(next).containsExactly(new double[] {0.9501489436763181, -0.3117963836075987, 7.65833837742672},
                within(1e-12));
        assertThat(game.followerReward(y, 0, new double[] {-2.0}, 0, new double[] {3.0}, 0))
                .isCloseTo(-6.735, within(1e-12));
        assertThat(game.leaderReward(y, 0, wind, 0, torque, 0)).isZero();
        assertThat(game.isTerminal(y, 0)).isFalse();
    }

    /** The wind adds 2·w·a_L·cos²θ·dt to θ̇' (below the speed limit). */
    @Test
    void thePendulumWindIsTheReferences() {
        GuidedPendulum game = new GuidedPendulum(0.5);
        double theta = 0.4;
        double[] x = {Math.cos(theta), Math.sin(theta), 0.3};
        double[] calm = new double[3];
        double[] windy = new double[3];
        game.step(x, 0, new double[] {0.0}, 0, new double[] {0.2}, 0, null, calm, 0);
        game.step(x, 0, new double[] {0.9}, 0, new double[] {0.2}, 0, null, windy, 0);
        double cos = Math.cos(theta);
        assertThat(windy[2] - calm[2]).isCloseTo(0.05 * 2 * 0.5 * 0.9 * cos * cos, within(1e-12));
    }
}
