package dev.bilevel.learn.critic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.game.LeaderValue;
import dev.bilevel.core.lqr.LeaderAwareLqrSolution;
import dev.bilevel.core.lqr.LeaderAwareMaxEntLqr;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.follower.LinearGaussianGameResponse;
import dev.bilevel.learn.follower.planning.MaxEntLqrGameFollower;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.learn.testing.TestDoubles;
import dev.bilevel.problems.lqr.LqrGame;
import org.junit.jupiter.api.Test;

/**
 * {@link ModelLeaderCritic} against independent computations on a small LQR game ({@code γ_L = 0.95}, 30 steps):
 * its benefit against {@code γ(V(f(x, a, u)) − E_ũ V(f(x, a, ũ)))} with the known-start value of
 * {@link LqrGame#leaderValue} and Monte-Carlo draws of the follower's policy, its direct term against central
 * differences of the follower-averaged {@code Q̄(x, a)}, its drawn covariance against a brute-force Monte-Carlo
 * covariance.
 */
class ModelLeaderCriticTest {

    private static final double GAMMA = 0.95;
    private static final int HORIZON = 30;
    private static final double[] GAIN = {-0.5, -0.3};
    private static final double[] NOISE = {0.2};
    private static final double[] X = {0.4, -0.2};
    private static final double[] A = {0.1};

    private final LqrGame game = new LqrGame(2, 1, 1, new double[] {0, 1, 0, 0}, new double[] {0, 1},
            new double[] {1, 0}, new double[] {1, 0, 0, 1}, new double[] {1}, 1.0, new double[] {1, 0},
            new double[] {-0.3, 0}, new double[] {0.5, 0.5});
    private final LeaderAwareLqrSolution solution = new LeaderAwareMaxEntLqr(1e-12, 100_000, false)
            .solve(game.followerModel(0.9, 0.3), GAIN, NOISE);
    private final LinearGaussianGameResponse follower = MaxEntLqrGameFollower.response(solution, 0.3, 0.9);
    private final LinearGaussianPolicy policy = new LinearGaussianPolicy(2, GAIN, NOISE);

    private ModelLeaderCritic critic() {
        ModelLeaderCritic critic = new ModelLeaderCritic(game, GAMMA, HORIZON);
        critic.prepare(policy, follower);
        return critic;
    }

    private double successorValue(LeaderValue value, double u, int toGo) {
        double[] next = new double[2];
        game.transitionMean(X, 0, A, 0, new double[] {u}, 0, next, 0);
        return value.at(next, 0, toGo);
    }

    /**
     * Differences of benefits are differences of {@code γ·V(f(x, a, u))} (exact, to rounding); their mean over 40,000
     * follower draws (seed 3) is zero within 4 standard errors, while the benefit's spread is over 100 of them: the
     * baseline is the follower-averaged value, with the row's steps to go.
     */
    @Test
    void theBenefitIsTheValueOfTheSampledActionLessItsMeanOverTheFollowersPolicy() {
        ModelLeaderCritic critic = critic();
        LeaderValue value = game.leaderValue(GAIN, NOISE, solution, GAMMA, HORIZON);
        int steps = 12;
        double[] u1 = {0.3};
        double[] u2 = {-0.7};
        double difference = critic.benefit(X, 0, u1, 0, A, 0, steps) - critic.benefit(X, 0, u2, 0, A, 0, steps);
        assertThat(difference).isCloseTo(GAMMA * (successorValue(value, 0.3, steps - 1)
                - successorValue(value, -0.7, steps - 1)), within(1e-12));
        SplitMixRandom rng = new SplitMixRandom(3);
        double[] u = new double[1];
        int draws = 40_000;
        double sum = 0.0;
        double sq = 0.0;
        for (int d = 0; d < draws; d++) {
            follower.sample(X, 0, A, 0, rng, u, 0);
            double b = critic.benefit(X, 0, u, 0, A, 0, steps);
            sum += b;
            sq += b * b;
        }
        double mean = sum / draws;
        double sd = Math.sqrt(sq / draws - mean * mean);
        double se = sd / Math.sqrt(draws);
        assertThat(mean).isCloseTo(0.0, within(4 * se));
        assertThat(sd).isGreaterThan(100 * se);
        // More steps than the horizon are the horizon.
        assertThat(critic.benefit(X, 0, u1, 0, A, 0, HORIZON + 5)).isEqualTo(critic.benefit(X, 0, u1, 0, A, 0,
                HORIZON));
    }

