package dev.bilevel.learn.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.follower.FollowerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The estimator contract, in the style of EJML's generic tests: every estimator of every problem family, on small
 * instances, averages to the exact hypergradient (or to the exact part of it that it estimates) within stated
 * standard errors, and the check has power. A subclass names its cases in {@link #cases()}; this class runs them.
 *
 * <p>For each case the contract draws {@link Case#batches()} independent estimates, each from fresh data, and asks
 * that every component of their mean lie within {@code k·SE + slack·‖exact‖} of the exact value, {@code SE} the
 * standard error from the spread of the estimates and {@code k} the case's multiple (4 in every shipped case: a
 * two-sided tail of about 6e-5 per component). It then checks the power twice: the standard errors are small against the
 * exact value ({@code ‖SE‖ < maxRelativeSe·‖exact‖}), and the same test rejects a plausible wrong answer (for a
 * hypergradient estimator, the direct part alone: what an estimator that ignores the follower would converge to).
 * Every estimate must be finite, and the same seed must give the same estimates.
 *
 * @param <D> the leader's decision
 * @param <R> the follower's response
 * @param <B> the data
 */
public abstract class EstimatorContract<D, R extends FollowerResponse, B> {

    /**
     * One estimator on one instance.
     *
     * @param name the case, for reports
     * @param estimator a fresh estimator (it may keep state across its estimates, as a persistent critic)
     * @param data a fresh estimation context with independent data, from the given stream
     * @param observed what of an estimate is compared (its gradient, a part of it, or its chain rule into the
     *     decision's coordinates)
     * @param exact the exact value the mean estimates
     * @param alternative a wrong answer the test must reject (e.g. the direct part alone), or {@code null}
     * @param batches independent estimates to average
     * @param seMultiple {@code k}: components may be off by {@code k} standard errors
     * @param slack relative tolerance for a stated bias (a ratio estimator's, a horizon's truncation), as a
     *     fraction of {@code ‖exact‖}
     * @param maxRelativeSe the standard errors must be below this fraction of {@code ‖exact‖}
     * @param <D> the decision
     * @param <R> the response
     * @param <B> the data
     */
    public record Case<D, R extends FollowerResponse, B>(String name,
            java.util.function.Supplier<Estimator<D, R, B>> estimator,
            Function<SplitMixRandom, Estimation<D, R, B>> data, Function<Estimate, double[]> observed,
            double[] exact, double[] alternative, int batches, double seMultiple, double slack,
            double maxRelativeSe) {
    }

    /**
     * Set this system property ({@code -Dbilevel.contract.report}) to print each case's measured statistics: the
     * relative standard error, and the largest distance of the mean from the exact value and from the alternative,
     * in standard errors.
     */
    public static final String REPORT = "bilevel.contract.report";

    /** The cases this family's contract checks. */
    protected abstract List<Case<D, R, B>> cases();

    /** Seed of the first case's stream; each case gets its own. */
    private static final long SEED = 20_261_207L;

    @TestFactory
    Stream<DynamicTest> contract() {
        List<Case<D, R, B>> cases = cases();
        assertThat(cases).as("a contract needs cases").isNotEmpty();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case<D, R, B> c = cases.get(i);
            long s = SEED + 7919L * i;
            tests.add(DynamicTest.dynamicTest(c.name() + ": averages to the exact value", () -> unbiased(c, s)));
            tests.add(DynamicTest.dynamicTest(c.name() + ": same seed, same estimate", () -> deterministic(c, s)));
        }
        return tests.stream();
    }

    /** The mean of {@code batches} estimates, their standard errors, and the contract's assertions on them. */
    static <D, R extends FollowerResponse, B> void unbiased(Case<D, R, B> c, long seed) {
        Estimator<D, R, B> estimator = c.estimator().get();
        SplitMixRandom rng = new SplitMixRandom(seed);
        List<double[]> samples = new ArrayList<>();
        for (int b = 0; b < c.batches(); b++) {
            double[] g = c.observed().apply(estimator.estimate(c.data().apply(rng)));
            for (double v : g) {
                assertThat(Double.isFinite(v)).as("%s: a finite estimate", c.name()).isTrue();
            }
            samples.add(g);
        }
        double[] mean = Vectors.mean(samples);
        double[] se = Vectors.standardError(samples);
        double[] exact = c.exact();
        double scale = Vectors.norm(exact);
        assertThat(scale).as("%s: a non-trivial exact value", c.name()).isGreaterThan(1e-9);
        assertThat(Vectors.norm(se) / scale).as("%s: relative standard error (power)", c.name())
                .isLessThan(c.maxRelativeSe());
        for (int j = 0; j < exact.length; j++) {
            assertThat(Math.abs(mean[j] - exact[j])).as(String.format(Locale.ROOT,
                    "%s, component %d: mean %.5g vs exact %.5g, SE %.3g", c.name(), j, mean[j], exact[j], se[j]))
                    .isLessThanOrEqualTo(c.seMultiple() * se[j] + c.slack() * scale);
        }
        if (System.getProperty(REPORT) != null) {
            System.out.println(report(c, mean, se));
        }
        if (c.alternative() != null) {
            double worst = 0.0;
            for (int j = 0; j < exact.length; j++) {
                double off = Math.abs(mean[j] - c.alternative()[j]) - c.seMultiple() * se[j]
                        - c.slack() * scale;
                worst = Math.max(worst, off);
            }
            assertThat(worst).as("%s: the same test rejects the wrong answer %s (power)", c.name(),
                    java.util.Arrays.toString(c.alternative())).isPositive();
        }
    }

    private static String report(Case<?, ?, ?> c, double[] mean, double[] se) {
        double offExact = 0.0;
        double offAlternative = Double.POSITIVE_INFINITY;
        double relative = Vectors.norm(Vectors.minus(mean, c.exact())) / Vectors.norm(c.exact());
        for (int j = 0; j < mean.length; j++) {
            offExact = Math.max(offExact, inStandardErrors(mean[j] - c.exact()[j], se[j]));
        }
        if (c.alternative() != null) {
            offAlternative = 0.0;
            for (int j = 0; j < mean.length; j++) {
                offAlternative = Math.max(offAlternative, inStandardErrors(mean[j] - c.alternative()[j], se[j]));
            }
        }
        return String.format(Locale.ROOT,
                "contract %s: ‖SE‖/‖exact‖ %.4f, ‖mean−exact‖/‖exact‖ %.4f, max |mean−exact|/SE %.2f,"
                        + " max |mean−alternative|/SE %.1f",
                c.name(), Vectors.norm(se) / Vectors.norm(c.exact()), relative, offExact, offAlternative);
    }

    /** {@code |difference|/se}; a noiseless estimate (se 0) is 0 standard errors off when exact, else infinitely. */
    private static double inStandardErrors(double difference, double se) {
        if (se > 0.0) {
            return Math.abs(difference) / se;
        }
        return difference == 0.0 ? 0.0 : Double.POSITIVE_INFINITY;
    }

    static <D, R extends FollowerResponse, B> void deterministic(Case<D, R, B> c, long seed) {
        for (int repeat = 0; repeat < 2; repeat++) {
            double[][] runs = new double[2][];
            for (int r = 0; r < 2; r++) {
                Estimator<D, R, B> estimator = c.estimator().get();
                SplitMixRandom rng = new SplitMixRandom(seed + repeat);
                estimator.estimate(c.data().apply(rng));
                runs[r] = c.observed().apply(estimator.estimate(c.data().apply(rng)));
            }
            assertThat(runs[1]).as("%s: the same stream gives the same estimate", c.name()).containsExactly(runs[0]);
        }
    }
}
