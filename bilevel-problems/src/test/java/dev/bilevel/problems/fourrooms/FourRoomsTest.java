package dev.bilevel.problems.fourrooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.Hypergradient;
import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.cmdp.FollowerSolution;
import dev.bilevel.core.cmdp.ModifiedSoftPolicyIteration;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.core.tabular.TabularDynamics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FourRooms against reference-configurable-mdp.md §1.1 and §2.1. */
class FourRoomsTest {

    @Test
    void mapIndexing() {
        assertThat(FourRooms.STATES).isEqualTo(104);
        assertThat(FourRooms.START).isEqualTo(31);
        assertThat(FourRooms.GOAL).isEqualTo(7);
        assertThat(FourRooms.TARGET).isEqualTo(66);
        assertThat(FourRooms.CORRIDORS).containsExactly(25, 51, 62, 88);
        assertThat(FourRooms.row(FourRooms.START)).isEqualTo(4);
        assertThat(FourRooms.column(FourRooms.START)).isEqualTo(1);
        // A move into a wall stays put: from S, "left" hits the outer wall.
        assertThat(FourRooms.move(FourRooms.START, 3)).isEqualTo(FourRooms.START);
    }

    @Test
    void bothSlipModels() {
        FourRooms fr = new FourRooms(FourRoomsConfig.paper(0.003));
        int right = FourRooms.START * 4 + 1;
        int east = FourRooms.state(4, 2);
        int north = FourRooms.state(3, 1);
        int south = FourRooms.state(5, 1);
        TabularDynamics plan = fr.planningDynamics();
        assertThat(plan.probability(right, east)).isCloseTo(1 - 4 * 0.33 / 3, within(1e-15));
        assertThat(plan.probability(right, north)).isCloseTo(4 * 0.33 / 9, within(1e-15));
        assertThat(plan.probability(right, south)).isCloseTo(4 * 0.33 / 9, within(1e-15));
        assertThat(plan.probability(right, FourRooms.START)).isCloseTo(4 * 0.33 / 9, within(1e-15));
        TabularDynamics sim = fr.simulatorDynamics();
        assertThat(sim.probability(right, east)).isCloseTo(0.67, within(1e-15));
        assertThat(sim.probability(right, north)).isCloseTo(0.11, within(1e-15));
        assertThat(sim.isTerminal(FourRooms.GOAL)).isTrue();
    }

    @Test
    void incentivesAtZeroSpendAlmostTheWholeBudget() {
        FourRooms fr = new FourRooms(FourRoomsConfig.paper(0.003));
        double[] w = new double[105];
        assertThat(fr.incentives().incentives(w)[0]).isCloseTo(-0.2 / 105, within(1e-15));
        assertThat(fr.incentives().spent(w)).isCloseTo(0.198095, within(1e-6));
        double[] r = fr.model().followerReward().evaluate(w);
        assertThat(r[FourRooms.GOAL * 4]).isEqualTo(1.0); // incentive switched off at the goal
        double[] f = fr.model().leaderReward().evaluate(w);
        assertThat(f[FourRooms.TARGET * 4 + 2]).isEqualTo(1.0);
        assertThat(f[FourRooms.GOAL * 4]).isCloseTo(-5 * 0.2 * 104 / 105, within(1e-12));
    }

    /** §2.1: Q_LL(S,·), π(S) and V_UL(S) at w = 0 with the reference 100×5 follower. */
    @ParameterizedTest
    @CsvSource({
        "0.001, -0.740644, 0.700396, 0.704894, 0.694210, 0.697953, 0.0110, 0.9880",
        "0.003, -0.725819, 0.717900, 0.722367, 0.713498, 0.716154, 0.1607, 0.7125",
        "0.005, -0.667413, 0.759134, 0.762097, 0.756435, 0.758050, 0.2383, 0.4310"})
    void initialObjective(double lambda, double value, double q0, double q1, double q2, double q3, double p0,
            double p1) {
        FourRooms fr = new FourRooms(FourRoomsConfig.paper(lambda));
        ConfigurableMdp m = fr.model();
        double[] w = new double[fr.dimension()];
        FollowerSolution follower = ModifiedSoftPolicyIteration.reference().solve(m.dynamics(),
                m.followerReward().evaluate(w), m.followerDiscount(), lambda, null);
        double objective = PolicyEvaluation.initialValue(m.dynamics(), PolicyEvaluation.evaluate(m.dynamics(),
                follower.policy(), m.leaderReward().evaluate(w), m.leaderDiscount()).stateValues());
        assertThat(objective).isCloseTo(value, within(1e-5));
        int s = FourRooms.START * 4;
        double[] q = follower.q();
        assertThat(new double[] {q[s], q[s + 1], q[s + 2], q[s + 3]}).containsExactly(new double[] {q0, q1, q2, q3},
                within(1e-6));
        assertThat(follower.policy()[s]).isCloseTo(p0, within(1e-4));
        assertThat(follower.policy()[s + 1]).isCloseTo(p1, within(1e-4));
        assertThat(ExactHypergradient.objective(m, w)).isCloseTo(value, within(1e-5));
    }

