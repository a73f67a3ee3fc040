package dev.bilevel.experiments.lqrgame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.lqr.LeaderAwareLqrProblem;
import dev.bilevel.core.lqr.LeaderAwareLqrSolution;
import dev.bilevel.core.lqr.LeaderAwareMaxEntLqr;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.problems.lqr.LqrGame;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ladder's exact parts: the whole is the slope of the closed-form return with the follower re-solved, the direct
 * part the slope with the follower held, both in a minibatch's units; each rung replaces only its parts.
 */
class ExactTermsTest {

    private static final LqrGame GAME = LqrGame.referenceV4();
    private static final LeaderAwareLqrProblem FOLLOWER = GAME.followerModel(0.95, 0.1);
    private static final LeaderAwareMaxEntLqr SOLVER = new LeaderAwareMaxEntLqr(1e-12, 100_000, false);
    private static final double GAMMA = 0.99;
    private static final int HORIZON = 100;
    private static final double[] GAIN = {-4.0, -2.0};
    private static final double[] NOISE = {1e-3};
    private static final Estimate ESTIMATED = new Estimate(new double[] {0.25, -0.5}, new double[] {1.5, 2.5},
            Map.of("mean_benefit", 0.125));

    private static Estimate at(ExactTerms.Rung rung) {
        ExactTerms terms = new ExactTerms(context -> ESTIMATED, rung, GAME, FOLLOWER, SOLVER, GAMMA, HORIZON);
        return terms.estimate(new Estimation<>(0, new LinearGaussianPolicy(2, GAIN, NOISE), null, null,
                new SplitMixRandom(1)));
    }

    /** The slope of the return in gain entry {@code i}, by a wider central difference than the class's. */
    private static double slope(int i, boolean resolve) {
        double h = 1e-4;
        double[] up = GAIN.clone();
        double[] down = GAIN.clone();
        up[i] += h;
        down[i] -= h;
        LeaderAwareLqrSolution held = SOLVER.solve(FOLLOWER, GAIN, NOISE);
        double scale = (1 - GAMMA) / (1 - Math.pow(GAMMA, HORIZON));
        return scale * (GAME.expectedLeaderReturn(up, NOISE, resolve ? SOLVER.solve(FOLLOWER, up, NOISE) : held,
                GAMMA, HORIZON) - GAME.expectedLeaderReturn(down, NOISE, resolve ? SOLVER.solve(FOLLOWER, down, NOISE)
                : held, GAMMA, HORIZON)) / (2 * h);
    }

    @Test
    void theTotalIsTheSlopeWithTheFollowerResolvedAndItsDirectPartWithTheFollowerHeld() {
        Estimate total = at(ExactTerms.Rung.TOTAL);
        for (int i = 0; i < 2; i++) {
            double whole = slope(i, true);
            double direct = slope(i, false);
            assertThat(total.gradient()[i]).isCloseTo(whole, within(1e-6 * Math.max(1.0, Math.abs(whole))));
            assertThat(total.direct()[i]).isCloseTo(direct, within(1e-6 * Math.max(1.0, Math.abs(direct))));
        }
        assertThat(total.response()).as("the follower's response matters here").isNotEqualTo(new double[2]);
    }

    @Test
    void eachRungReplacesOnlyItsPart() {
        Estimate total = at(ExactTerms.Rung.TOTAL);
        Estimate direct = at(ExactTerms.Rung.DIRECT);
        Estimate response = at(ExactTerms.Rung.RESPONSE);
        assertThat(direct.direct()).containsExactly(total.direct());
        assertThat(direct.response()).containsExactly(ESTIMATED.response());
        assertThat(response.direct()).containsExactly(ESTIMATED.direct());
        assertThat(response.response()).containsExactly(total.response());
        assertThat(direct.diagnostic("mean_benefit")).isEqualTo(0.125);
    }

    @Test
    void everyRungLogsTheCosineOfTheGradientItHandsOnToTheExactOne() {
        double[] exact = at(ExactTerms.Rung.TOTAL).gradient();
        Estimate measured = at(ExactTerms.Rung.MEASURE);
        assertThat(measured.direct()).containsExactly(ESTIMATED.direct());
        assertThat(measured.response()).containsExactly(ESTIMATED.response());
        double[] g = ESTIMATED.gradient();
        double cosine = (g[0] * exact[0] + g[1] * exact[1]) / Math.hypot(g[0], g[1]) / Math.hypot(exact[0], exact[1]);
        assertThat(measured.diagnostic(ExactTerms.COSINE)).isCloseTo(cosine, within(1e-12));
        assertThat(at(ExactTerms.Rung.TOTAL).diagnostic(ExactTerms.COSINE)).isCloseTo(1.0, within(1e-12));
        assertThat(Math.abs(cosine)).as("the stub is not already aligned").isLessThan(0.99);
    }
}
