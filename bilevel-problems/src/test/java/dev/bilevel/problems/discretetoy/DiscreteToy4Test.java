package dev.bilevel.problems.discretetoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.GameFollowerSolution;
import dev.bilevel.core.game.JointPolicy;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.game.SoftQIteration;
import dev.bilevel.core.tabular.PolicyEvaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DiscreteToy4 against the reference values of reference-markov-game.md §8.1 (given to 3 decimals). */
class DiscreteToy4Test {

    private static final double TABLE_TOLERANCE = 6e-4;

    private static double[] returns(DiscreteToy4.Variant variant, FollowerOperator op, double p0,
            SoftQIteration solver) {
        MarkovGame game = DiscreteToy4.game(variant, op);
        double[] leader = DiscreteToy4.leaderPolicy(p0);
        GameFollowerSolution follower = solver.solve(game, leader, null);
        double[] joint = JointPolicy.of(leader, follower.policy(), game.leaderActions(), game.followerActions());
        int h = DiscreteToy4.HORIZON;
        return new double[] {
            PolicyEvaluation.finiteHorizonReturn(game.dynamics(), joint, game.leaderReward(), 0.99, h),
            PolicyEvaluation.finiteHorizonReturn(game.dynamics(), joint, game.leaderReward(), 1.0, h),
            PolicyEvaluation.finiteHorizonReturn(game.dynamics(), joint, game.followerReward(), 0.99, h)};
    }

    /** Table 1: follower from Q = 0 with at most 1,000 sweeps and tolerance 1e-6 (the reference solver). */
    @ParameterizedTest
    @CsvSource({
        "R1, 0.0, 0.000, 0.000, 39.121",
        "R1, 0.5, 0.283, 0.543, 39.075",
        "R1, 0.6, 4.567, 8.768, 38.734",
        "R1, 0.7, 21.037, 40.336, 40.262",
        "R1, 0.8, 27.022, 51.769, 44.580",
        "R1, 0.9, 27.036, 51.779, 48.592",
        "R1, 1.0, 26.217, 50.052, 52.151",
        "R2, 0.4, 16.971, 32.569, 39.199",
        "R2, 0.5, 31.002, 59.437, 46.879",
        "R2, 0.6, 30.260, 57.997, 54.173",
        "R2, 0.85, 27.652, 52.964, 69.964",
        "R2, 1.0, 26.213, 50.000, 78.114"})
    void referenceFollowerMatchesTable(DiscreteToy4.Variant variant, double p0, double leaderDiscounted,
            double leaderUndiscounted, double followerDiscounted) {
        double[] r = returns(variant, FollowerOperator.AVERAGED, p0, SoftQIteration.reference());
        assertThat(r[0]).isCloseTo(leaderDiscounted, within(TABLE_TOLERANCE));
        assertThat(r[1]).isCloseTo(leaderUndiscounted, within(TABLE_TOLERANCE));
        assertThat(r[2]).isCloseTo(followerDiscounted, within(TABLE_TOLERANCE));
    }

    @Test
    void convergedAveragedFollowerAtOptimumOfR1() {
        double[] r = returns(DiscreteToy4.Variant.R1, FollowerOperator.AVERAGED, 0.84, SoftQIteration.exact());
        assertThat(r[0]).isCloseTo(27.255, within(TABLE_TOLERANCE));
        assertThat(r[1]).isCloseTo(52.208, within(TABLE_TOLERANCE));
    }

    /** The maxima over a 0.01 grid of p0 for both backups (§8.1, "Maxima"). */
    @ParameterizedTest
    @CsvSource({
        "R1, AVERAGED, 0.84, 27.255",
        "R1, SEQUENTIAL, 0.83, 27.314",
        "R2, AVERAGED, 0.51, 31.026",
        "R2, SEQUENTIAL, 0.50, 31.164"})
    void gridMaximum(DiscreteToy4.Variant variant, FollowerOperator op, double argmax, double max) {
        double best = Double.NEGATIVE_INFINITY;
        double arg = -1;
        for (int i = 0; i <= 100; i++) {
            double j = returns(variant, op, i / 100.0, SoftQIteration.exact())[0];
            if (j > best) {
                best = j;
                arg = i / 100.0;
            }
        }
        assertThat(arg).isCloseTo(argmax, within(1e-9));
        assertThat(best).isCloseTo(max, within(TABLE_TOLERANCE));
    }

    @Test
    void leaderActionMattersOnlyInStateA() {
        MarkovGame game = DiscreteToy4.game(DiscreteToy4.Variant.R2, FollowerOperator.SEQUENTIAL);
        int joint = 6;
        for (int s : new int[] {DiscreteToy4.S, DiscreteToy4.B}) {
            for (int a = 0; a < 3; a++) {
                int row0 = s * joint + a;
                int row1 = s * joint + 3 + a;
                assertThat(game.followerReward()[row0]).isEqualTo(game.followerReward()[row1]);
                assertThat(game.leaderReward()[row0]).isEqualTo(game.leaderReward()[row1]);
                assertThat(game.dynamics().successor(game.dynamics().rowStart(row0)))
                        .isEqualTo(game.dynamics().successor(game.dynamics().rowStart(row1)));
            }
        }
    }
}
