package dev.bilevel.learn.estimator.term;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.lqr.SoftLqr;
import dev.bilevel.learn.critic.FittedTdCritic;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.method.BchgEstimator;
import dev.bilevel.learn.estimator.term.DynamicsDesignTerms.Critics;
import dev.bilevel.learn.estimator.term.DynamicsDesignTerms.Fitting;
import dev.bilevel.learn.estimator.term.DynamicsDesignTerms.Options;
import dev.bilevel.learn.estimator.term.DynamicsDesignTerms.Sensitivity;
import dev.bilevel.learn.estimator.term.DynamicsDesignTerms.ValueSampling;
import dev.bilevel.learn.follower.GaussianResponse;
import dev.bilevel.learn.follower.planning.SoftLqrFollower;
import dev.bilevel.learn.sampling.ContinuousBatch;
import dev.bilevel.learn.sampling.ContinuousSampler;
import dev.bilevel.problems.thermal.BuildingThermalControl;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * BC-HG on BuildingThermalControl with quadratic LSTD critics, the model sensitivity and the mirrored direct term,
 * against the exact hypergradient (central differences of the closed-form expected return with the follower
 * re-solved).
 */
class ThermalHypergradientTest {

    private static final BuildingThermalControl ENV = new BuildingThermalControl();

    private static double exactReturn(double[] w) {
        var configured = ENV.configure(w);
        return configured.expectedLeaderReturn(new SoftLqr(1e-12, 100_000).solve(configured.followerModel()),
                ENV.horizon(), null);
    }

    @Test
    void modelBchgWithQuadraticCriticsIsUnbiasedAtTheInitialDesign() {
        double[] w = new double[8];
        double[] exact = new double[8];
        double h = 1e-4;
        for (int i = 0; i < 8; i++) {
            double[] wp = w.clone();
            double[] wm = w.clone();
            wp[i] += h;
            wm[i] -= h;
            exact[i] = (exactReturn(wp) - exactReturn(wm)) / (2 * h);
        }
        var configured = ENV.configure(w);
        GaussianResponse follower = SoftLqrFollower.response(new SoftLqr().solve(configured.followerModel()),
                ENV.temperature(), ENV.followerDiscount());
        Options options = new Options(new Critics(true, new int[] {64, 64}, 1e-4, 1.0,
                FittedTdCritic.Normalisation.NONE, FittedTdCritic.Normalisation.NONE), new Fitting(false, 0, 0, 0),
                new ValueSampling(2, true), 1.0, 20, Sensitivity.MODEL, true);
        Estimator<double[], GaussianResponse, ContinuousBatch> est = new BchgEstimator<>(new DynamicsDesignTerms(
                ENV, DynamicsDesignTerms.Critic.ACTION_VALUE, false, options, new SplittableRandom(1)));
        SplittableRandom rng = new SplittableRandom(2);
        int reps = 40;
        double[] sum = new double[8];
        double[] sq = new double[8];
        for (int k = 0; k < reps; k++) {
            double[] g = est.estimate(new Estimation<>(0, w, follower, ContinuousSampler.sample(ENV, configured,
                    follower, 100, rng), rng)).gradient();
            for (int i = 0; i < 8; i++) {
                sum[i] += g[i];
                sq[i] += g[i] * g[i];
            }
        }
        double norm = 0.0;
        for (double e : exact) {
            norm += e * e;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < 8; i++) {
            double mean = sum[i] / reps;
            double se = Math.sqrt((sq[i] / reps - mean * mean) / reps);
            // Per batch the estimate's noise is a few units against |∇J| ≈ 27; 4 SE plus 3 % of |∇J| of slack.
            assertThat(mean).as("weight %d (SE %.3f)", i, se).isCloseTo(exact[i], within(4 * se + 0.03 * norm));
            assertThat(se).as("weight %d", i).isLessThan(0.1 * norm);
        }
    }
}
