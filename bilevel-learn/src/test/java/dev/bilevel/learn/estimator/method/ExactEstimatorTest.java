package dev.bilevel.learn.estimator.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.testing.Exact;
import dev.bilevel.learn.testing.Instances.Instance;
import dev.bilevel.learn.testing.Instances.Spec;
import dev.bilevel.learn.testing.Instances;
import dev.bilevel.learn.testing.TabularMethods;
import dev.bilevel.learn.testing.Vectors;
import org.junit.jupiter.api.Test;

/**
 * {@link ExactEstimator} evaluates its oracle at the decision and the response it observes: at a follower that has
 * not caught up with the decision (its response to another decision) it returns the hypergradient formula at that
 * follower's policy, not the one at the best response, and it reports everything as its response part.
 */
class ExactEstimatorTest {

    private static final Instance INSTANCE = Instances.cmdp(101L, Spec.of(6, 3, 4, 1, 0.85, 0.8, 0.5));

    @Test
    void evaluatesTheOracleAtTheObservedResponse() {
        double[] x = INSTANCE.x();
        double[] shift = {0.8, -0.6, 0.4, -0.2};
        double[] elsewhere = x.clone();
        for (int j = 0; j < shift.length; j++) {
            elsewhere[j] += shift[j];
        }
        TabularResponse lagging = INSTANCE.response(elsewhere);
        Estimate estimate = TabularMethods.exact(INSTANCE.mdp())
                .estimate(new Estimation<double[], TabularResponse, TabularBatch>(0, x, lagging, null,
                        new SplitMixRandom(1)));

        double[] atLagging = ExactHypergradient.compute(INSTANCE.mdp(), x, lagging.policy()).gradient();
        double[] atBest = Exact.gradient(INSTANCE.mdp(), x);
        assertThat(Vectors.norm(Vectors.minus(atLagging, atBest)))
                .as("the lagging follower's hypergradient differs from the best response's")
                .isGreaterThan(1e-3 * Vectors.norm(atBest));
        assertThat(estimate.gradient()).containsExactly(atLagging, within(1e-12));
        assertThat(estimate.direct()).containsOnly(0.0);
        assertThat(estimate.response()).containsExactly(atLagging, within(1e-12));
    }
}