    /**
     * The direct term is {@code ∇_a Q̄(x, a)·xᵀ} with {@code Q̄(x, a) = γ·V̄(f(x, a, μ_F(x, a)))} and {@code V̄} the
     * value from the Gaussian start {@code N(·, BΣBᵀ)}: against a central difference ({@code h = 10⁻⁶}) in {@code a}
     * of that function built here from the game's closed form, to 10⁻⁶ relative.
     */
    @Test
    void theDirectTermIsTheActionGradientOfTheFollowerAveragedValueTimesTheState() {
        ModelLeaderCritic critic = critic();
        double[] sigma = solution.sigmaCholesky();
        double b = 1.0; // B = [0, 1]ᵀ
        double[] start = {0, 0, 0, b * b * sigma[0] * sigma[0]};
        LeaderValue averaged = game.leaderValue(GAIN, NOISE, solution.meanGain(), sigma, start, GAMMA, HORIZON - 1);
        int steps = 20;
        double h = 1e-6;
        double[] slope = new double[1];
        for (int sign = -1; sign <= 1; sign += 2) {
            double[] a = {A[0] + sign * h};
            double[] mean = new double[1];
            follower.mean(X, 0, a, 0, mean, 0);
            double[] next = new double[2];
            game.transitionMean(X, 0, a, 0, mean, 0, next, 0);
            slope[0] += sign * GAMMA * averaged.at(next, 0, steps - 1) / (2 * h);
        }
        double[] out = new double[2];
        critic.accumulateDirect(X, 0, A, 0, steps, 2.0, out);
        assertThat(Math.abs(slope[0])).isGreaterThan(0.01);
        for (int j = 0; j < 2; j++) {
            assertThat(out[j]).as("entry %d", j).isCloseTo(2.0 * slope[0] * X[j], within(1e-6 * Math.abs(slope[0])));
        }
    }

    /**
     * The drawn covariance {@code Cov_ũ(Q_L(x, ũ, a), g(f(x, a, ũ)))} with {@code g(y) = (y₁², y₀y₁)}: 2,000 calls of
     * 50 pairs (seed 5) against the plain covariance {@code E[γV·g] − E[γV]·E[g]} over 400,000 draws (seed 6),
     * within 4 combined standard errors in both components, each component more than 5 of them from zero
     * (measured: drawn −0.01240 and 0.001925 against brute force −0.01217 and 0.001897, combined standard errors
     * 9.0·10⁻⁴ and 2.6·10⁻⁴; the brute-force error is taken from the raw products, so it is conservative).
     */
    @Test
    void theDrawnCovarianceIsTheCovarianceOfTheValueAndTheFunctionOfTheSuccessor() {
        ModelLeaderCritic critic = critic();
        LeaderValue value = game.leaderValue(GAIN, NOISE, solution, GAMMA, HORIZON);
        int steps = 15;
        ModelLeaderCritic.SuccessorFunction g = (y, offset, out) -> {
            out[0] = y[offset + 1] * y[offset + 1];
            out[1] = y[offset] * y[offset + 1];
        };
        SplitMixRandom rng = new SplitMixRandom(5);
        int calls = 2_000;
        double[] sum = new double[2];
        double[] sq = new double[2];
        for (int c = 0; c < calls; c++) {
            double[] out = new double[2];
            critic.accumulateCovariance(X, 0, A, 0, steps, 50, rng, g, 2, 1.0, out);
            for (int k = 0; k < 2; k++) {
                sum[k] += out[k];
                sq[k] += out[k] * out[k];
            }
        }
        // Brute force: E[γV·g] − E[γV]·E[g] over plain draws.
        SplitMixRandom plain = new SplitMixRandom(6);
        int draws = 400_000;
        double[] u = new double[1];
        double[] next = new double[2];
        double[] gy = new double[2];
        double sv = 0.0;
        double[] sg = new double[2];
        double[] svg = new double[2];
        double[] svg2 = new double[2];
        for (int d = 0; d < draws; d++) {
            follower.sample(X, 0, A, 0, plain, u, 0);
            game.transitionMean(X, 0, A, 0, u, 0, next, 0);
            double v = GAMMA * value.at(next, 0, steps - 1);
            g.at(next, 0, gy);
            sv += v;
            for (int k = 0; k < 2; k++) {
                sg[k] += gy[k];
                svg[k] += v * gy[k];
                svg2[k] += v * gy[k] * v * gy[k];
            }
        }
        for (int k = 0; k < 2; k++) {
            double drawn = sum[k] / calls;
            double drawnSe = Math.sqrt((sq[k] / calls - drawn * drawn) / calls);
            double brute = svg[k] / draws - (sv / draws) * (sg[k] / draws);
            double bruteSe = Math.sqrt((svg2[k] / draws - (svg[k] / draws) * (svg[k] / draws)) / draws);
            double se = Math.hypot(drawnSe, bruteSe);
            assertThat(drawn).as("component %d", k).isCloseTo(brute, within(4 * se));
            assertThat(Math.abs(brute)).as("component %d", k).isGreaterThan(5 * se);
        }
    }

    @Test
    void aFollowerWhosePolicyIsNotLinearGaussianIsRefused() {
        GaussianGameResponse other = new TestDoubles.Follower();
        ModelLeaderCritic critic = new ModelLeaderCritic(game, GAMMA, HORIZON);
        assertThatThrownBy(() -> critic.prepare(policy, other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("linear-Gaussian");
        assertThatThrownBy(() -> new ModelLeaderCritic(game, GAMMA, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
