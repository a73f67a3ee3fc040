package dev.bilevel.problems.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.core.game.FollowerOperator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example problem files under {@code docs/examples/} that a generator made can be made again. */
class ShippedExamplesTest {

    private static final Path EXAMPLES = Path.of("../docs/examples");

    @Test
    void randomGame30IsWhatTheGeneratorWrites() throws IOException {
        String shipped = Files.readString(EXAMPLES.resolve("random-game-30.json"), StandardCharsets.UTF_8);
        String generated = ProblemFiles.write(RandomProblems.markovGame(30, 30, 3, 3, 0.9, 0.5,
                FollowerOperator.SEQUENTIAL));
        assertThat(generated).isEqualTo(shipped);
        // and the file reads back to a game of that shape
        MarkovGameProblem game = (MarkovGameProblem) ProblemFiles.parse(shipped);
        assertThat(game.game().states()).isEqualTo(30);
        assertThat(game.game().leaderActions()).isEqualTo(3);
        assertThat(game.game().followerActions()).isEqualTo(3);
        // Another seed gives another file: the comparison above can fail.
        assertThat(ProblemFiles.write(RandomProblems.markovGame(31, 30, 3, 3, 0.9, 0.5, FollowerOperator.SEQUENTIAL)))
                .isNotEqualTo(shipped);
    }
}
