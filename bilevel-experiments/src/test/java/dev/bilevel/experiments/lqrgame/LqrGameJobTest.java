package dev.bilevel.experiments.lqrgame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.lqr.LeaderAwareMaxEntLqr;
import dev.bilevel.experiments.config.ConfigException;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.learn.follower.planning.MaxEntLqrGameFollower;
import dev.bilevel.learn.leader.ContinuousGameLeader;
import dev.bilevel.learn.leader.LinearGaussianPolicy;
import dev.bilevel.learn.loop.ContinuousGameTrainer;
import dev.bilevel.learn.loop.GameTrainer;
import dev.bilevel.problems.lqr.LqrGame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LqrGameJobTest {

    private static final LqrGameJob JOB = new LqrGameJob();

    private static ResolvedConfig config(String... overrides) {
        return JOB.complete(LqrGameJob.SCHEMA.resolve(null, List.of(overrides)));
    }

    @Test
    void referenceStepCountsAndReplayFollowMethodAndFlavour() {
        ResolvedConfig bchg = config();
        assertThat(bchg.optionalInteger("leader.actor_steps").getAsInt()).isEqualTo(10);
        assertThat(bchg.integer("leader.critic_steps")).isEqualTo(5);
        assertThat(bchg.optionalInteger("replay.capacity").getAsInt()).isEqualTo(400);
        assertThat(bchg.string("evaluation.objective")).isEqualTo("mc-undiscounted");
        assertThat(bchg.real("leader.max_grad_norm")).isEqualTo(1.0);
        assertThat(bchg.bool("leader.clip_naive")).isFalse();
        ResolvedConfig naiveOff = config("method=naive", "off_policy=true");
        assertThat(naiveOff.optionalInteger("leader.actor_steps").getAsInt()).isEqualTo(2);
        assertThat(naiveOff.optionalInteger("replay.capacity").getAsInt()).isEqualTo(1_000_000);
        assertThat(config("method=naive").optionalInteger("leader.actor_steps").getAsInt()).isEqualTo(10);
        assertThat(config("leader.actor_steps=3").optionalInteger("leader.actor_steps").getAsInt()).isEqualTo(3);
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> config("method=biac")).isInstanceOf(ConfigException.class).hasMessageContaining("method");
        assertThatThrownBy(() -> config("follower.discount=1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("follower.discount");
        assertThatThrownBy(() -> config("leader.noise_std=0")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("leader.noise_std");
        assertThatThrownBy(() -> config("evaluation.objective=best")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("evaluation.objective");
        assertThatThrownBy(() -> config("variant=R1")).isInstanceOf(ConfigException.class).hasMessageContaining("variant");
        assertThatThrownBy(() -> config("leader.direct=exact")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("leader.direct");
        assertThatThrownBy(() -> config("leader.influence=model")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("leader.influence");
    }

    @Test
    void pathwiseVariantIsDeterministicAndMovesK(@TempDir Path dir) throws Exception {
        String[] overrides = {"iterations=16", "seed=5", "leader.direct=pathwise", "leader.influence=value-lstd",
            "leader.policy_lr=0.01", "leader.critic_lr=0.001"};
        for (String name : new String[] {"a", "b"}) {
            JOB.run(config(overrides), RunDirectory.prepare(dir.resolve(name)), ProgressReporter.silent());
        }
        assertThat(Files.readAllBytes(dir.resolve("a").resolve("metrics.csv")))
                .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve("metrics.csv")));
        List<String> lines = Files.readAllLines(dir.resolve("a").resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        String[] last = lines.get(lines.size() - 1).split(",");
        for (String column : new String[] {"direct_norm", "response_norm", "mean_influence", "K_1"}) {
            assertThat(Double.parseDouble(last[header.indexOf(column)])).as(column).isFinite().isNotZero();
        }
    }

    @Test
    void sameSeedWritesIdenticalFiles(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"a", "b"}) {
            JOB.run(config("iterations=14", "seed=3"), RunDirectory.prepare(dir.resolve(name)), ProgressReporter.silent());
        }
        for (String file : new String[] {"metrics.csv", "summary.json", "config.yaml", "final_leader_gain.txt"}) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(file)))
                    .as(file).isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(file)));
        }
        List<String> lines = Files.readAllLines(dir.resolve("a").resolve("metrics.csv"));
        assertThat(lines).hasSize(15);
        assertThat(lines.get(0)).startsWith("iteration,leader_objective,").endsWith(",K_1,K_2");
        // The first 11 iterations (total steps ≤ 4000 before sampling) explore.
        int exploring = List.of(lines.get(0).split(",")).indexOf("exploring");
        assertThat(lines.get(11).split(",")[exploring]).isEqualTo("1");
        assertThat(lines.get(12).split(",")[exploring]).isEqualTo("0");
        String summary = Files.readString(dir.resolve("a").resolve("summary.json"));
        assertThat(summary).contains("\"final_K\"", "AverageTargetReturn", "\"reference_proposed_K\"");
    }

    /**
     * §7.7: Naive-PGD's unclipped gradients during the N(0,1) exploration phase are ~10⁶, which inflate Adam's
     * second moment, so that K hardly moves once exploration ends; clipping (BC-HG, or {@code clip_naive})
     * keeps the steps at the learning rate's scale.
     */
    @Test
    void unclippedNaivePgdFreezesAfterExplorationAsInTheReference() {
        double unclipped = movementAfterExploration(config("method=naive", "iterations=16", "seed=1"));
        double clipped = movementAfterExploration(config("method=naive", "iterations=16", "seed=1",
                "leader.clip_naive=true"));
        assertThat(unclipped).isLessThan(0.01);
        assertThat(clipped).isGreaterThan(20 * unclipped);
    }

    private static double movementAfterExploration(ResolvedConfig config) {
        List<double[]> gains = new ArrayList<>();
        LqrGame game = LqrGame.referenceV4();
        SplittableRandom root = new SplittableRandom(config.longInt("seed"));
        // The job's objects, trained directly to read K per iteration.
        SplittableRandom init = root.split();
        double[] k0 = {init.nextGaussian(), init.nextGaussian()};
        ContinuousGameLeader.Settings s = ContinuousGameLeader.Settings.reference(ContinuousGameLeader.Method.NAIVE,
                false);
        s = new ContinuousGameLeader.Settings(s.method(), s.hidden(), s.policyLearningRate(), s.criticLearningRate(),
                s.batchSize(), s.actorSteps(), s.criticSteps(), s.withReplacement(), s.targetTau(), s.discount(),
                s.discountSampling(), s.directAdvantage(), s.leaderSamples(), s.followerSamples(),
                s.influenceAdvantage(), s.influenceWeightedAverage(), s.influenceFromNextStep(), s.directWeight(),
                s.responseWeight(), s.maxGradNorm(), config.bool("leader.clip_naive"), s.criticTarget(),
                s.directTerm(), s.influence());
        ContinuousGameLeader leader = new ContinuousGameLeader(2, 1,
                new LinearGaussianPolicy(2, k0, new double[] {1e-3}), s, root.split());
        MaxEntLqrGameFollower follower = new MaxEntLqrGameFollower(game.followerModel(0.95, 0.1),
                new LeaderAwareMaxEntLqr());
        ContinuousGameTrainer trainer = new ContinuousGameTrainer(game, leader, follower,
                new ContinuousGameTrainer.Settings(config.integer("iterations"), 4, 100, 400, 400, 4000, 1, 2,
                        GameTrainer.Objective.MC_UNDISCOUNTED, true), null);
        int k1 = trainer.columns().indexOf("K_1");
        trainer.run(root.split(), root.split(), (it, row) -> gains.add(new double[] {row[k1], row[k1 + 1]}));
        double[] start = gains.get(11);
        double[] end = gains.get(gains.size() - 1);
        return Math.hypot(end[0] - start[0], end[1] - start[1]);
    }

    @Test
    void anUnsolvableFollowerStopsTheRunWithAMessageNamingK() {
        LqrGame game = LqrGame.referenceV4();
        ContinuousGameLeader leader = new ContinuousGameLeader(2, 1,
                new LinearGaussianPolicy(2, new double[] {15, -10}, new double[] {1e-3}),
                ContinuousGameLeader.Settings.reference(ContinuousGameLeader.Method.BCHG, false), new SplittableRandom(1));
        MaxEntLqrGameFollower follower = new MaxEntLqrGameFollower(game.followerModel(0.95, 0.1),
                new LeaderAwareMaxEntLqr());
        ContinuousGameTrainer trainer = new ContinuousGameTrainer(game, leader, follower,
                new ContinuousGameTrainer.Settings(3, 4, 100, 400, 400, 4000, 1, 2,
                        GameTrainer.Objective.MC_UNDISCOUNTED, true), game::expectedLeaderReturn);
        assertThatThrownBy(() -> trainer.run(new SplittableRandom(2), new SplittableRandom(3), (it, row) -> { }))
                .isInstanceOf(ArithmeticException.class)
                .hasMessageStartingWith("before training: the follower's LQR is not stabilisable for K = [15.0000, -10.0000]");
    }

    @Test
    void summaryReportsTheFinalGainAndBothObjectives() {
        Map<String, Object> summary = JOB.run(config("iterations=13", "seed=2", "method=naive", "off_policy=true"),
                null, ProgressReporter.silent());
        assertThat(summary.get("status")).isEqualTo("completed");
        assertThat((double[]) summary.get("final_K")).hasSize(2);
        assertThat((Double) summary.get("leader_objective_last_window")).isBetween(0.0, 1.0);
        assertThat((Double) summary.get("exact_leader_return_last_window")).isBetween(0.0, 1.0);
        assertThat((String) summary.get("leader_objective_meaning")).contains("mc-undiscounted");
    }
}
