package dev.bilevel.learn.estimator.method;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.critic.ExactLeaderCritic;
import dev.bilevel.learn.critic.SarsaCritic;
import dev.bilevel.learn.critic.SuccessorRepresentation;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.term.RewardDesignTerms;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.learn.testing.Exact;
import dev.bilevel.learn.testing.Instances.Instance;
import dev.bilevel.learn.testing.Instances.Spec;
import dev.bilevel.learn.testing.Instances;
import dev.bilevel.learn.testing.TabularMethods;
import dev.bilevel.learn.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code bchg-sr}: BC-HG while exploring, then an estimate of the same hypergradient with less noise. */
class SuccessorRefinedEstimatorTest {

    private static final Spec SPEC = Spec.of(6, 3, 4, 1, 0.85, 0.8, 0.5);

    private static Estimation<double[], TabularResponse, TabularBatch> context(Instance inst, int iteration,
            TabularBatch batch, long seed) {
        return new Estimation<>(iteration, inst.x(), inst.response(), batch, new SplitMixRandom(seed));
    }

    @ParameterizedTest
    @ValueSource(longs = {101L, 103L})
    void exploresExactlyAsBchgWithTheReferenceOptions(long seed) {
        Instance inst = Instances.cmdp(seed, SPEC);
        SuccessorRefinedEstimator refined = new SuccessorRefinedEstimator(TabularMethods.design(inst.mdp()),
                new SarsaCritic(inst.states(), inst.actions(), 0.5, new SplitMixRandom(9)),
                new SuccessorRepresentation(inst.states(), inst.actions(), 0.5), 3);
        Estimator<double[], TabularResponse, TabularBatch> plain = TabularMethods.bchg(inst.mdp(),
                new SarsaCritic(inst.states(), inst.actions(), 0.5, new SplitMixRandom(9)),
                        RewardDesignTerms.Options.reference());
        TabularSampler sampler = new TabularSampler(inst.dynamics(), 50);
        SplitMixRandom rng = new SplitMixRandom(seed);
        for (int it = 0; it < 3; it++) {
            TabularBatch batch = sampler.sample(inst.response().policy(), 2, 100, rng);
            assertThat(refined.estimate(context(inst, it, batch, it)).gradient())
                    .containsExactly(plain.estimate(context(inst, it, batch, it)).gradient());
        }
        TabularBatch batch = sampler.sample(inst.response().policy(), 2, 100, rng);
        assertThat(refined.estimate(context(inst, 3, batch, 3)).gradient())
                .isNotEqualTo(plain.estimate(context(inst, 3, batch, 3)).gradient());
    }

    /**
     * With the exact leader critic and a successor representation trained on 300 earlier batches
     * (step 0.01), the mean of 40 refined estimates from 1,000-episode batches matches the exact
     * hypergradient: measured relative error 0.2–0.6 %, cosine ≥ 0.99999; asserted 2 % and 0.999.
     */
    @ParameterizedTest
    @ValueSource(longs = {101L, 102L, 103L})
    void refinedEstimatesAverageToTheExactHypergradient(long seed) {
        Instance inst = Instances.cmdp(seed, SPEC);
        TabularResponse follower = inst.response();
        SuccessorRefinedEstimator refined = new SuccessorRefinedEstimator(TabularMethods.design(inst.mdp()),
                new ExactLeaderCritic(inst.dynamics()),
                new SuccessorRepresentation(inst.states(), inst.actions(), 0.01), 0);
        TabularSampler sampler = new TabularSampler(inst.dynamics(), Integer.MAX_VALUE);
        SplitMixRandom rng = new SplitMixRandom(seed + 5);
        for (int it = 0; it < 300; it++) {
            refined.estimate(context(inst, it, sampler.sampleEpisodes(follower.policy(), 100, 200, rng), it));
        }
        List<double[]> estimates = new ArrayList<>();
        for (int it = 300; it < 340; it++) {
            estimates.add(refined.estimate(context(inst, it,
                    sampler.sampleEpisodes(follower.policy(), 1_000, 200, rng), it)).gradient());
        }
        double[] exact = Exact.gradient(inst.mdp(), inst.x());
        double[] mean = Vectors.mean(estimates);
        assertThat(Vectors.cosine(mean, exact)).isGreaterThanOrEqualTo(0.999);
        assertThat(Vectors.relativeError(mean, exact)).isLessThan(0.02);
    }
}