    /** §2.1: Naive-PGD's end state (no budget spent) is worth 0.0008, 0.0015, 0.0178. */
    @ParameterizedTest
    @CsvSource({"0.001, 0.0008", "0.003, 0.0015", "0.005, 0.0178"})
    void noIncentivesObjective(double lambda, double value) {
        FourRooms fr = new FourRooms(FourRoomsConfig.paper(lambda));
        double[] w = new double[fr.dimension()];
        w[w.length - 1] = 50.0;
        assertThat(ExactHypergradient.objective(fr.model(), w)).isCloseTo(value, within(5e-5));
    }

    @ParameterizedTest
    @CsvSource({"CORRIDORS, 0.005", "ALL, 0.005", "CORRIDORS, 0.003"})
    void exactHypergradientMatchesFiniteDifferences(FourRooms.Coordinates coordinates, double lambda) {
        FourRooms fr = new FourRooms(FourRoomsConfig.paper(lambda).withCoordinates(coordinates));
        SplitMixRandom rng = new SplitMixRandom(11);
        double[] w = new double[fr.dimension()];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextGaussian();
        }
        Hypergradient exact = ExactHypergradient.compute(fr.model(), w);
        double h = 1e-5;
        double maxError = 0.0;
        double scale = 0.0;
        for (int j = 0; j < w.length; j++) {
            double[] plus = w.clone();
            double[] minus = w.clone();
            plus[j] += h;
            minus[j] -= h;
            double fd = (ExactHypergradient.objective(fr.model(), plus)
                    - ExactHypergradient.objective(fr.model(), minus)) / (2 * h);
            maxError = Math.max(maxError, Math.abs(fd - exact.gradient()[j]));
            scale = Math.max(scale, Math.abs(exact.gradient()[j]));
        }
        assertThat(scale).isGreaterThan(1e-3);
        assertThat(maxError / scale).isLessThan(1e-5);
    }

    /** A warm-started tolerance solve after a leader step gives the reference 100×5 schedule's policy. */
    @ParameterizedTest
    @CsvSource({"0.001", "0.003", "0.005"})
    void warmNewtonSolveMatchesReferenceSchedule(double lambda) {
        FourRooms fr = new FourRooms(FourRoomsConfig.paper(lambda));
        ConfigurableMdp m = fr.model();
        SplitMixRandom rng = new SplitMixRandom(5);
        double[] w = new double[fr.dimension()];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.01 * rng.nextGaussian();
        }
        SoftPolicyIteration solver = new SoftPolicyIteration(1e-12, 100);
        FollowerSolution previous = solver.solve(m.dynamics(), m.followerReward().evaluate(w), 0.99, lambda, null);
        for (int i = 0; i < w.length; i++) {
            w[i] += 0.1 * rng.nextGaussian() / Math.sqrt(w.length);
        }
        double[] reward = m.followerReward().evaluate(w);
        FollowerSolution warm = solver.solve(m.dynamics(), reward, 0.99, lambda, previous);
        FollowerSolution reference = ModifiedSoftPolicyIteration.reference().solve(m.dynamics(), reward, 0.99,
                lambda, null);
        assertThat(warm.converged()).isTrue();
        double worst = 0.0;
        for (int i = 0; i < warm.policy().length; i++) {
            worst = Math.max(worst, Math.abs(warm.policy()[i] - reference.policy()[i]));
        }
        assertThat(worst).isLessThan(1e-10);
    }
}
