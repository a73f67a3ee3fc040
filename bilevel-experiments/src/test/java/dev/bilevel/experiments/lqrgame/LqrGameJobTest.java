package dev.bilevel.experiments.lqrgame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.lqr.LeaderAwareMaxEntLqr;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.experiments.config.ConfigException;
import dev.bilevel.experiments.config.ResolvedConfig;
import dev.bilevel.experiments.run.ProgressReporter;
import dev.bilevel.experiments.run.RunDirectory;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.follower.planning.MaxEntLqrGameFollower;
import dev.bilevel.learn.loop.BilevelLoop;
import dev.bilevel.learn.loop.Leader;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.problems.lqr.LqrGame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LqrGameJobTest {

    private static final LqrGameJob JOB = new LqrGameJob();

    private static ResolvedConfig config(String... overrides) {
        return JOB.complete(LqrGameJob.SCHEMA.resolve(null, List.of(overrides)));
    }

    /** The reference's estimators (configs/lqr-game/*.yaml), then {@code overrides}, which win. */
    private static ResolvedConfig reference(String... overrides) {
        List<String> keys = Stream.of(overrides).map(o -> o.substring(0, o.indexOf('='))).toList();
        List<String> all = new ArrayList<>();
        for (String o : new String[] {"leader.direct=score", "leader.benefit=critic", "leader.influence=score",
            "leader.policy_lr=0.1"}) {
            if (!keys.contains(o.substring(0, o.indexOf('=')))) {
                all.add(o);
            }
        }
        all.addAll(List.of(overrides));
        return config(all.toArray(String[]::new));
    }

    /**
     * The defaults are the model critic's (configs/lqr-game/model-critic/bchg.yaml); the learned critic is trained
     * only where a term reads it, and the covariance is drawn only where it can be.
     */
    @Test
    void theDefaultsAreTheModelCritics() {
        ResolvedConfig bchg = config();
        assertThat(bchg.string("leader.direct")).isEqualTo("model");
        assertThat(bchg.string("leader.benefit")).isEqualTo("model");
        assertThat(bchg.string("leader.influence")).isEqualTo("value-lstd");
        assertThat(bchg.optionalInteger("leader.covariance_pairs").getAsInt()).isEqualTo(8);
        assertThat(bchg.optionalInteger("leader.critic_steps").getAsInt()).isZero();
        assertThat(bchg.real("leader.policy_lr")).isEqualTo(0.005);
        ResolvedConfig naive = config("method=naive");
        assertThat(naive.optionalInteger("leader.covariance_pairs").getAsInt()).isZero();
        assertThat(naive.optionalInteger("leader.critic_steps").getAsInt()).isZero();
        assertThat(config("leader.benefit=critic").optionalInteger("leader.critic_steps").getAsInt()).isEqualTo(5);
        assertThat(config("leader.benefit=critic").optionalInteger("leader.covariance_pairs").getAsInt()).isZero();
        assertThat(reference().optionalInteger("leader.critic_steps").getAsInt()).isEqualTo(5);
        assertThat(reference("method=naive").optionalInteger("leader.critic_steps").getAsInt()).isEqualTo(5);
        assertThat(config("leader.critic_steps=3").optionalInteger("leader.critic_steps").getAsInt()).isEqualTo(3);
    }

    @Test
    void referenceStepCountsAndReplayFollowMethodAndFlavour() {
        ResolvedConfig bchg = reference();
        assertThat(bchg.optionalInteger("leader.actor_steps").getAsInt()).isEqualTo(10);
        assertThat(bchg.optionalInteger("leader.critic_steps").getAsInt()).isEqualTo(5);
        assertThat(bchg.optionalInteger("replay.capacity").getAsInt()).isEqualTo(400);
        assertThat(bchg.string("evaluation.objective")).isEqualTo("mc-undiscounted");
        assertThat(bchg.real("leader.max_grad_norm")).isEqualTo(1.0);
        assertThat(bchg.bool("leader.clip_naive")).isFalse();
        ResolvedConfig naiveOff = reference("method=naive", "off_policy=true");
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
        assertThatThrownBy(() -> config("leader.benefit=exact")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("leader.benefit");
        assertThatThrownBy(() -> config("leader.covariance_pairs=-1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("leader.covariance_pairs");
        // Drawn covariance pairs need the model benefit and the LSTD sensitivity.
        assertThatThrownBy(() -> config("leader.covariance_pairs=4", "leader.benefit=critic"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("leader.covariance_pairs:");
        assertThatThrownBy(() -> config("leader.covariance_pairs=4", "leader.influence=score"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("leader.covariance_pairs:");
        assertThatThrownBy(() -> config("leader.covariance_pairs=4", "method=naive"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("leader.covariance_pairs:");
    }

    /**
     * The default, the model-critic variant (configs/lqr-game/model-critic/bchg.yaml's keys): deterministic, and both
     * of its terms move: the direct term through the model critic, the response through the drawn covariance.
     */
    @Test
    void modelCriticVariantIsDeterministicAndMovesK(@TempDir Path dir) throws Exception {
        runsTwiceAlikeAndMoves(dir, config("iterations=16", "seed=5"), "direct_norm", "response_norm", "mean_benefit",
                "K_1");
    }

    @Test
    void pathwiseVariantIsDeterministicAndMovesK(@TempDir Path dir) throws Exception {
        runsTwiceAlikeAndMoves(dir, reference("iterations=16", "seed=5", "leader.direct=pathwise",
                "leader.influence=value-lstd", "leader.policy_lr=0.01", "leader.critic_lr=0.001"), "direct_norm",
                "response_norm", "mean_influence", "K_1");
    }

    /** Runs {@code config} twice: identical metrics, and each of {@code columns} finite and non-zero at the end. */
    private static void runsTwiceAlikeAndMoves(Path dir, ResolvedConfig config, String... columns) throws Exception {
        for (String name : new String[] {"a", "b"}) {
            JOB.run(config, RunDirectory.prepare(dir.resolve(name)), ProgressReporter.silent());
        }
        assertThat(Files.readAllBytes(dir.resolve("a").resolve("metrics.csv")))
                .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve("metrics.csv")));
        List<String> lines = Files.readAllLines(dir.resolve("a").resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        String[] last = lines.get(lines.size() - 1).split(",");
        for (String column : columns) {
            assertThat(Double.parseDouble(last[header.indexOf(column)])).as(column).isFinite().isNotZero();
        }
    }

    @Test
    void sameSeedWritesIdenticalFiles(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"a", "b"}) {
            JOB.run(reference("iterations=14", "seed=3"), RunDirectory.prepare(dir.resolve(name)),
                    ProgressReporter.silent());
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
    void unclippedNaivePgdFreezesAfterExplorationAsInTheReference(@TempDir Path dir) throws Exception {
        double unclipped = movementAfterExploration(dir.resolve("unclipped"), reference("method=naive",
                "iterations=16", "seed=1"));
        double clipped = movementAfterExploration(dir.resolve("clipped"), reference("method=naive", "iterations=16",
                "seed=1", "leader.clip_naive=true"));
        assertThat(unclipped).isLessThan(0.01);
        assertThat(clipped).isGreaterThan(20 * unclipped);
    }

    /** How far {@code K} moves between the end of exploration (iteration 11) and the last iteration. */
    private static double movementAfterExploration(Path dir, ResolvedConfig config) throws Exception {
        JOB.run(config, RunDirectory.prepare(dir), ProgressReporter.silent());
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        int k1 = List.of(lines.get(0).split(",")).indexOf("K_1");
        String[] start = lines.get(12).split(",");
        String[] end = lines.get(lines.size() - 1).split(",");
        return Math.hypot(Double.parseDouble(end[k1]) - Double.parseDouble(start[k1]),
                Double.parseDouble(end[k1 + 1]) - Double.parseDouble(start[k1 + 1]));
    }

    @Test
    void anUnsolvableFollowerStopsTheRunWithAMessageNamingK() {
        LqrGame game = LqrGame.referenceV4();
        MaxEntLqrGameFollower follower = new MaxEntLqrGameFollower(game.followerModel(0.95, 0.1),
                new LeaderAwareMaxEntLqr());
        LinearGaussianPolicy unstable = new LinearGaussianPolicy(2, new double[] {15, -10}, new double[] {1e-3});
        Leader<LinearGaussianPolicy, GaussianGameResponse, Object, Object> leader = new Leader<>() {
            @Override
            public LinearGaussianPolicy decision() {
                return unstable;
            }

            @Override
            public Object learn(Object data, GaussianGameResponse response, SplitMixRandom rng) {
                throw new AssertionError("never reached");
            }
        };
        assertThatThrownBy(() -> new BilevelLoop<>(follower, (d, r, rng) -> null, leader).run(3,
                new SplitMixRandom(2), new SplitMixRandom(3), step -> { }))
                .isInstanceOf(ArithmeticException.class)
                .hasMessageStartingWith("before training: the follower's LQR is not stabilisable for K = [15.0000, "
                        + "-10.0000]");
    }

    @Test
    void summaryReportsTheFinalGainAndBothObjectives() {
        Map<String, Object> summary = JOB.run(reference("iterations=13", "seed=2", "method=naive", "off_policy=true"),
                null, ProgressReporter.silent());
        assertThat(summary.get("status")).isEqualTo("completed");
        assertThat((double[]) summary.get("final_K")).hasSize(2);
        assertThat((Double) summary.get("leader_objective_last_window")).isBetween(0.0, 1.0);
        assertThat((Double) summary.get("exact_leader_return_last_window")).isBetween(0.0, 1.0);
        assertThat((String) summary.get("leader_objective_meaning")).contains("mc-undiscounted");
    }
}
