package dev.bilevel.experiments.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bilevel.experiments.ExperimentInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigErrorsTest {

    @TempDir
    Path dir;

    private final ConfigSchema schema = TestSchemas.job();

    /** Override, exact expected message, key the exception reports. */
    static Stream<Arguments> badOverrides() {
        return Stream.of(
                Arguments.of("learnin_rate=0.1", "unknown config key 'learnin_rate' (did you mean 'learning_rate'?)",
                        "learnin_rate"),
                Arguments.of("nonsense_key=1", "unknown config key 'nonsense_key'", "nonsense_key"),
                Arguments.of("learning_rate=-0.1", "learning_rate: -0.1 must be > 0", "learning_rate"),
                Arguments.of("reg_lambda=0", "reg_lambda: 0.0 must be > 0", "reg_lambda"),
                Arguments.of("discount=1", "discount: 1.0 must be in [0, 1)", "discount"),
                Arguments.of("offset=abc", "offset: expected a number, got \"abc\"", "offset"),
                Arguments.of("offset=NaN", "offset: expected a finite number, got NaN", "offset"),
                Arguments.of("offset=1e999", "offset: expected a finite number, got 1e999", "offset"),
                Arguments.of("offset=0x10", "offset: expected a number, got \"0x10\"", "offset"),
                Arguments.of("offset=", "offset: expected a number, got \"\"", "offset"),
                Arguments.of("samples=abc", "samples: expected an integer, got \"abc\"", "samples"),
                Arguments.of("samples=1.5", "samples: expected an integer, got 1.5", "samples"),
                Arguments.of("samples=0", "samples: 0 must be >= 1", "samples"),
                Arguments.of("samples=3000000000", "samples: 3000000000 must be <= 2147483647", "samples"),
                Arguments.of("samples=1e99999", "samples: 1e99999 must be <= 2147483647", "samples"),
                Arguments.of("horizon=51", "horizon: 51 must be in [1, 50]", "horizon"),
                Arguments.of("seed=1.5", "seed: expected an integer, got 1.5", "seed"),
                Arguments.of("seed=9223372036854775808", "seed: 9223372036854775808 must be <= 9223372036854775807",
                        "seed"),
                Arguments.of("exact=yes", "exact: expected true or false, got \"yes\"", "exact"),
                Arguments.of("method=foo", "method: unknown value 'foo', expected one of bchg, naive, hpgd", "method"),
                Arguments.of("method=BCHG", "method: unknown value 'BCHG', expected one of bchg, naive, hpgd",
                        "method"),
                Arguments.of("samples=null", "samples: expected an integer, got \"null\"", "samples"),
                Arguments.of("follower.tolerance=-1", "follower.tolerance: -1.0 must be > 0", "follower.tolerance"),
                Arguments.of("samples", "override 'samples' is malformed, expected key=value", null),
                Arguments.of("=5", "override '=5' is malformed, expected key=value", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOverrides")
    void badOverridesGiveOneLineNamingTheKey(String override, String message, String key) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> schema.resolve(null, List.of(override)));

        assertThat(e).hasMessage(message);
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).doesNotContain("\n");
        assertThat(e).isInstanceOf(ExperimentInputException.class);
    }

    /** File content, the start of the expected message (before the origin), and the origin's line. */
    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("samples: 10\nlearnin_rate: 0.1\n",
                        "unknown config key 'learnin_rate' in config file %s, line 2 (did you mean 'learning_rate'?)"),
                Arguments.of("learning_rate: -0.1\n", "learning_rate: -0.1 must be > 0 (config file %s, line 1)"),
                Arguments.of("seed: 1.5\n", "seed: expected an integer, got 1.5 (config file %s, line 1)"),
                Arguments.of("\n\nsamples: abc\n", "samples: expected an integer, got \"abc\" (config file %s, line 3)"),
                Arguments.of("method: foo\n",
                        "method: unknown value 'foo', expected one of bchg, naive, hpgd (config file %s, line 1)"),
                Arguments.of("samples:\n", "samples: a value is required, got null (config file %s, line 1)"),
                Arguments.of("samples: [1, 2]\n", "samples: expected an integer, got a list (config file %s, line 1)"),
                Arguments.of("problem:\n  name: x\n", "problem: expected a string, got a mapping (config file %s, line 2)"),
                Arguments.of("follower: newton\n",
                        "follower: expected a mapping of its keys (follower.solver, follower.tolerance, "
                                + "follower.max_iterations) (config file %s, line 1)"),
                Arguments.of("follower:\n  solvr: x\n",
                        "unknown config key 'follower.solvr' in config file %s, line 2 (did you mean 'follower.solver'?)"),
                Arguments.of("samples: 1\nsamples: 2\n", "samples: given twice (config file %s, lines 1 and 2)"),
                Arguments.of("follower:\n  solver: a\nfollower.solver: b\n",
                        "follower.solver: given twice (config file %s, lines 2 and 3)"),
                Arguments.of("- 1\n- 2\n", "config file %s: expected a mapping of keys to values at the top level"),
                Arguments.of("just text\n", "config file %s: expected a mapping of keys to values at the top level"),
                Arguments.of("extends: [a, b]\n", "extends: expected the path of a config file (config file %s, line 1)"),
                Arguments.of("a: 1\n---\nb: 2\n", "config file %s: expected a single YAML document"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badFiles")
    void badFilesGiveOneLineNamingKeyFileAndLine(String yaml, String message) throws IOException {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, yaml);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> schema.resolve(file, List.of()));

        assertThat(e).hasMessage(message.formatted(file));
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void missingFileIsNotFound() {
        Path file = dir.resolve("x.yaml");
        assertThatThrownBy(() -> schema.resolve(file, List.of()))
                .isInstanceOf(ConfigException.class).hasMessage("config file " + file + ": not found");
    }

    @Test
    void directoryIsNotAConfigFile() {
        assertThatThrownBy(() -> schema.resolve(dir, List.of()))
                .isInstanceOf(ConfigException.class).hasMessage("config file " + dir + ": is a directory");
    }

    @Test
    void missingBaseNamesBothFiles() throws IOException {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, "extends: base.yaml\n");
        assertThatThrownBy(() -> schema.resolve(file, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + dir.resolve("base.yaml") + ": not found (extended by " + file + ")");
    }

    @Test
    void extendsCyclesAreDetected() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "extends: b.yaml\n");
        Files.writeString(dir.resolve("b.yaml"), "extends: a.yaml\n");
        Files.writeString(dir.resolve("self.yaml"), "extends: self.yaml\n");

        assertThatThrownBy(() -> schema.resolve(dir.resolve("a.yaml"), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + dir.resolve("b.yaml") + ": 'extends' cycle a.yaml -> b.yaml -> a.yaml");
        assertThatThrownBy(() -> schema.resolve(dir.resolve("self.yaml"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageEndingWith("'extends' cycle self.yaml -> self.yaml");
    }

    static Stream<Arguments> malformedYaml() {
        return Stream.of(
                Arguments.of("samples: [1\nseed: 2\n", 2, "expected ',' or ']'"),
                Arguments.of("samples: 1\n  seed: 2\n", 2, "mapping values are not allowed here"),
                Arguments.of("samples: 1\nproblem: \"unterminated\n", 3, "found unexpected end of stream"),
                Arguments.of("a: b: c\n", 1, "mapping values are not allowed here"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("malformedYaml")
    void malformedYamlNamesFileAndLine(String yaml, int line, String problem) throws IOException {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, yaml);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> schema.resolve(file, List.of()));

        assertThat(e.getMessage())
                .startsWith("config file " + file + ": malformed YAML at line " + line + ": ")
                .contains(problem)
                .doesNotContain("\n");
    }

    @Test
    void badCliValuesNameTheKey() {
        assertThatThrownBy(() -> schema.resolve(null, List.of(), Map.of("reg_lambda", -1.0)))
                .isInstanceOf(ConfigException.class).hasMessage("reg_lambda: -1.0 must be > 0");
        assertThatThrownBy(() -> schema.resolve(null, List.of(), Map.of("samples", 2.5)))
                .isInstanceOf(ConfigException.class).hasMessage("samples: expected an integer, got 2.5");
        assertThatThrownBy(() -> schema.resolve(null, List.of(), Map.of("samples", 5_000_000_000L)))
                .isInstanceOf(ConfigException.class).hasMessage("samples: 5000000000 must be <= 2147483647");
        assertThatThrownBy(() -> schema.resolve(null, List.of(), Map.of("exact", 1)))
                .isInstanceOf(ConfigException.class).hasMessage("exact: expected true or false, got 1");
        assertThatThrownBy(() -> schema.resolve(null, List.of(), Map.of("offset", Double.NaN)))
                .isInstanceOf(ConfigException.class).hasMessage("offset: expected a finite number, got NaN");
        assertThatThrownBy(() -> schema.resolve(null, List.of(), Map.of("offset", List.of(1.0))))
                .isInstanceOf(ConfigException.class).hasMessage("offset: expected a number, got a list");
        // Whole doubles are fine for integer keys (picocli may hand a Double).
        assertThat(schema.resolve(null, List.of(), Map.of("samples", 2.0)).integer("samples")).isEqualTo(2);
    }

    @Test
    void undeclaredCliKeyIsAProgrammingError() {
        assertThatThrownBy(() -> schema.resolve(null, List.of(), Map.of("nope", 1)))
                .isInstanceOf(IllegalArgumentException.class).isNotInstanceOf(ConfigException.class);
    }
}
