package dev.bilevel.experiments.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.learn.critic.SarsaCritic;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.term.Normalization;
import dev.bilevel.learn.estimator.term.RewardDesignTerms;
import dev.bilevel.learn.estimator.term.TabularDirectTerm;
import dev.bilevel.learn.estimator.term.TrajectorySums;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.planning.TabularMdpFollower.Behaviour;
import dev.bilevel.learn.follower.planning.TabularMdpFollower;
import dev.bilevel.learn.leader.ClippedSgd;
import dev.bilevel.learn.leader.DecisionLeader;
import dev.bilevel.learn.loop.BilevelLoop;
import dev.bilevel.learn.loop.Step;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.learn.testing.BruteForce;
import dev.bilevel.learn.testing.Instances.Instance;
import dev.bilevel.learn.testing.Instances.Spec;
import dev.bilevel.learn.testing.Instances;
import dev.bilevel.learn.testing.TabularMethods;
import dev.bilevel.learn.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tabular configurable-MDP metrics against their definitions, on a small random instance. */
class TabularEvaluatorTest {

    private static Instance instance() {
        return Instances.cmdp(301, Spec.of(7, 3, 5, 1, 0.9, 0.85, 0.5));
    }

    private record Run(List<String> columns, List<double[]> rows,
            List<Step<double[], TabularResponse, TabularBatch, DecisionLeader.Update>> steps) {
    }

    private static Run run(Instance inst, TabularMdpFollower follower, DecisionLeader<TabularResponse, TabularBatch>
            leader, int iterations, int streams, int length) {
        TabularEvaluator<TabularResponse> evaluator = TabularEvaluator.of(inst.mdp(), follower);
        TabularSampler sampler = new TabularSampler(inst.dynamics(), 40);
        List<double[]> rows = new ArrayList<>();
        List<Step<double[], TabularResponse, TabularBatch, DecisionLeader.Update>> steps = new ArrayList<>();
        new BilevelLoop<>(evaluator.follower(), (x, r, rng) -> sampler.sample(r.policy(), streams, length, rng), leader)
                .run(iterations, new SplitMixRandom(3), new SplitMixRandom(4), step -> {
                    rows.add(evaluator.row(step));
                    steps.add(step);
                });
        return new Run(evaluator.columns(), rows, steps);
    }

    @Test
    void theObjectiveColumnIsTheExactLeaderValueOfTheResponse() {
        Instance inst = instance();
        DecisionLeader<TabularResponse, TabularBatch> leader = new DecisionLeader<>(inst.x(), TabularMethods.bchg(
                inst.mdp(), new SarsaCritic(inst.states(), inst.actions(), 0.5, new SplitMixRandom(1)),
                RewardDesignTerms.Options.unbiased()), ClippedSgd.ungrouped(inst.x().length, 0.2, 1.0));
        Run run = run(inst, new TabularMdpFollower(inst.mdp(), Behaviour.OPTIMAL, 0, new SplitMixRandom(2)), leader,
                20, 3, 60);
        List<String> columns = run.columns();
        assertThat(columns).startsWith("iteration", "leader_objective").doesNotContain("kl_gap");
        for (int it = 0; it < run.rows().size(); it++) {
            double[] row = run.rows().get(it);
            var step = run.steps().get(it);
            double[] x = step.decision();
            assertThat(row[0]).isEqualTo(it);
            assertThat(row[1]).as("iteration %d", it).isCloseTo(ExactHypergradient.objective(inst.mdp(), x),
                    within(1e-10));
            TabularBatch batch = step.data();
            assertThat(row[columns.indexOf("completed_episodes")]).isEqualTo(batch.completedEpisodes());
            // mean discounted leader return of the episodes that start in the batch
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
            assertThat(row[columns.indexOf("leader_return_estimate")]).isCloseTo(sum / starts, within(1e-12));
            Estimate estimate = step.update().estimate();
            assertThat(row[columns.indexOf("gradient_norm")]).isEqualTo(Vectors.norm(estimate.gradient()));
            assertThat(row[columns.indexOf("direct_norm")]).isEqualTo(Vectors.norm(estimate.direct()));
            assertThat(row[columns.indexOf("response_norm")]).isEqualTo(Vectors.norm(estimate.response()));
            assertThat(row[columns.indexOf("follower_steps")]).isPositive();
        }
        assertThat(run.steps().get(0).decision()).isEqualTo(inst.x());
        assertThat(run.steps().get(19).decision()).as("the decision moved").isNotEqualTo(inst.x());
    }

    @Test
    void aSuboptimalFollowerIsLoggedAgainstTheOptimalOne() {
        Instance inst = instance();
        DecisionLeader<TabularResponse, TabularBatch> leader = new DecisionLeader<>(inst.x(), TabularMethods.naive(
                inst.mdp(), TabularDirectTerm.PER_STEP, Normalization.COMPLETED_EPISODES),
                ClippedSgd.ungrouped(inst.x().length, 0.1, 1.0));
        Run run = run(inst, new TabularMdpFollower(inst.mdp(), Behaviour.RESET_Q, 1, new SplitMixRandom(4)), leader,
                5, 2, 30);
        List<String> columns = run.columns();
        for (int it = 0; it < run.rows().size(); it++) {
            var step = run.steps().get(it);
            double[] x = step.decision();
            double[] reward = inst.mdp().leaderReward().evaluate(x);
            double[] pi = step.response().policy();
            double[] best = inst.response(x).policy();
            double underResponse = PolicyEvaluation.initialValue(inst.dynamics(),
                    PolicyEvaluation.evaluate(inst.dynamics(), pi, reward, inst.mdp().leaderDiscount()).stateValues());
            double kl = 0.0;
            for (int i = 0; i < pi.length; i++) {
                kl += pi[i] * Math.log(pi[i] / best[i]);
            }
            kl /= inst.states();
            double[] row = run.rows().get(it);
            assertThat(row[columns.indexOf("leader_objective")]).isCloseTo(underResponse, within(1e-10));
            assertThat(row[columns.indexOf("leader_objective_optimal_follower")])
                    .isCloseTo(ExactHypergradient.objective(inst.mdp(), x), within(1e-10));
            assertThat(row[columns.indexOf("kl_gap")]).isCloseTo(kl, within(1e-9)).isGreaterThan(1e-3);
            assertThat(row[columns.indexOf("follower_steps")]).as("one round of five sweeps").isEqualTo(5.0);
        }
    }

    @Test
    void aResponseItDidNotRecordIsRefused() {
        Instance inst = instance();
        TabularEvaluator<TabularResponse> evaluator = TabularEvaluator.of(inst.mdp(),
                new TabularMdpFollower(inst.mdp(), Behaviour.OPTIMAL, 0, new SplitMixRandom(1)));
        TabularResponse foreign = inst.response();
        DecisionLeader.Update update = new DecisionLeader.Update(new Estimate(new double[5], new double[5]),
                new double[] {0.0});
        assertThatThrownBy(() -> evaluator.row(new Step<>(0, inst.x(), foreign, new TabularBatch(1, 1), update,
                inst.x(), foreign))).isInstanceOf(IllegalArgumentException.class);
    }
}
