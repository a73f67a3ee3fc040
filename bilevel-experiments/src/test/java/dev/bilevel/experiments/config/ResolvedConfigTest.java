package dev.bilevel.experiments.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.random.SplitMixRandom;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResolvedConfigTest {

    @TempDir
    Path dir;

    private final ConfigSchema schema = TestSchemas.job();

    @Test
    void toYamlNestsDottedKeysInDeclarationOrder() {
        ResolvedConfig config = schema.resolve(null, List.of("follower.tolerance=1e-10", "note=true", "offset=1e23"));

        assertThat(config.toYaml()).isEqualTo("""
                problem: four-rooms
                method: bchg
                reg_lambda: 0.003
                learning_rate: 0.1
                discount: 0.99
                offset: 1.0E23
                samples: 100
                horizon: 10
                seed: 0
                exact: false
                follower:
                  solver: newton
                  tolerance: 1.0E-10
                  max_iterations: null
                note: "true"
                """);
    }

    /** Configs with awkward values: tiny and huge doubles, -0.0, strings that look like other types. */
    static Stream<ResolvedConfig> awkwardConfigs() {
        ConfigSchema schema = TestSchemas.job();
        SplitMixRandom random = new SplitMixRandom(20260501);
        List<String> strings = List.of("", "true", "null", "~", "0.1", "1e3", "a b", "x: y", "#hash", "quote\"d",
                "back\\slash", "tab\there", "line\nbreak", "ünïcödé", "- item", "[list]", "{map}", "'single'",
                "yes", "NO", "docs/examples/chain-cmdp.json", "four-rooms", "\u0001ctl", " lead", "trail ");
        Stream<ResolvedConfig> fixed = strings.stream().map(s -> schema.defaults()
                .with("problem", s).with("note", s).with("follower.solver", s));
        Stream<ResolvedConfig> randomDoubles = IntStream.range(0, 200).mapToObj(i -> {
            double offset = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(offset)) {
                offset = random.nextDouble();
            }
            return schema.defaults()
                    .with("offset", i == 0 ? -0.0 : i == 1 ? Double.MIN_VALUE : i == 2 ? -Double.MAX_VALUE : offset)
                    .with("reg_lambda", Math.abs(random.nextDouble()) + Double.MIN_VALUE)
                    .with("follower.tolerance", i % 2 == 0 ? null : Math.scalb(random.nextDouble() + 0.5, -i))
                    .with("seed", random.nextLong())
                    .with("samples", 1 + random.nextInt(Integer.MAX_VALUE))
                    .with("exact", random.nextBoolean())
                    .with("method", List.of("bchg", "naive", "hpgd").get(random.nextInt(3)));
        });
        return Stream.concat(fixed, randomDoubles);
    }

    @ParameterizedTest
    @MethodSource("awkwardConfigs")
    void toYamlRoundTripsThroughResolveExactly(ResolvedConfig config) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, config.toYaml());

        ResolvedConfig back = schema.resolve(file, List.of());

        assertThat(back).isEqualTo(config);
        assertThat(back.stableHash()).isEqualTo(config.stableHash());
        assertThat(Double.doubleToRawLongBits(back.real("offset")))
                .isEqualTo(Double.doubleToRawLongBits(config.real("offset")));
    }

    @Test
    void stableHashIsSha256HexAndChangesWithAnyValue() {
        ResolvedConfig a = schema.defaults();
        assertThat(a.stableHash()).matches("[0-9a-f]{64}").isEqualTo(schema.defaults().stableHash());
        assertThat(a.with("seed", 1L).stableHash()).isNotEqualTo(a.stableHash());
        assertThat(a.with("offset", -0.0).stableHash()).isNotEqualTo(a.with("offset", 0.0).stableHash());
        assertThat(a.with("seed", 0L).stableHash()).isEqualTo(a.stableHash());
    }

    @Test
    void withReturnsAValidatedCopy() {
        ResolvedConfig a = schema.defaults();
        ResolvedConfig b = a.with("samples", 7).with("learning_rate", 1).with("seed", "42");

        assertThat(b.integer("samples")).isEqualTo(7);
        assertThat(b.real("learning_rate")).isEqualTo(1.0);
        assertThat(b.longInt("seed")).isEqualTo(42L);
        assertThat(a.integer("samples")).isEqualTo(100); // unchanged
        assertThat(a).isNotEqualTo(b);

        assertThatThrownBy(() -> a.with("samples", 0))
                .isInstanceOf(ConfigException.class).hasMessage("samples: 0 must be >= 1");
        assertThatThrownBy(() -> a.with("learning_rate", -0.1))
                .isInstanceOf(ConfigException.class).hasMessage("learning_rate: -0.1 must be > 0");
        assertThatThrownBy(() -> a.with("method", "foo"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("method: unknown value 'foo'");
        assertThatThrownBy(() -> a.with("samples", null))
                .isInstanceOf(ConfigException.class).hasMessage("samples: a value is required, got null");
        assertThatThrownBy(() -> a.with("sample", 1))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown config key 'sample' (did you mean 'samples'?)");
    }

    @Test
    void gettersRejectUndeclaredKeysWrongTypesAndNullableKeys() {
        ResolvedConfig config = schema.defaults();

        assertThatThrownBy(() -> config.real("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("undeclared");
        assertThatThrownBy(() -> config.real("samples")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is integer, not real");
        assertThatThrownBy(() -> config.integer("seed")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.bool("problem")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.real("follower.tolerance")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("optionalReal");
        assertThatThrownBy(() -> config.value("nope")).isInstanceOf(IllegalArgumentException.class);

        // Widening reads that cannot lose information are allowed.
        assertThat(config.longInt("samples")).isEqualTo(100L);
        assertThat(config.string("method")).isEqualTo("bchg");
        assertThat(config.optionalReal("reg_lambda")).hasValue(0.003);
        assertThat(config.value("samples")).isEqualTo(100);
    }

    @Test
    void asMapIsUnmodifiableAndOrdered() {
        ResolvedConfig config = schema.defaults();
        assertThat(config.asMap()).containsEntry("follower.tolerance", null).containsEntry("samples", 100);
        assertThatThrownBy(() -> config.asMap().put("samples", 5)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(config.asMap().keySet()).first().isEqualTo("problem");
    }
}
