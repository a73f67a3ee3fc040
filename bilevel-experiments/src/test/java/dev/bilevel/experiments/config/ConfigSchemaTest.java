package dev.bilevel.experiments.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {

    @Test
    void defaultsHoldEveryDeclaredDefaultInDeclarationOrder() {
        ConfigSchema schema = TestSchemas.job();
        ResolvedConfig config = schema.defaults();

        assertThat(config.string("problem")).isEqualTo("four-rooms");
        assertThat(config.string("method")).isEqualTo("bchg");
        assertThat(config.real("reg_lambda")).isEqualTo(0.003);
        assertThat(config.integer("samples")).isEqualTo(100);
        assertThat(config.longInt("seed")).isZero();
        assertThat(config.bool("exact")).isFalse();
        assertThat(config.string("follower.solver")).isEqualTo("newton");
        assertThat(config.optionalReal("follower.tolerance")).isEmpty();
        assertThat(config.optionalInteger("follower.max_iterations")).isEmpty();
        assertThat(config.optionalString("note")).isEmpty();
        assertThat(config.asMap().keySet()).containsExactlyElementsOf(
                schema.keys().stream().map(ConfigKey::name).toList());
        assertThat(schema.resolve(null, List.of())).isEqualTo(config);
        assertThat(schema.resolve(null, null, null)).isEqualTo(config);
    }

    @Test
    void describeListsEveryKeyWithTypeDefaultAndDescription() {
        String table = TestSchemas.job().describe();
        List<String> lines = table.lines().toList();

        assertThat(lines).hasSize(1 + TestSchemas.job().keys().size());
        assertThat(lines.get(0)).startsWith("key").contains("type", "default", "description");
        assertThat(table).contains("reg_lambda", "real > 0", "0.003", "follower temperature");
        assertThat(table).contains("discount", "real in [0, 1)");
        assertThat(table).contains("samples", "integer >= 1");
        assertThat(table).contains("horizon", "integer in [1, 50]");
        assertThat(table).contains("one of bchg, naive, hpgd");
        assertThat(table).contains("real > 0 or null");
        // Columns line up: the description column starts at the same offset on every line.
        int column = lines.get(0).indexOf("description");
        assertThat(lines.stream().filter(l -> l.startsWith("reg_lambda")).findFirst().orElseThrow().indexOf(
                "follower temperature")).isEqualTo(column);
        assertThat(table).endsWith("\n");
    }

    @Test
    void declarationMistakesAreProgrammingErrors() {
        assertThatThrownBy(() -> ConfigSchema.builder().real("x", -1, Bound.POSITIVE, "").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x: -1.0 must be > 0");
        assertThatThrownBy(() -> ConfigSchema.builder().integer("n", 0, 1, 10, "").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n: 0 must be in [1, 10]");
        assertThatThrownBy(() -> ConfigSchema.builder().choice("m", "z", List.of("a", "b"), "").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown value 'z'");
        assertThatThrownBy(() -> ConfigSchema.builder().bool("Bad-Name", true, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snake_case");
        assertThatThrownBy(() -> ConfigSchema.builder().bool("extends", true, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> ConfigSchema.builder().bool("a", true, "").bool("a", false, "").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declared twice");
        assertThatThrownBy(() -> ConfigSchema.builder().bool("a", true, "").bool("a.b", false, "").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
        assertThatThrownBy(() -> Bound.closed(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void boundsDescribeThemselves() {
        assertThat(Bound.POSITIVE.describe()).isEqualTo("> 0");
        assertThat(Bound.NON_NEGATIVE.describe()).isEqualTo(">= 0");
        assertThat(Bound.closed(0, 1).describe()).isEqualTo("in [0, 1]");
        assertThat(Bound.closedOpen(0, 0.5).describe()).isEqualTo("in [0, 0.5)");
        assertThat(Bound.atMost(2).describe()).isEqualTo("<= 2");
        assertThat(Bound.lessThan(2).describe()).isEqualTo("< 2");
        assertThat(Bound.FINITE.describe()).isEqualTo("finite");
        assertThat(Bound.NON_NEGATIVE.contains(-0.0)).isTrue();
        assertThat(Bound.POSITIVE.contains(0.0)).isFalse();
        assertThat(Bound.FINITE.contains(Double.POSITIVE_INFINITY)).isFalse();
        assertThat(Bound.FINITE.contains(Double.NaN)).isFalse();
    }

    @Test
    void suggestionsFindTyposKebabCaseAndLastSegments() {
        List<String> keys = TestSchemas.job().keys().stream().map(ConfigKey::name).toList();
        assertThat(KeySuggestions.suggest("learnin_rate", keys)).contains("learning_rate");
        assertThat(KeySuggestions.suggest("reg-lambda", keys)).contains("reg_lambda");
        assertThat(KeySuggestions.suggest("solver", keys)).contains("follower.solver");
        assertThat(KeySuggestions.suggest("completely_different", keys)).isEmpty();
    }
}
