package dev.bilevel.learn.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.FollowerSolution;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.learn.testing.Instances;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservingLeaderTest {

    private static final Instances.Instance INSTANCE = Instances.cmdp(5,
            Instances.Spec.of(5, 3, 2, 1, 0.8, 0.9, 0.4).withUniformStart());

    /**
     * From the follower's actions and the rewards the environment emits, and nothing else, the fit recovers the
     * follower's soft-optimal policy (by counts) and its soft value (by soft TD through {@code Q − V = λ·log π}),
     * within the sampling error of 400,000 transitions. A TD target without the {@code −λ·log π̂} term would miss
     * {@code V} by the policy's entropy, up to {@code λ·log 3 ≈ 0.44}.
     */
    @Test
    void theFitRecoversTheFollowersPolicyAndSoftValueFromTheStreamAlone() {
        ConfigurableMdp mdp = INSTANCE.mdp();
        double[] reward = mdp.followerReward().evaluate(INSTANCE.x());
        FollowerSolution follower = SoftPolicyIteration.exact().solve(mdp.dynamics(), reward, mdp.followerDiscount(),
                mdp.temperature(), null);
        TabularFollowerFit fit = new TabularFollowerFit(mdp.states(), mdp.actions(), mdp.temperature(),
                mdp.followerDiscount(), 1.0, 0.1, 0.01);
        TabularSampler sampler = new TabularSampler(mdp.dynamics(), 50);
        SplitMixRandom rng = new SplitMixRandom(8);
        for (int i = 0; i < 200; i++) {
            fit.observe(sampler.sample(follower.policy(), 4, 500, rng), reward);
        }
        TabularResponse fitted = fit.response();
        for (int i = 0; i < follower.policy().length; i++) {
            assertThat(fitted.policy()[i]).as("π̂ at row " + i).isCloseTo(follower.policy()[i],
                    within(0.02));
        }
        for (int s = 0; s < mdp.states(); s++) {
            assertThat(fitted.softValue()[s]).as("V̂ at state " + s).isCloseTo(follower.softValue()[s],
                    within(0.1));
        }
        assertThat(fitted.temperature()).isEqualTo(mdp.temperature());
    }

    /**
     * Started from a λ twice the truth (as a wrong announcement would be), the fitted λ comes within 5 % of the
     * follower's from the same 400,000 transitions; its value and policy are then as accurate as with the
     * announced λ.
     */
    @Test
    void theFitRecoversLambdaFromTheStreamAlone() {
        ConfigurableMdp mdp = INSTANCE.mdp();
        double[] reward = mdp.followerReward().evaluate(INSTANCE.x());
        FollowerSolution follower = SoftPolicyIteration.exact().solve(mdp.dynamics(), reward, mdp.followerDiscount(),
                mdp.temperature(), null);
        TabularFollowerFit fit = new TabularFollowerFit(mdp.states(), mdp.actions(), 2 * mdp.temperature(),
                mdp.followerDiscount(), 1.0, 0.1, 0.01, true);
        assertThat(fit.temperature()).as("before any transition").isEqualTo(2 * mdp.temperature());
        TabularSampler sampler = new TabularSampler(mdp.dynamics(), 50);
        SplitMixRandom rng = new SplitMixRandom(8);
        for (int i = 0; i < 200; i++) {
            fit.observe(sampler.sample(follower.policy(), 4, 500, rng), reward);
        }
        TabularResponse fitted = fit.response();
        assertThat(fitted.temperature()).as("λ̂ against λ = " + mdp.temperature())
                .isCloseTo(mdp.temperature(), within(0.05 * mdp.temperature()));
        for (int s = 0; s < mdp.states(); s++) {
            assertThat(fitted.softValue()[s]).as("V̂ at state " + s).isCloseTo(follower.softValue()[s],
                    within(0.1));
        }
    }

    /** The follower's own answer, which the loop hands every leader, never reaches the estimator. */
    @Test
    void theFollowersOwnResponseNeverReachesTheEstimator() {
        ConfigurableMdp mdp = INSTANCE.mdp();
        List<TabularResponse> seen = new ArrayList<>();
        Estimator<double[], TabularResponse, TabularBatch> recording = estimation -> {
            seen.add(estimation.response());
            return new Estimate(new double[2], new double[2]);
        };
        TabularFollowerFit fit = new TabularFollowerFit(mdp.states(), mdp.actions(), 0.2, 0.8, 0.9, 0.5, 0.1);
        ObservingLeader leader = new ObservingLeader(new DecisionLeader<>(new double[2], recording,
                ClippedSgd.ungrouped(2, 0.1, 1.0)), fit, x -> mdp.followerReward().evaluate(x));
        double[] poisoned = new double[mdp.states() * mdp.actions()];
        Arrays.fill(poisoned, Double.NaN);
        TabularResponse truth = new TabularResponse(mdp.states(), mdp.actions(), poisoned,
                new double[mdp.states()], mdp.temperature(), mdp.followerDiscount());
        TabularBatch batch = new TabularSampler(mdp.dynamics(), 10).sample(uniform(mdp), 2, 20, new SplitMixRandom(1));

        leader.learn(batch, truth, new SplitMixRandom(2));

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).isNotSameAs(truth);
        assertThat(seen.get(0).policy()).containsExactly(fit.response().policy());
        assertThat(seen.get(0).temperature()).as("the assumed λ, not the follower's").isEqualTo(0.2);
    }

    /** The counts forget by transitions observed, not by batches: a batch of 200 decays them as two of 100. */
    @Test
    void theCountsDecayPerHundredObservedTransitions() {
        double c = 0.1;
        TabularFollowerFit fit = new TabularFollowerFit(1, 2, 0.5, 0.9, 0.5, c, 0.1);
        fit.observe(oneStateBatch(100, 0), new double[2]);
        fit.observe(oneStateBatch(200, 1), new double[2]);
        // 100 of action 0, then × 0.5^2 before 200 of action 1
        double expected = (100 * 0.25 + c) / (100 * 0.25 + 200 + 2 * c);
        assertThat(fit.response().policy()[0]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
    }

    private static TabularBatch oneStateBatch(int rows, int action) {
        TabularBatch batch = new TabularBatch(1, rows);
        Arrays.fill(batch.actions(), action);
        return batch;
    }

    private static double[] uniform(ConfigurableMdp mdp) {
        double[] p = new double[mdp.states() * mdp.actions()];
        Arrays.fill(p, 1.0 / mdp.actions());
        return p;
    }
}
