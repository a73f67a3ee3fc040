package dev.bilevel.learn.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.learn.estimator.BoltzmannCovarianceEstimator;
import dev.bilevel.learn.estimator.CmdpEstimate;
import dev.bilevel.learn.estimator.CmdpEstimationContext;
import dev.bilevel.learn.estimator.CmdpEstimator;
import dev.bilevel.learn.estimator.DirectTerm;
import dev.bilevel.learn.estimator.ExactEstimator;
import dev.bilevel.learn.estimator.NaivePolicyGradient;
import dev.bilevel.learn.estimator.Normalization;
import dev.bilevel.learn.estimator.TrajectorySums;
import dev.bilevel.learn.follower.planning.TabularMdpFollower.Behaviour;
import dev.bilevel.learn.critic.SarsaCritic;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.planning.TabularMdpFollower;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.learn.testing.BruteForce;
import dev.bilevel.learn.testing.Vectors;
import dev.bilevel.learn.testing.Instances;
import dev.bilevel.learn.testing.Instances.Instance;
import dev.bilevel.learn.testing.Instances.Spec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CmdpTrainerTest {

    private static Instance instance() {
        return Instances.cmdp(301, Spec.of(7, 3, 5, 1, 0.9, 0.85, 0.5));
    }

    /** BC-HG with a SARSA critic: every source of randomness in the loop is used. */
    private static List<double[]> bchgRun(Instance inst, long seed, Behaviour behaviour) {
        SplittableRandom root = new SplittableRandom(seed);
        TabularMdpFollower follower = new TabularMdpFollower(inst.mdp(), behaviour, 2, root.split());
        CmdpEstimator estimator = new BoltzmannCovarianceEstimator(
                new SarsaCritic(inst.states(), inst.actions(), 0.5, root.split()),
                BoltzmannCovarianceEstimator.Options.reference());
        CmdpTrainer trainer = new CmdpTrainer(inst.mdp(), new TabularSampler(inst.dynamics(), 40), follower,
                estimator, new CmdpTrainer.Settings(50, 0.1, 1.0, 4, 50));
        List<double[]> rows = new ArrayList<>();
        trainer.run(inst.x(), root.split(), (it, row) -> rows.add(row.clone()));
        return rows;
    }

    @Test
    void theSameSeedGivesBitIdenticalMetrics() {
        Instance inst = instance();
        for (Behaviour behaviour : new Behaviour[] {Behaviour.OPTIMAL, Behaviour.CARRY_Q}) {
            List<double[]> a = bchgRun(inst, 7, behaviour);
            List<double[]> b = bchgRun(inst, 7, behaviour);
            List<double[]> c = bchgRun(inst, 8, behaviour);
            assertThat(a).hasSize(50);
            for (int it = 0; it < 50; it++) {
                assertThat(a.get(it)[0]).isEqualTo(it);
                for (int col = 0; col < a.get(it).length; col++) {
                    assertThat(Double.doubleToRawLongBits(b.get(it)[col])).as("%s row %d column %d", behaviour, it, col)
                            .isEqualTo(Double.doubleToRawLongBits(a.get(it)[col]));
                }
            }
            assertThat(c.get(49)).as("another seed, another run").isNotEqualTo(a.get(49));
        }
    }

    /** Records what the trainer hands the estimator, then delegates. */
    private static final class Recording implements CmdpEstimator {
        final CmdpEstimator inner;
        final List<double[]> decisions = new ArrayList<>();
        final List<TabularResponse> responses = new ArrayList<>();
        final List<Integer> completed = new ArrayList<>();
        final List<TabularBatch> batches = new ArrayList<>();
        final List<CmdpEstimate> estimates = new ArrayList<>();

        Recording(CmdpEstimator inner) {
            this.inner = inner;
        }

        @Override
        public CmdpEstimate estimate(CmdpEstimationContext context) {
            decisions.add(context.decision().clone());
            responses.add(context.follower());
            completed.add(context.batch().completedEpisodes());
            batches.add(context.batch());
            CmdpEstimate estimate = inner.estimate(context);
            estimates.add(estimate);
            return estimate;
        }
    }

    @Test
    void theObjectiveColumnIsTheExactLeaderValueOfTheResponse() {
        Instance inst = instance();
        Recording estimator = new Recording(new BoltzmannCovarianceEstimator(
                new SarsaCritic(inst.states(), inst.actions(), 0.5, new SplittableRandom(1)),
                BoltzmannCovarianceEstimator.Options.unbiased()));
        CmdpTrainer trainer = new CmdpTrainer(inst.mdp(), new TabularSampler(inst.dynamics(), 40),
                new TabularMdpFollower(inst.mdp(), Behaviour.OPTIMAL, 0, new SplittableRandom(2)), estimator,
                new CmdpTrainer.Settings(20, 0.2, 1.0, 3, 60));
        List<String> columns = trainer.columns();
        assertThat(columns).startsWith("iteration", "leader_objective").doesNotContain("kl_gap");
        List<double[]> rows = new ArrayList<>();
        trainer.run(inst.x(), new SplittableRandom(3), (it, row) -> rows.add(row.clone()));
        int completed = columns.indexOf("completed_episodes");
        int returnEstimate = columns.indexOf("leader_return_estimate");
        for (int it = 0; it < rows.size(); it++) {
            double[] x = estimator.decisions.get(it);
            assertThat(rows.get(it)[1]).as("iteration %d", it)
                    .isCloseTo(ExactHypergradient.objective(inst.mdp(), x), within(1e-10));
            assertThat(rows.get(it)[completed]).isEqualTo((double) estimator.completed.get(it));
            // mean discounted leader return of the episodes that start in the batch
            TabularBatch batch = estimator.batches.get(it);
            double[] f = inst.mdp().leaderReward().evaluate(x);
            double[] returns = BruteForce.returns(batch, TrajectorySums.rowValues(batch, f, inst.actions()),
                    inst.mdp().leaderDiscount());
            double sum = 0.0;
            int starts = 0;
            for (int i : BruteForce.usedRows(batch)) {
                if (batch.times()[i] == 0) {
                    sum += returns[i];
                    starts++;
                }
            }
            assertThat(rows.get(it)[returnEstimate]).isCloseTo(sum / starts, within(1e-12));
            CmdpEstimate estimate = estimator.estimates.get(it);
            assertThat(rows.get(it)[columns.indexOf("gradient_norm")]).isEqualTo(Vectors.norm(estimate.gradient()));
            assertThat(rows.get(it)[columns.indexOf("direct_norm")]).isEqualTo(Vectors.norm(estimate.direct()));
            assertThat(rows.get(it)[columns.indexOf("response_norm")]).isEqualTo(Vectors.norm(estimate.response()));
        }
        assertThat(estimator.decisions.get(0)).isEqualTo(inst.x());
        assertThat(estimator.decisions.get(19)).as("the decision moved").isNotEqualTo(inst.x());
    }

    @Test
    void aSuboptimalFollowerIsLoggedAgainstTheOptimalOne() {
        Instance inst = instance();
        Recording estimator = new Recording(new NaivePolicyGradient(DirectTerm.PER_STEP,
                Normalization.COMPLETED_EPISODES));
        TabularMdpFollower follower = new TabularMdpFollower(inst.mdp(), Behaviour.RESET_Q, 1, new SplittableRandom(4));
        CmdpTrainer trainer = new CmdpTrainer(inst.mdp(), new TabularSampler(inst.dynamics(), 40), follower,
                estimator, new CmdpTrainer.Settings(5, 0.1, 1.0, 2, 30));
        List<String> columns = trainer.columns();
        List<double[]> rows = new ArrayList<>();
        trainer.run(inst.x(), new SplittableRandom(5), (it, row) -> rows.add(row.clone()));
        for (int it = 0; it < rows.size(); it++) {
            double[] x = estimator.decisions.get(it);
            double[] reward = inst.mdp().leaderReward().evaluate(x);
            double[] pi = estimator.responses.get(it).policy();
            double[] best = inst.response(x).policy();
            double underResponse = PolicyEvaluation.initialValue(inst.dynamics(),
                    PolicyEvaluation.evaluate(inst.dynamics(), pi, reward, inst.mdp().leaderDiscount()).stateValues());
            double kl = 0.0;
            for (int i = 0; i < pi.length; i++) {
                kl += pi[i] * Math.log(pi[i] / best[i]);
            }
            kl /= inst.states();
            double[] row = rows.get(it);
            assertThat(row[columns.indexOf("leader_objective")]).isCloseTo(underResponse, within(1e-10));
            assertThat(row[columns.indexOf("leader_objective_optimal_follower")])
                    .isCloseTo(ExactHypergradient.objective(inst.mdp(), x), within(1e-10));
            assertThat(row[columns.indexOf("kl_gap")]).isCloseTo(kl, within(1e-9)).isGreaterThan(1e-3);
        }
    }

    @Test
    void exactGradientAscentImprovesTheObjective() {
        Instance inst = instance();
        CmdpTrainer trainer = new CmdpTrainer(inst.mdp(), new TabularSampler(inst.dynamics(), 40),
                new TabularMdpFollower(inst.mdp(), Behaviour.OPTIMAL, 0, new SplittableRandom(6)),
                new ExactEstimator(inst.mdp()), new CmdpTrainer.Settings(200, 0.02, 1.0, 1, 10));
        List<Double> objective = new ArrayList<>();
        double[] last = trainer.run(inst.x(), new SplittableRandom(7), (it, row) -> objective.add(row[1]));
        // Small steps on a smooth objective: every step is an ascent step.
        for (int it = 1; it < objective.size(); it++) {
            assertThat(objective.get(it)).as("iteration %d", it).isGreaterThanOrEqualTo(objective.get(it - 1) - 1e-12);
        }
        double gain = objective.get(199) - objective.get(0);
        assertThat(gain).isGreaterThan(0.05);
        assertThat(ExactHypergradient.objective(inst.mdp(), last)).isGreaterThan(objective.get(199));
    }

    /** Returns a fixed gradient, or NaN from a given iteration on. */
    private static CmdpEstimator stub(double[] gradient, int nanFrom) {
        return context -> {
            double[] g = gradient.clone();
            if (context.iteration() >= nanFrom) {
                g[0] = Double.NaN;
            }
            return new CmdpEstimate(new double[g.length], g);
        };
    }

    @Test
    void stepsAreClippedToTheMaximumNormAndAscend() {
        Instance inst = instance();
        double[] g = {3.0, 0.0, 4.0, 0.0, 0.0};
        CmdpTrainer clipped = new CmdpTrainer(inst.mdp(), new TabularSampler(inst.dynamics(), 40),
                new TabularMdpFollower(inst.mdp(), Behaviour.OPTIMAL, 0, new SplittableRandom(8)), stub(g, 99),
                new CmdpTrainer.Settings(10, 0.1, 1.0, 1, 5));
        double[] x = clipped.run(inst.x(), new SplittableRandom(9), (it, row) -> { });
        CmdpTrainer unclipped = new CmdpTrainer(inst.mdp(), new TabularSampler(inst.dynamics(), 40),
                new TabularMdpFollower(inst.mdp(), Behaviour.OPTIMAL, 0, new SplittableRandom(8)), stub(g, 99),
                new CmdpTrainer.Settings(10, 0.1, Double.POSITIVE_INFINITY, 1, 5));
        double[] y = unclipped.run(inst.x(), new SplittableRandom(9), (it, row) -> { });
        for (int j = 0; j < g.length; j++) {
            assertThat(x[j]).isCloseTo(inst.x()[j] + 10 * 0.1 * g[j] / 5.0, within(1e-12));
            assertThat(y[j]).isCloseTo(inst.x()[j] + 10 * 0.1 * g[j], within(1e-12));
        }
    }

    @Test
    void aDecisionOfTheWrongLengthIsRejected() {
        Instance inst = instance();
        CmdpTrainer trainer = new CmdpTrainer(inst.mdp(), new TabularSampler(inst.dynamics(), 40),
                new TabularMdpFollower(inst.mdp(), Behaviour.OPTIMAL, 0, new SplittableRandom(1)),
                new ExactEstimator(inst.mdp()), new CmdpTrainer.Settings(3, 0.1, 1.0, 1, 5));
        assertThatThrownBy(() -> trainer.run(new double[4], new SplittableRandom(1), (it, row) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 5").hasMessageContaining(
                        "got 4");
    }

    @Test
    void aNonFiniteGradientStopsTheRunNamingTheIteration() {
        Instance inst = instance();
        CmdpTrainer trainer = new CmdpTrainer(inst.mdp(), new TabularSampler(inst.dynamics(), 40),
                new TabularMdpFollower(inst.mdp(), Behaviour.OPTIMAL, 0, new SplittableRandom(1)),
                stub(new double[] {0.1, 0.2, 0.3, 0.4, 0.5}, 3), new CmdpTrainer.Settings(10, 0.1, 1.0, 1, 5));
        List<Integer> logged = new ArrayList<>();
        assertThatThrownBy(() -> trainer.run(inst.x(), new SplittableRandom(1), (it, row) -> logged.add(it)))
                .isInstanceOf(ArithmeticException.class).hasMessageContaining("iteration 3");
        assertThat(logged).as("rows before the failure were delivered").containsExactly(0, 1, 2);
    }

    @Test
    void settingsNameTheOffendingKey() {
        assertThatThrownBy(() -> new CmdpTrainer.Settings(-1, 0.1, 1.0, 1, 1)).hasMessageContaining("iterations");
        assertThatThrownBy(() -> new CmdpTrainer.Settings(1, 0.0, 1.0, 1, 1)).hasMessageContaining("learning_rate");
        assertThatThrownBy(() -> new CmdpTrainer.Settings(1, Double.NaN, 1.0, 1, 1))
                .hasMessageContaining("learning_rate");
        assertThatThrownBy(() -> new CmdpTrainer.Settings(1, 0.1, 0.0, 1, 1)).hasMessageContaining("max_grad_norm");
        assertThatThrownBy(() -> new CmdpTrainer.Settings(1, 0.1, 1.0, 0, 1)).hasMessageContaining("samples");
    }
}
