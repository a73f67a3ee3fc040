package dev.bilevel.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.experiments.config.ConfigException;
import dev.bilevel.experiments.fourrooms.FourRoomsDefaults;
import dev.bilevel.experiments.fourrooms.FourRoomsJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SweepSpecTest {

    @TempDir
    Path dir;

    private static SweepSpec parse(String yaml) {
        return SweepSpec.parse(yaml, "sweep spec s.yaml", Path.of("."));
    }

    @Test
    void gridIsTheProductOfAxesWithSeedsInnermostAndIdsAreConfigHashes() {
        SweepSpec spec = parse("""
                problem: four-rooms
                method: [bchg, naive]
                samples: [100, 200, 400]
                iterations: 50
                seeds: 2
                """);
        assertThat(spec.problem()).isEqualTo("four-rooms");
        assertThat(spec.trials()).hasSize(12);
        SweepSpec.Trial first = spec.trials().get(0);
        SweepSpec.Trial second = spec.trials().get(1);
        assertThat(first.config().string("method")).isEqualTo("bchg");
        assertThat(first.config().integer("samples")).isEqualTo(100);
        assertThat(first.config().longInt("seed")).isZero();
        assertThat(second.config().longInt("seed")).isEqualTo(1L);
        assertThat(spec.trials().get(2).config().integer("samples")).isEqualTo(200);
        assertThat(spec.trials().get(6).config().string("method")).isEqualTo("naive");
        // The id is the hash of the completed config (tuned learning rate filled in), seed included.
        assertThat(first.id()).isEqualTo(first.config().stableHash()).hasSize(64);
        assertThat(first.spec().configYaml()).isEqualTo(first.config().toYaml());
        assertThat(first.config().optionalReal("learning_rate").getAsDouble())
                .isEqualTo(FourRoomsDefaults.lookup("bchg", 0.003, 100).learningRate());
        assertThat(first.dirName()).isEqualTo(first.id().substring(0, 16));
        assertThat(spec.trials().stream().map(SweepSpec.Trial::id).distinct()).hasSize(12);
        assertThat(spec.varyingKeys()).containsExactly("method", "samples", "num_envs", "learning_rate", "sarsa_alpha",
                "seed");
        // Labels keep the axes and the seed; tuned values that follow them are left out.
        assertThat(first.label()).isEqualTo("method=bchg samples=100 seed=0");
    }

    @Test
    void idsAreStableAcrossSpecsAndEqualConfigsAreOneTrial() {
        SweepSpec a = parse("problem: four-rooms\nmethod: bchg\niterations: 50\nseeds: [3]\n");
        double tuned = FourRoomsDefaults.lookup("bchg", 0.003, 100).learningRate();
        SweepSpec b = parse("problem: four-rooms\nmethod: bchg\niterations: 50\nlearning_rate: [null, " + tuned
                + "]\nseeds: [3]\n");
        assertThat(b.trials()).hasSize(1);
        assertThat(b.duplicates()).isEqualTo(1);
        assertThat(b.trials().get(0).id()).isEqualTo(a.trials().get(0).id());
        assertThat(parse("problem: four-rooms\nmethod: bchg\niterations: 50\nseeds: [3]\n").trials().get(0).id())
                .isEqualTo(a.trials().get(0).id());
    }

    @Test
    void nestedKeysListsAndSeedListsWork() {
        SweepSpec spec = parse("""
                problem: four-rooms
                iterations: 10
                follower:
                  behaviour: [optimal, reset-q]
                seeds: [7, 11]
                """);
        assertThat(spec.trials()).hasSize(4);
        assertThat(spec.trials().get(3).config().string("follower.behaviour")).isEqualTo("reset-q");
        assertThat(spec.trials().get(3).config().longInt("seed")).isEqualTo(11L);
        assertThat(spec.trials().get(3).label()).isEqualTo("follower.behaviour=reset-q seed=11");
    }

    @Test
    void withoutSeedsTheConfigSeedIsKept() {
        SweepSpec spec = parse("problem: four-rooms\niterations: 10\n");
        assertThat(spec.trials()).hasSize(1);
        assertThat(spec.trials().get(0).config().longInt("seed")).isZero();
        assertThat(spec.title()).isNull();
    }

    @Test
    void configFilesAndGlobsAreAnAxisRelativeToTheSpec() throws IOException {
        Path configs = Files.createDirectories(dir.resolve("cfg/a"));
        Files.writeString(configs.resolve("bchg.yaml"), "problem: four-rooms\nmethod: bchg\nsamples: 200\n");
        Files.writeString(configs.resolve("naive.yaml"), "problem: four-rooms\nmethod: naive\n");
        Files.writeString(configs.resolve("notes.txt"), "not a config");
        Path specFile = dir.resolve("s.yaml");
        Files.writeString(specFile, "title: from files\nconfigs: cfg/*/*.yaml\niterations: [10, 20]\nseeds: 2\n");
        SweepSpec spec = SweepSpec.read(specFile);
        assertThat(spec.title()).isEqualTo("from files");
        assertThat(spec.problem()).isEqualTo("four-rooms");
        assertThat(spec.trials()).hasSize(8);
        assertThat(spec.trials().get(0).config().string("method")).isEqualTo("bchg");
        assertThat(spec.trials().get(0).config().integer("samples")).isEqualTo(200);
        assertThat(spec.trials().get(0).config().integer("iterations")).isEqualTo(10);
        assertThat(spec.trials().get(4).config().string("method")).isEqualTo("naive");
        // Keys set in the spec override the files.
        Files.writeString(specFile, "configs: [cfg/a/bchg.yaml]\nsamples: 100\n");
        assertThat(SweepSpec.read(specFile).trials().get(0).config().integer("samples")).isEqualTo(100);
    }

    @Test
    void problemFilesAreRelativeToTheSpecOrToTheConfigFileThatNamesThem() throws IOException {
        Path chain = Path.of("../docs/examples/chain-cmdp.json");
        Path specs = Files.createDirectories(dir.resolve("specs"));
        Path configs = Files.createDirectories(dir.resolve("configs"));
        Files.copy(chain, specs.resolve("p.json"));
        Files.writeString(configs.resolve("p.json"), Files.readString(chain).replace("\"parameters0\": [0.1]",
                "\"parameters0\": [0.5]"));
        Files.writeString(configs.resolve("base.yaml"), "problem: problem-file\nfile: p.json\niterations: 5\n");
        Path specFile = specs.resolve("s.yaml");
        Files.writeString(specFile, "problem: problem-file\nfile: p.json\nmethod: [bchg, naive]\nseeds: 2\n");
        SweepSpec spec = SweepSpec.read(specFile);
        assertThat(spec.trials()).hasSize(4).allSatisfy(t -> {
            assertThat(t.config().optionalString("file").orElseThrow()).isEqualTo(specs.resolve("p.json").toString());
            assertThat(t.config().optionalString("file_sha256").orElseThrow()).hasSize(64);
        });
        Files.writeString(specFile, "configs: ../configs/base.yaml\nseeds: 1\n");
        SweepSpec fromConfig = SweepSpec.read(specFile);
        assertThat(fromConfig.trials()).singleElement().satisfies(t -> {
            assertThat(t.config().optionalString("file").orElseThrow()).isEqualTo(configs.resolve("p.json").toString());
            assertThat(t.config().integer("iterations")).isEqualTo(5);
        });
        // Other content, another hash, so other trial ids: results of two problems never share an id.
        assertThat(fromConfig.trials().get(0).config().optionalString("file_sha256").orElseThrow())
                .isNotEqualTo(spec.trials().get(0).config().optionalString("file_sha256").orElseThrow());
        // Several files are one more axis, and the id follows the content.
        Files.writeString(specFile, "problem: problem-file\nfile: [p.json, ../configs/p.json]\nseeds: 1\n");
        assertThat(SweepSpec.read(specFile).trials()).hasSize(2);
        assertThat(SweepSpec.read(specFile).varyingKeys()).containsExactly("file", "file_sha256");
        Files.writeString(specFile, "problem: problem-file\nfile: nowhere.json\n");
        assertThatThrownBy(() -> SweepSpec.read(specFile)).hasMessage("cannot read problem file "
                + specs.resolve("nowhere.json") + ": no such file");
    }

    @Test
    void problemFileReproduceSpecsRunEveryApplicableMethod() {
        Path chain = Path.of("../docs/examples/chain-cmdp.json");
        Path game = Path.of("../docs/examples/matching-game.json");
        SweepSpec quick = ReproduceSpecs.problemFile(chain, true, null, null);
        assertThat(quick.problem()).isEqualTo("problem-file");
        assertThat(quick.trials()).hasSize(8 * 3);
        assertThat(quick.trials().stream().map(t -> t.config().string("method")).distinct())
                .containsExactly("bchg", "hpgd-mc", "hpgd-sarsa", "hpgd-oracle", "naive", "sobirl", "zero-order",
                        "exact");
        assertThat(quick.trials()).allSatisfy(t -> assertThat(t.config().optionalString("file").orElseThrow())
                .isEqualTo(chain.toAbsolutePath().normalize().toString()));
        assertThat(ReproduceSpecs.problemFile(chain, false, null, null).trials()).hasSize(8 * 10);
        assertThat(ReproduceSpecs.problemFile(game, false, null, null).trials()).hasSize(4 * 10);
        SweepSpec chosen = ReproduceSpecs.problemFile(game, true, 5, List.of("naive", "bchg"));
        assertThat(chosen.trials()).hasSize(2 * 5);
        assertThat(chosen.trials().get(0).config().string("method")).isEqualTo("naive");
        // The spec's text is an ordinary spec that names the file by its absolute path: sweep reads it back.
        assertThat(SweepSpec.parse(chosen.text(), "sweep.yaml", dir).trials().stream().map(SweepSpec.Trial::id)
                .toList()).isEqualTo(chosen.trials().stream().map(SweepSpec.Trial::id).toList());
        assertThatThrownBy(() -> ReproduceSpecs.problemFile(game, true, null, List.of("hpgd-mc")))
                .hasMessage("--methods: 'hpgd-mc' does not apply to a markov-game problem file, expected one of "
                        + "bchg, naive, zero-order, exact");
        assertThatThrownBy(() -> ReproduceSpecs.problemFile(game, true, null, List.of("magic")))
                .hasMessageStartingWith("--methods: unknown method 'magic'");
        assertThatThrownBy(() -> ReproduceSpecs.problemFile(game, true, null, List.of()))
                .hasMessage("--methods: give at least one method");
        assertThatThrownBy(() -> ReproduceSpecs.problemFile(game, true, 0, null))
                .hasMessage("--seeds: 0 is outside [1, 100000]");
    }

    /** The quick reproduce spec's grid (tuned defaults) gives exactly the trials of the shipped config files. */
    @Test
    void quickReproduceSpecEqualsTheShippedConfigs() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        SweepSpec quick = ReproduceSpecs.load("four-rooms", true, root);
        assertThat(quick.trials()).hasSize(54);
        SweepSpec shipped = SweepSpec.parse("""
                configs:
                  - configs/four-rooms/lambda-*/samples-100/{bchg,hpgd-mc,naive}.yaml
                  - configs/four-rooms/lambda-*/samples-400/{bchg,hpgd-mc,naive}.yaml
                seeds: 3
                """, "test", root);
        assertThat(ids(shipped)).isEqualTo(ids(quick));
        assertThat(quick.title()).contains("quick");
    }

    @Test
    void fullReproduceSpecRunsEveryShippedConfigWithTenSeeds() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        SweepSpec full = ReproduceSpecs.load("four-rooms", false, root);
        long files;
        try (Stream<Path> walk = Files.walk(root.resolve("configs/four-rooms"))) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).count();
        }
        assertThat(full.trials()).hasSize((int) files * 10);
        assertThat(full.trials().stream().map(t -> t.config().integer("iterations")).distinct()).containsExactly(10_000);
        assertThatThrownBy(() -> ReproduceSpecs.load("four-rooms", false, Path.of("/nonexistent")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("repository root");
        assertThatThrownBy(() -> ReproduceSpecs.load("no-such-experiment", true, root))
                .hasMessageStartingWith("PROBLEM: no experiment to reproduce for 'no-such-experiment'");
        assertThat(ReproduceSpecs.available()).contains("four-rooms");
    }

    @Test
    void discreteToyReproduceSpecsRunTheShippedConfigs() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        long files;
        try (Stream<Path> walk = Files.walk(root.resolve("configs/discrete-toy"))) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).count();
        }
        assertThat(ReproduceSpecs.load("discrete-toy", true, root).trials()).hasSize((int) files * 3);
        assertThat(ReproduceSpecs.load("discrete-toy", false, root).trials()).hasSize((int) files * 10);
        assertThat(ReproduceSpecs.available()).contains("four-rooms", "discrete-toy");
    }

    /** The sub-optimal-follower study: the journal's full grid, a quick one, and the report's own keys. */
    @Test
    void theSubOptimalStudyReproducesTheJournalsGrid() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertThat(ReproduceSpecs.load("four-rooms-subopt", false, root).trials()).hasSize(3 * 4 * 2 * 6 * 20);
        assertThat(ReproduceSpecs.load("four-rooms-subopt", true, root).trials()).hasSize(3 * 2 * 3 * 2);
        long r1;
        try (Stream<Path> walk = Files.walk(root.resolve("configs/discrete-toy/R1"))) {
            r1 = walk.filter(p -> p.toString().endsWith(".yaml")).count();
        }
        assertThat(ReproduceSpecs.load("discrete-toy-subopt", false, root).trials()).hasSize((int) r1 * 2 * 6 * 10);
        assertThat(ReproduceSpecs.load("discrete-toy-subopt", true, root).trials()).hasSize(2 * 2 * 2 * 2);
        assertThat(ReproduceSpecs.available()).contains("four-rooms-subopt", "discrete-toy-subopt");
        assertThat(ReproduceSpecs.study("four-rooms-subopt").orElseThrow().metric())
                .isEqualTo("leader_objective_optimal_follower");
        assertThat(ReproduceSpecs.study("four-rooms")).isEmpty();
    }

    /** The guided tasks: the documented sweeps' trials, every leader on GuidedCartPole-v1, and a quick variant. */
    @Test
    void theGuidedReproduceSpecRunsTheDocumentedTrials() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        SweepSpec full = ReproduceSpecs.load("guided", false, root);
        Set<String> documented = ids(SweepSpec.read(root.resolve("configs/sweeps/guided-cartpole-baselines.yaml")));
        documented.addAll(ids(SweepSpec.read(root.resolve("configs/sweeps/guided-cartpole-leaders.yaml"))));
        assertThat(ids(full)).hasSize(40).isEqualTo(documented);
        assertThat(ReproduceSpecs.load("guided", true, root).trials()).hasSize(4 * 2);
        assertThat(ReproduceSpecs.available()).contains("guided");
    }

    private static Set<String> ids(SweepSpec spec) {
        return spec.trials().stream().map(SweepSpec.Trial::id).collect(Collectors.toCollection(HashSet::new));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "problem: four-rooms\\nlernin_rate: 0.1|unknown config key 'lernin_rate' in sweep spec s.yaml, line 2 (did you mean 'learning_rate'?)",
        "problem: four-rooms\\nmethod: []|method: empty grid axis, give at least one value (sweep spec s.yaml, line 2)",
        "problem: four-rooms\\nseeds: [0, a]|seeds: expected whole numbers, got \"a\" (sweep spec s.yaml, line 2)",
        "problem: four-rooms\\nseeds: [0, 1.5]|seeds: expected whole numbers, got \"1.5\" (sweep spec s.yaml, line 2)",
        "problem: four-rooms\\nseeds: []|seeds: empty grid axis, give at least one seed (sweep spec s.yaml, line 2)",
        "problem: four-rooms\\nseeds: 0|seeds: expected a count ≥ 1 or a list of seeds, got 0 (sweep spec s.yaml, line 2)",
        "problem: four-rooms\\nseeds: [1, 1]|seeds: 1 is listed twice (sweep spec s.yaml, line 2)",
        "problem: four-rooms\\nseed: 3|seed: a sweep takes 'seeds:' (a count, or a list of seeds) instead (sweep spec s.yaml, line 2)",
        "problem: four-rooms\\nsamples: [100, abc]|samples: expected an integer, got \"abc\" (sweep spec s.yaml, line 2)",
        "problem: four-rooms\\nmethod: [bchg, bchg]|method: bchg is listed twice (sweep spec s.yaml, line 2)",
        "problem: four-rooms\\nmethod: [[bchg]]|method: list items must be plain values, got a list (sweep spec s.yaml, line 2)",
        "problem: [four-rooms]|problem: a sweep runs one problem, give one name (sweep spec s.yaml, line 1)",
        "problem: nowhere|problem: unknown problem 'nowhere', expected one of four-rooms",
        "method: bchg|problem: missing, give the problem (four-rooms",
        "problem: four-rooms\\nconfigs: [no/such/*.yaml]|configs: no config file matches no/such/*.yaml",
        "problem: four-rooms\\nsamples: 150\\nnum_envs: 4|samples: 150 is not divisible by num_envs 4 (sweep spec s.yaml, grid point )",
        "[1, 2]|sweep spec s.yaml: expected a mapping of keys to values at the top level",
        "a: [1|sweep spec s.yaml: malformed YAML",
    })
    void badSpecsAreOneLineNamingTheKey(String yaml, String message) {
        String text = yaml.replace("\\n", "\n");
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith(message).doesNotContain("\n"));
    }

    @Test
    void everyKeyOfTheSchemaCanBeAnAxis() {
        // A list for every scalar-valued key the schema has would be a huge grid; one is enough per key.
        for (var key : FourRoomsJob.SCHEMA.keys()) {
            if (List.of("seed", "problem", "num_envs", "iterations").contains(key.name())) {
                continue;
            }
            Object v = FourRoomsJob.SCHEMA.defaults().value(key.name());
            String text = v == null ? "null" : SweepSpec.format(v);
            SweepSpec spec = parse("problem: four-rooms\n" + key.name() + ": [" + text + "]\niterations: 5\n");
            assertThat(spec.trials()).as(key.name()).hasSize(1);
        }
    }
}
