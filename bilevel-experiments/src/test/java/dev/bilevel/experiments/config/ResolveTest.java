package dev.bilevel.experiments.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolveTest {

    @TempDir
    Path dir;

    private final ConfigSchema schema = TestSchemas.job();

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void fileValuesReplaceDefaultsNestedOrDotted() throws IOException {
        Path file = write("run.yaml", """
                # a comment
                problem: toy4
                reg_lambda: 1e-3
                samples: 1e3
                exact: TRUE
                follower:
                  solver: value-iteration
                  tolerance: 1.0E-10
                follower.max_iterations: 500
                note: ~
                """);

        ResolvedConfig config = schema.resolve(file, List.of());

        assertThat(config.string("problem")).isEqualTo("toy4");
        assertThat(config.real("reg_lambda")).isEqualTo(0.001);
        assertThat(config.integer("samples")).isEqualTo(1000);
        assertThat(config.bool("exact")).isTrue();
        assertThat(config.string("follower.solver")).isEqualTo("value-iteration");
        assertThat(config.optionalReal("follower.tolerance")).hasValue(1e-10);
        assertThat(config.optionalInteger("follower.max_iterations")).hasValue(500);
        assertThat(config.optionalString("note")).isEmpty();
        assertThat(config.string("method")).isEqualTo("bchg"); // untouched default
    }

    @Test
    void precedenceIsDefaultsThenBaseThenFileThenCliValuesThenOverrides() throws IOException {
        write("configs/base.yaml", """
                problem: base-problem
                samples: 10
                seed: 1
                horizon: 20
                offset: 2.5
                """);
        Path file = write("configs/run.yaml", """
                extends: base.yaml
                samples: 20
                seed: 2
                horizon: 30
                """);
        Map<String, Object> cli = new LinkedHashMap<>();
        cli.put("seed", 3L);
        cli.put("horizon", 40);
        cli.put("learning_rate", 0.5);
        cli.put("follower.tolerance", null);

        ResolvedConfig config = schema.resolve(file, List.of("horizon=45", "horizon = 50", "method=naive"), cli);

        assertThat(config.string("problem")).isEqualTo("base-problem"); // base only
        assertThat(config.real("offset")).isEqualTo(2.5); // base only
        assertThat(config.integer("samples")).isEqualTo(20); // file over base
        assertThat(config.longInt("seed")).isEqualTo(3); // CLI over file
        assertThat(config.real("learning_rate")).isEqualTo(0.5); // CLI over default
        assertThat(config.integer("horizon")).isEqualTo(50); // last override over CLI
        assertThat(config.string("method")).isEqualTo("naive");
        assertThat(config.real("reg_lambda")).isEqualTo(0.003); // default
    }

    @Test
    void extendsChainsAreFollowedRecursively() throws IOException {
        write("a.yaml", "samples: 1\nseed: 1\nproblem: a\n");
        write("sub/b.yaml", "extends: ../a.yaml\nseed: 2\nproblem: b\n");
        Path c = write("sub/c.yaml", "extends: b.yaml\nproblem: c\n");

        ResolvedConfig config = schema.resolve(c, List.of());

        assertThat(config.integer("samples")).isEqualTo(1);
        assertThat(config.longInt("seed")).isEqualTo(2);
        assertThat(config.string("problem")).isEqualTo("c");
    }

    @Test
    void emptyFilesAndNullGroupsSetNothing() throws IOException {
        assertThat(schema.resolve(write("empty.yaml", ""), List.of())).isEqualTo(schema.defaults());
        assertThat(schema.resolve(write("comments.yaml", "# nothing\n"), List.of())).isEqualTo(schema.defaults());
        assertThat(schema.resolve(write("group.yaml", "follower:\n#  solver: x\n"), List.of()))
                .isEqualTo(schema.defaults());
    }

    @Test
    void overridesAndCliStringsParseLikeFileScalars() {
        ResolvedConfig config = schema.resolve(null,
                List.of("offset=-2", "samples=+7", "exact=false", "note=", "follower.tolerance=.5",
                        "problem=two words", "seed=-9223372036854775808"),
                Map.of("learning_rate", "2.5e-1"));

        assertThat(config.real("offset")).isEqualTo(-2.0);
        assertThat(config.integer("samples")).isEqualTo(7);
        assertThat(config.bool("exact")).isFalse();
        assertThat(config.optionalString("note")).isEmpty();
        assertThat(config.optionalReal("follower.tolerance")).hasValue(0.5);
        assertThat(config.string("problem")).isEqualTo("two words");
        assertThat(config.longInt("seed")).isEqualTo(Long.MIN_VALUE);
        assertThat(config.real("learning_rate")).isEqualTo(0.25);
    }

    @Test
    void nullableKeysCanBeSetAndClearedAgain() {
        ResolvedConfig set = schema.resolve(null, List.of("follower.tolerance=1e-6"));
        assertThat(set.optionalReal("follower.tolerance")).hasValue(1e-6);
        ResolvedConfig cleared = schema.resolve(null, List.of("follower.tolerance=1e-6", "follower.tolerance=null"));
        assertThat(cleared.optionalReal("follower.tolerance")).isEmpty();
    }
}
