package dev.bilevel.learn.follower.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.LinearFeatureReward;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.planning.TabularMdpFollower.Behaviour;
import dev.bilevel.learn.testing.Instances.Instance;
import dev.bilevel.learn.testing.Instances.Spec;
import dev.bilevel.learn.testing.Instances;
import org.junit.jupiter.api.Test;

class TabularMdpFollowerTest {

    /** γ_F = 0.9: the reference schedule's 500 sweeps contract the error by 0.9^500 ≈ 1e-23. */
    private static Instance instance() {
        return Instances.cmdp(201, Spec.of(8, 3, 4, 1, 0.9, 0.85, 0.4));
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0.0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void optimalAndReferenceScheduleGiveTheSameResponse() {
        Instance inst = instance();
        TabularMdpFollower optimal = new TabularMdpFollower(inst.mdp(), Behaviour.OPTIMAL, 0, new SplitMixRandom(1));
        TabularMdpFollower reference = new TabularMdpFollower(inst.mdp(), Behaviour.REFERENCE_SCHEDULE, 0,
                new SplitMixRandom(1));
        SplitMixRandom rng = new SplitMixRandom(2);
        for (int k = 0; k < 5; k++) {
            // successive decisions exercise the optimal follower's warm start
            double[] x = Instances.uniformVector(rng, inst.dimension(), -1.0, 1.0);
            TabularResponse a = optimal.respond(x);
            TabularResponse b = reference.respond(x);
            assertThat(maxDiff(a.policy(), b.policy())).isLessThanOrEqualTo(1e-10);
            assertThat(maxDiff(a.softValue(), b.softValue())).as("soft values").isLessThanOrEqualTo(1e-9);
            assertThat(maxDiff(a.policy(), inst.response(x).policy())).isLessThanOrEqualTo(1e-10);
            assertThat(a.temperature()).isEqualTo(inst.mdp().temperature());
            assertThat(a.discount()).isEqualTo(inst.mdp().followerDiscount());
            assertThat(optimal.optimalResponse().policy()).isEqualTo(a.policy());
            assertThat(optimal.suboptimal()).isFalse();
            assertThat(reference.lastSteps()).isEqualTo(500);
        }
    }

    @Test
    void fewRoundsGiveASuboptimalPolicyButTheOptimalResponseIsKnown() {
        Instance inst = instance();
        double[] best = inst.response().policy();
        for (Behaviour behaviour : new Behaviour[] {Behaviour.RESET_Q, Behaviour.CARRY_Q}) {
            TabularMdpFollower follower = new TabularMdpFollower(inst.mdp(), behaviour, 1, new SplitMixRandom(3));
            TabularResponse response = follower.respond(inst.x());
            assertThat(follower.suboptimal()).isTrue();
            assertThat(maxDiff(response.policy(), best)).as(behaviour + " after one round").isGreaterThan(1e-2);
            assertThat(maxDiff(follower.optimalResponse().policy(), best)).isLessThanOrEqualTo(1e-10);
            assertThat(follower.lastSteps()).isEqualTo(5);
            double[] rowSums = new double[inst.states()];
            for (int i = 0; i < response.policy().length; i++) {
                rowSums[i / inst.actions()] += response.policy()[i];
            }
            for (double sum : rowSums) {
                assertThat(sum).isCloseTo(1.0, within(1e-12));
            }
        }
    }

    @Test
    void resetQStartsAfreshEveryTimeWhileCarryQKeepsImproving() {
        Instance inst = instance();
        double[] best = inst.response().policy();
        TabularMdpFollower reset = new TabularMdpFollower(inst.mdp(), Behaviour.RESET_Q, 2, new SplitMixRandom(4));
        TabularMdpFollower carry = new TabularMdpFollower(inst.mdp(), Behaviour.CARRY_Q, 2, new SplitMixRandom(4));
        double firstReset = maxDiff(reset.respond(inst.x()).policy(), best);
        double firstCarry = maxDiff(carry.respond(inst.x()).policy(), best);
        assertThat(firstCarry).as("same seed, same first answer").isEqualTo(firstReset);
        double resetLater = firstReset;
        double carryLater = firstCarry;
        for (int k = 0; k < 60; k++) {
            resetLater = maxDiff(reset.respond(inst.x()).policy(), best);
            carryLater = maxDiff(carry.respond(inst.x()).policy(), best);
        }
        // 61 calls × 2 rounds × 5 sweeps = 610 sweeps: carry-Q has converged, reset-Q is still at 10.
        assertThat(carryLater).isLessThanOrEqualTo(1e-8);
        assertThat(resetLater).isGreaterThan(1e-3);
    }

    @Test
    void manyRoundsFromAFreshTableReachTheOptimum() {
        Instance inst = instance();
        TabularMdpFollower reset = new TabularMdpFollower(inst.mdp(), Behaviour.RESET_Q, 100, new SplitMixRandom(5));
        assertThat(maxDiff(reset.respond(inst.x()).policy(), inst.response().policy())).isLessThanOrEqualTo(1e-10);
    }

    @Test
    void zeroRoundsIsTheBoltzmannPolicyOfTheRandomTable() {
        Instance inst = instance();
        TabularMdpFollower follower = new TabularMdpFollower(inst.mdp(), Behaviour.RESET_Q, 0, new SplitMixRandom(6));
        TabularResponse response = follower.respond(inst.x());
        SplitMixRandom replay = new SplitMixRandom(6);
        int actions = inst.actions();
        for (int s = 0; s < inst.states(); s++) {
            double[] q = new double[actions];
            double max = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < actions; a++) {
                q[a] = replay.nextGaussian();
                max = Math.max(max, q[a]);
            }
            double z = 0.0;
            for (int a = 0; a < actions; a++) {
                z += Math.exp((q[a] - max) / inst.mdp().temperature());
            }
            for (int a = 0; a < actions; a++) {
                assertThat(response.probability(s, a)).isCloseTo(Math.exp((q[a] - max) / inst.mdp().temperature()) / z,
                        within(1e-12));
            }
        }
    }

