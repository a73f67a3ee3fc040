package dev.bilevel.learn.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.critic.SarsaCritic;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.term.RewardDesignTerms;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.follower.planning.TabularMdpFollower.Behaviour;
import dev.bilevel.learn.follower.planning.TabularMdpFollower;
import dev.bilevel.learn.leader.ClippedSgd;
import dev.bilevel.learn.leader.DecisionLeader;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.learn.testing.Instances.Instance;
import dev.bilevel.learn.testing.Instances.Spec;
import dev.bilevel.learn.testing.Instances;
import dev.bilevel.learn.testing.TabularMethods;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one loop, on a small tabular configurable MDP: the order of its calls, determinism, the leader's clipped
 * ascent and how divergence stops a run.
 */
class BilevelLoopTest {

    private static Instance instance() {
        return Instances.cmdp(301, Spec.of(7, 3, 5, 1, 0.9, 0.85, 0.5));
    }

    private static Sampler<double[], TabularResponse, TabularBatch> sampler(Instance inst, int streams, int length) {
        TabularSampler sampler = new TabularSampler(inst.dynamics(), 40);
        return (x, response, rng) -> sampler.sample(response.policy(), streams, length, rng);
    }

    private static DecisionLeader<TabularResponse, TabularBatch> leader(Instance inst,
            Estimator<double[], TabularResponse, TabularBatch> estimator, double learningRate, double maxNorm) {
        return new DecisionLeader<>(inst.x(), estimator, ClippedSgd.ungrouped(inst.x().length, learningRate, maxNorm));
    }

    /** BC-HG with a SARSA critic: every source of randomness in the loop is used. */
    private static List<double[]> bchgRun(Instance inst, long seed, Behaviour behaviour) {
        SplitMixRandom root = new SplitMixRandom(seed);
        TabularMdpFollower follower = new TabularMdpFollower(inst.mdp(), behaviour, 2, root.split());
        DecisionLeader<TabularResponse, TabularBatch> leader = leader(inst, TabularMethods.bchg(inst.mdp(),
                new SarsaCritic(inst.states(), inst.actions(), 0.5, root.split()),
                RewardDesignTerms.Options.reference()),
                0.1, 1.0);
        List<double[]> decisions = new ArrayList<>();
        SplitMixRandom run = root.split();
        new BilevelLoop<>(follower, sampler(inst, 4, 50), leader).run(50, run.split(), run.split(),
                step -> decisions.add(step.nextDecision()));
        return decisions;
    }

    @Test
    void theSameSeedGivesBitIdenticalRuns() {
        Instance inst = instance();
        for (Behaviour behaviour : new Behaviour[] {Behaviour.OPTIMAL, Behaviour.CARRY_Q}) {
            List<double[]> a = bchgRun(inst, 7, behaviour);
            List<double[]> b = bchgRun(inst, 7, behaviour);
            List<double[]> c = bchgRun(inst, 8, behaviour);
            assertThat(a).hasSize(50);
            for (int it = 0; it < 50; it++) {
                for (int j = 0; j < a.get(it).length; j++) {
                    assertThat(Double.doubleToRawLongBits(b.get(it)[j])).as("%s iteration %d entry %d", behaviour, it,
                            j).isEqualTo(Double.doubleToRawLongBits(a.get(it)[j]));
                }
            }
            assertThat(c.get(49)).as("another seed, another run").isNotEqualTo(a.get(49));
        }
    }

    /** A follower that logs what it is asked and answers exactly. */
    private static final class Logged implements Follower<double[], TabularResponse> {
        final Instance inst;
        final List<String> calls = new ArrayList<>();
        final List<double[]> asked = new ArrayList<>();

        Logged(Instance inst) {
            this.inst = inst;
        }

        @Override
        public TabularResponse respond(double[] decision) {
            calls.add("respond");
            asked.add(decision.clone());
            return inst.response(decision);
        }

        @Override
        public TabularResponse initialResponse(double[] decision) {
            calls.add("initial");
            asked.add(decision.clone());
            return inst.response(decision);
        }
    }

    @Test
    void eachIterationRespondsToTheUpdatedDecisionAndHandsBothToTheListener() {
        Instance inst = instance();
        Logged follower = new Logged(inst);
        List<String> order = follower.calls;
        Estimator<double[], TabularResponse, TabularBatch> exact = TabularMethods.exact(inst.mdp());
        DecisionLeader<TabularResponse, TabularBatch> leader = leader(inst, e -> {
            order.add("estimate");
            assertThat(e.response().policy()).as("the leader learns from the response to its current decision")
                    .containsExactly(inst.response(e.decision()).policy(), within(1e-12));
            return exact.estimate(e);
        }, 0.05, 1.0);
        Sampler<double[], TabularResponse, TabularBatch> sampler = sampler(inst, 2, 20);
        List<Step<double[], TabularResponse, TabularBatch, DecisionLeader.Update>> steps = new ArrayList<>();
        new BilevelLoop<>(follower, (x, r, rng) -> {
            order.add("sample");
            return sampler.sample(x, r, rng);
        }, leader).run(3, new SplitMixRandom(1), new SplitMixRandom(2), step -> {
            order.add("listener");
            steps.add(step);
        });
        assertThat(order).containsExactly("initial", "sample", "estimate", "respond", "listener", "sample", "estimate",
                "respond", "listener", "sample", "estimate", "respond", "listener");
        assertThat(follower.asked.get(0)).isEqualTo(inst.x());
        for (int t = 0; t < 3; t++) {
            var step = steps.get(t);
            assertThat(step.iteration()).isEqualTo(t);
            assertThat(step.decision()).isEqualTo(follower.asked.get(t));
            assertThat(step.nextDecision()).isEqualTo(follower.asked.get(t + 1)).isNotEqualTo(step.decision());
            if (t > 0) {
                assertThat(step.response()).isSameAs(steps.get(t - 1).nextResponse());
            }
        }
    }

