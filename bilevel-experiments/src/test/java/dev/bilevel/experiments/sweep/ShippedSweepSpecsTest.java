package dev.bilevel.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sweep spec the repository ships ({@code configs/sweeps/}, {@code docs/examples/sweep-*.yaml}) reads, resolves
 * every trial's config against its job's schema, and has trials: the commands the result pages print run as written.
 */
class ShippedSweepSpecsTest {

    private static final Path ROOT = Path.of("..");

    static List<Path> specs() throws IOException {
        try (Stream<Path> sweeps = Files.list(ROOT.resolve("configs/sweeps"));
                Stream<Path> examples = Files.list(ROOT.resolve("docs/examples"))) {
            return Stream.concat(sweeps.filter(p -> p.toString().endsWith(".yaml")),
                    examples.filter(p -> p.getFileName().toString().startsWith("sweep-"))).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void aShippedSpecResolvesToTrials(Path spec) {
        SweepSpec sweep = SweepSpec.read(spec);
        assertThat(sweep.trials()).as(spec.toString()).isNotEmpty();
    }
}
