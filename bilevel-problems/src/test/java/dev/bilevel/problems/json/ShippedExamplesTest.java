package dev.bilevel.problems.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.core.game.FollowerOperator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The example problem files under {@code docs/examples/}: those a generator made can be made again, and the
 * hand-written chain, whose optimum the docs state ({@code F ≈ 0.5155}), is the file those numbers were measured on.
 */
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

    @Test
    void theChainIsTheFileItsDocumentedOptimumWasMeasuredOn() throws Exception {
        byte[] bytes = Files.readAllBytes(EXAMPLES.resolve("chain-cmdp.json"));
        String sha256 = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(sha256).as("docs/examples/chain-cmdp.json changed: re-measure its optimum in docs/problem-files.md"
                + " and README.md, then update this hash")
                .isEqualTo("bf92b4dedf56c4990afe0b6d2406d6372ffd3aaa32543fbdf51f59f89975b490");
    }
}