    @Test
    void exactGradientAscentImprovesTheObjective() {
        Instance inst = instance();
        DecisionLeader<TabularResponse, TabularBatch> leader = leader(inst, TabularMethods.exact(inst.mdp()), 0.02,
                1.0);
        List<Double> objective = new ArrayList<>();
        new BilevelLoop<>(new TabularMdpFollower(inst.mdp(), Behaviour.OPTIMAL, 0, new SplitMixRandom(6)),
                sampler(inst, 1, 10), leader).run(200, new SplitMixRandom(7), new SplitMixRandom(8),
                        step -> objective.add(ExactHypergradient.objective(inst.mdp(), step.decision())));
        // Small steps on a smooth objective: every step is an ascent step.
        for (int it = 1; it < objective.size(); it++) {
            assertThat(objective.get(it)).as("iteration %d", it).isGreaterThanOrEqualTo(objective.get(it - 1) - 1e-12);
        }
        assertThat(objective.get(199) - objective.get(0)).isGreaterThan(0.05);
        assertThat(ExactHypergradient.objective(inst.mdp(), leader.decision())).isGreaterThan(objective.get(199));
    }

    /** Returns a fixed gradient, or NaN from a given iteration on. */
    private static Estimator<double[], TabularResponse, TabularBatch> stub(double[] gradient, int nanFrom) {
        return context -> {
            double[] g = gradient.clone();
            if (context.iteration() >= nanFrom) {
                g[0] = Double.NaN;
            }
            return new Estimate(new double[g.length], g);
        };
    }

    @Test
    void stepsAreClippedToTheMaximumNormAndAscend() {
        Instance inst = instance();
        double[] g = {3.0, 0.0, 4.0, 0.0, 0.0};
        double[][] finals = new double[2][];
        double[] clips = {1.0, Double.POSITIVE_INFINITY};
        for (int k = 0; k < 2; k++) {
            DecisionLeader<TabularResponse, TabularBatch> leader = leader(inst, stub(g, 99), 0.1, clips[k]);
            new BilevelLoop<>(new TabularMdpFollower(inst.mdp(), Behaviour.OPTIMAL, 0, new SplitMixRandom(8)),
                    sampler(inst, 1, 5), leader).run(10, new SplitMixRandom(9), new SplitMixRandom(9), step -> {
                    });
            finals[k] = leader.decision();
        }
        for (int j = 0; j < g.length; j++) {
            assertThat(finals[0][j]).isCloseTo(inst.x()[j] + 10 * 0.1 * g[j] / 5.0, within(1e-12));
            assertThat(finals[1][j]).isCloseTo(inst.x()[j] + 10 * 0.1 * g[j], within(1e-12));
        }
    }

    @Test
    void aDecisionOfTheWrongLengthIsRejected() {
        Instance inst = instance();
        assertThatThrownBy(() -> new DecisionLeader<>(new double[4], TabularMethods.exact(inst.mdp()),
                ClippedSgd.ungrouped(5, 0.1, 1.0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 5").hasMessageContaining("got 4");
    }

    @Test
    void aNonFiniteGradientStopsTheRunNamingTheIterationAndKeepsTheDecision() {
        Instance inst = instance();
        DecisionLeader<TabularResponse, TabularBatch> leader = leader(inst,
                stub(new double[] {0.1, 0.2, 0.3, 0.4, 0.5}, 3), 0.1, 1.0);
        List<Integer> logged = new ArrayList<>();
        List<double[]> decisions = new ArrayList<>();
        assertThatThrownBy(() -> new BilevelLoop<>(new TabularMdpFollower(inst.mdp(), Behaviour.OPTIMAL, 0,
                new SplitMixRandom(1)), sampler(inst, 1, 5), leader).run(10, new SplitMixRandom(1),
                        new SplitMixRandom(2), step -> {
                            logged.add(step.iteration());
                            decisions.add(step.nextDecision());
                        })).isInstanceOf(ArithmeticException.class).hasMessageContaining("iteration 3");
        assertThat(logged).as("iterations before the failure were delivered").containsExactly(0, 1, 2);
        assertThat(leader.decision()).as("the diverged step was not taken").isEqualTo(decisions.get(2));
    }

    @Test
    void aNegativeIterationCountIsRejected() {
        Instance inst = instance();
        BilevelLoop<double[], TabularResponse, TabularBatch, DecisionLeader.Update> loop = new BilevelLoop<>(
                new TabularMdpFollower(inst.mdp(), Behaviour.OPTIMAL, 0, new SplitMixRandom(1)), sampler(inst, 1, 5),
                leader(inst, TabularMethods.exact(inst.mdp()), 0.1, 1.0));
        assertThatThrownBy(() -> loop.run(-1, new SplitMixRandom(1), new SplitMixRandom(1), step -> {
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("≥ 0");
    }
}