    @Test
    void largeValueScalesStillConverge() {
        // Rewards of order 100–1000 at γ = 0.99 give soft values of 1e4–1e5, where one ulp exceeds an
        // absolute residual tolerance of 1e-12: the optimal follower must still report convergence
        // (before the fix, 5 of these 6 seeds threw "follower solve did not converge").
        for (long seed = 5; seed <= 10; seed++) {
            for (double scale : new double[] {100.0, 1000.0}) {
                assertConvergesAtScale(seed, scale);
            }
        }
    }

    private static void assertConvergesAtScale(long seed, double scale) {
        SplitMixRandom rng = new SplitMixRandom(seed);
        int states = 10;
        int actions = 3;
        TabularDynamics dynamics = Instances.dynamics(rng, states, actions, 1, false);
        double[] base = Instances.uniformVector(rng, states * actions, -scale, scale);
        double[] features = Instances.uniformVector(rng, states * actions * 2, -scale, scale);
        LinearFeatureReward reward = new LinearFeatureReward(states, actions, 2, base, features);
        double temperature = 0.01 * scale;
        ConfigurableMdp mdp = new ConfigurableMdp(dynamics, reward, reward, 0.99, 0.99, temperature);
        TabularMdpFollower follower = new TabularMdpFollower(mdp, Behaviour.OPTIMAL, 0, rng);
        for (double[] x : new double[][] {{0.1, 0.2}, {0.1, 0.2001}, {-0.3, 0.0}}) {
            TabularResponse response = follower.respond(x);
            double[] exact = SoftPolicyIteration.exact().solve(dynamics, reward.evaluate(x), 0.99, temperature, null)
                    .policy();
            assertThat(maxDiff(response.policy(), exact)).as("seed %d, scale %s", seed, scale)
                    .isLessThanOrEqualTo(1e-9);
        }
    }

    @Test
    void rejectsNegativeRounds() {
        assertThatThrownBy(() -> new TabularMdpFollower(instance().mdp(), Behaviour.CARRY_Q, -1,
                new SplitMixRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rounds");
    }
}
