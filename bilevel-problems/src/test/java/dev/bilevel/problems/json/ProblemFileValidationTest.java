package dev.bilevel.problems.json;

import static dev.bilevel.problems.json.Fixtures.NODES;
import static dev.bilevel.problems.json.Fixtures.array;
import static dev.bilevel.problems.json.Fixtures.baseCmdp;
import static dev.bilevel.problems.json.Fixtures.baseGame;
import static dev.bilevel.problems.json.Fixtures.mutate;
import static dev.bilevel.problems.json.Fixtures.numbers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bilevel.core.tabular.TabularDynamics;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** Every class of bad input gives a {@link ProblemFileException} whose one-line message names the field. */
class ProblemFileValidationTest {

    @Test
    void baseProblemsAreValid() {
        assertThat(ProblemFiles.parse(baseCmdp())).isInstanceOf(ConfigurableMdpProblem.class);
        assertThat(ProblemFiles.parse(baseGame())).isInstanceOf(MarkovGameProblem.class);
    }

    static Stream<Arguments> brokenProblems() {
        String cmdp = baseCmdp();
        String game = baseGame();
        return Stream.of(
                // Syntax.
                raw("missing value", "{\n  \"kind\": \"configurable-mdp\",\n  \"transitions\": [1,,2]\n}",
                        "malformed JSON at line 3, column 21: Unexpected character (','"),
                raw("truncated", cmdp.substring(0, cmdp.length() / 2), "malformed JSON at line"),
                raw("trailing content", cmdp + " x", "malformed JSON at line"),
                raw("second object", cmdp + " {}", "unexpected content after the top-level object"),
                raw("duplicate field", cmdp.replaceFirst("\\{", "{\"temperature\": 0.3,"),
                        "Duplicate Object property \"temperature\""),
                raw("empty", "", "empty problem file: expected a JSON object"),
                raw("top-level array", "[]", "expected a JSON object at the top level, got an empty array"),
                // Kind and field names.
                cmdpCase("kind missing", r -> r.remove("kind"), "missing field 'kind'"),
                cmdpCase("kind unknown", r -> r.put("kind", "foo"),
                        "kind: unknown kind 'foo', expected configurable-mdp or markov-game"),
                cmdpCase("kind not a string", r -> r.put("kind", 3), "kind: expected a string, got 3"),
                cmdpCase("required field missing", r -> r.remove("leaderReward"), "missing field 'leaderReward'"),
                cmdpCase("typo", r -> r.set("temprature", r.remove("temperature")),
                        "unknown field 'temprature' (did you mean 'temperature'?)"),
                cmdpCase("case typo", r -> r.set("FollowerReward", r.remove("followerReward")),
                        "unknown field 'FollowerReward' (did you mean 'followerReward'?)"),
                cmdpCase("unknown field", r -> r.put("seed", 3), "unknown field 'seed'"),
                cmdpCase("field of the other kind", r -> r.set("leaderLogits", numbers(0.0)),
                        "unknown field 'leaderLogits' for kind configurable-mdp (it belongs to markov-game)"),
                cmdpCase("description not a string", r -> r.put("description", 3),
                        "description: expected a string, got 3"),
                // Scalars.
                cmdpCase("discount not a number", r -> r.put("followerDiscount", "x"),
                        "followerDiscount: expected a number, got \"x\""),
                cmdpCase("discount 1", r -> r.put("followerDiscount", 1.0), "followerDiscount: 1.0 is outside [0, 1)"),
                cmdpCase("discount negative", r -> r.put("leaderDiscount", -0.1),
                        "leaderDiscount: -0.1 is outside [0, 1)"),
                cmdpCase("discount null", r -> r.putNull("leaderDiscount"),
                        "leaderDiscount: expected a number, got null"),
                cmdpCase("temperature negative", r -> r.put("temperature", -1),
                        "temperature: -1.0 must be a finite number > 0"),
                cmdpCase("temperature zero", r -> r.put("temperature", 0.0),
                        "temperature: 0.0 must be a finite number > 0"),
                raw("temperature NaN", cmdp.replace("\"temperature\": 0.5", "\"temperature\": NaN"),
                        "temperature: expected a finite number, got NaN"),
                raw("temperature Infinity", cmdp.replace("\"temperature\": 0.5", "\"temperature\": Infinity"),
                        "temperature: expected a finite number, got Infinity"),
                raw("overflowing number", cmdp.replace("\"followerReward\": [[0.1,", "\"followerReward\": [[1e400,"),
                        "followerReward[0][0]: expected a finite number, got Infinity"),
                raw("overflowing integer", cmdp.replace("\"followerReward\": [[0.1,",
                        "\"followerReward\": [[1" + "0".repeat(400) + ","),
                        "followerReward[0][0]: expected a finite number, got 1000"),
                // Shapes.
                cmdpCase("ragged rows", r -> array(r, "followerReward", 2).remove(1),
                        "followerReward[2]: expected 2 entries, got 1"),
                cmdpCase("too few rows", r -> array(r, "followerReward").remove(2),
                        "followerReward: expected 3 entries, got 2"),
                cmdpCase("too deep", r -> array(r, "followerReward", 0).set(1, numbers(0.3)),
                        "followerReward[0][1]: expected a number, got an array"),
                cmdpCase("too shallow", r -> r.set("followerReward", numbers(0.1, 0.2, 0.3)),
                        "followerReward[0]: expected an array of 2 entries, got 0.1"),
                cmdpCase("boolean entry", r -> array(r, "leaderReward", 1).set(0, NODES.booleanNode(true)),
                        "leaderReward[1][0]: expected a number, got true"),
                cmdpCase("null entry", r -> array(r, "leaderReward", 1).set(0, NODES.nullNode()),
                        "leaderReward[1][0]: expected a number, got null"),
                cmdpCase("string entry", r -> array(r, "incentiveFeatures", 1, 0).set(1, NODES.stringNode("0.5")),
                        "incentiveFeatures[1][0][1]: expected a number, got \"0.5\""),
                cmdpCase("no states", r -> r.set("transitions", NODES.arrayNode()),
                        "transitions: expected at least one state, got an empty array"),
                cmdpCase("no actions", r -> array(r, "transitions").set(0, NODES.arrayNode()),
                        "transitions[0]: expected at least one action, got an empty array"),
                cmdpCase("transitions not an array", r -> r.put("transitions", 5),
                        "transitions: expected an array, got 5"),
                cmdpCase("ragged transitions", r -> array(r, "transitions", 1).remove(1),
                        "transitions[1]: expected 2 entries, got 1"),
                cmdpCase("short transition row", r -> array(r, "transitions", 2, 0).remove(0),
                        "transitions[2][0]: expected 3 entries, got 2"),
                cmdpCase("no features", r -> array(r, "incentiveFeatures", 0).set(0, NODES.arrayNode()),
                        "incentiveFeatures[0][0]: expected at least one feature, got an empty array"),
                cmdpCase("ragged features", r -> array(r, "incentiveFeatures", 1, 1).remove(1),
                        "incentiveFeatures[1][1]: expected 2 entries, got 1"),
                cmdpCase("leader features of another dimension", r -> array(r, "leaderFeatures", 0, 0).add(0.0),
                        "leaderFeatures[0][0]: expected 2 entries, got 3"),
                cmdpCase("parameters0 length", r -> array(r, "parameters0").add(1.0),
                        "parameters0: expected 2 entries, got 3"),
                // Probabilities.
                cmdpCase("row sum", r -> array(r, "transitions", 1).set(1, numbers(0.0, 0.1, 0.8)),
                        "transitions[1][1]: probabilities sum to 0.9, expected 1"),
                cmdpCase("negative probability", r -> array(r, "transitions", 0).set(1, numbers(0.0, 1.1, -0.1)),
                        "transitions[0][1][2]: probability -0.1 is negative"),
                cmdpCase("initial sum", r -> r.set("initialDistribution", numbers(0.5, 0.0, 0.0)),
                        "initialDistribution: probabilities sum to 0.5, expected 1"),
                cmdpCase("initial negative", r -> r.set("initialDistribution", numbers(1.5, -0.5, 0.0)),
                        "initialDistribution[1]: probability -0.5 is negative"),
                cmdpCase("initial length", r -> r.set("initialDistribution", numbers(0.5, 0.5)),
                        "initialDistribution: expected 3 entries, got 2"),
                // Terminal states.
                cmdpCase("terminal index too large", r -> r.set("terminal", NODES.arrayNode().add(5)),
                        "terminal[0]: state index 5 is out of range [0, 3)"),
                cmdpCase("terminal index negative", r -> r.set("terminal", NODES.arrayNode().add(1).add(-1)),
                        "terminal[1]: state index -1 is out of range [0, 3)"),
                cmdpCase("terminal index huge", r -> r.set("terminal", NODES.arrayNode().add(1L << 40)),
                        "terminal[0]: state index 1099511627776 is out of range [0, 3)"),
                cmdpCase("terminal duplicate", r -> r.set("terminal", NODES.arrayNode().add(2).add(2)),
                        "terminal[1]: state 2 is listed twice"),
                cmdpCase("terminal fractional index", r -> r.set("terminal", NODES.arrayNode().add(1.5)),
                        "terminal[0]: expected a state index (an integer), got 1.5"),
                cmdpCase("terminal booleans length", r -> r.set("terminal", NODES.arrayNode().add(true).add(false)),
                        "terminal: expected 3 entries, got 2"),
                cmdpCase("terminal mixed", r -> r.set("terminal", NODES.arrayNode().add(false).add(1).add(true)),
                        "terminal[1]: expected a boolean like terminal[0], got 1"),
                cmdpCase("terminal string", r -> r.set("terminal", NODES.arrayNode().add("a")),
                        "terminal[0]: expected a boolean (one per state) or a state index, got \"a\""),
                cmdpCase("terminal not an array", r -> r.put("terminal", true),
                        "terminal: expected an array, got true"),
                // Markov games.
                gameCase("game row sum", r -> array(r, "transitions", 1, 0).set(2, numbers(0.5, 0.4)),
                        "transitions[1][0][2]: probabilities sum to 0.9, expected 1"),
                gameCase("game negative probability", r -> array(r, "transitions", 0, 1).set(1, numbers(-0.5, 1.5)),
                        "transitions[0][1][1][0]: probability -0.5 is negative"),
                gameCase("game no follower actions", r -> array(r, "transitions", 0).set(0, NODES.arrayNode()),
                        "transitions[0][0]: expected at least one follower action, got an empty array"),
                gameCase("game ragged follower actions", r -> array(r, "transitions", 1, 1).remove(2),
                        "transitions[1][1]: expected 3 entries, got 2"),
                gameCase("game ragged reward", r -> array(r, "followerReward", 0, 1).remove(2),
                        "followerReward[0][1]: expected 3 entries, got 2"),
                gameCase("game reward depth", r -> array(r, "leaderReward", 1).set(0, NODES.numberNode(1.0)),
                        "leaderReward[1][0]: expected an array of 3 entries, got 1.0"),
                gameCase("game logits", r -> array(r, "leaderLogits", 1).remove(1),
                        "leaderLogits[1]: expected 2 entries, got 1"),
                gameCase("game logits missing", r -> r.remove("leaderLogits"), "missing field 'leaderLogits'"),
                gameCase("game operator unknown", r -> r.put("followerOperator", "greedy"),
                        "followerOperator: unknown operator 'greedy', expected sequential or averaged"),
                gameCase("game operator not a string", r -> r.put("followerOperator", 1),
                        "followerOperator: expected a string (sequential or averaged), got 1"),
                gameCase("game field of the other kind", r -> r.set("incentiveFeatures", NODES.arrayNode()),
                        "unknown field 'incentiveFeatures' for kind markov-game (it belongs to configurable-mdp)"),
                gameCase("game temperature", r -> r.put("temperature", -2.5),
                        "temperature: -2.5 must be a finite number > 0"),
                gameCase("game terminal out of range", r -> r.set("terminal", NODES.arrayNode().add(2)),
                        "terminal[0]: state index 2 is out of range [0, 2)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenProblems")
    void badInputIsReportedWithItsFieldPath(String name, String json, String expected) {
        ProblemFileException e = catchThrowableOfType(ProblemFileException.class, () -> ProblemFiles.parse(json));
        assertThat(e).as("no exception for %s", name).isNotNull();
        assertThat(e.getMessage()).contains(expected).doesNotContain("\n").doesNotContain("\r");
    }

    @Test
    void integersAreNumbers() {
        String integers = mutate(baseCmdp(), r -> {
            array(r, "transitions", 1).set(0, NODES.arrayNode().add(1).add(0).add(0));
            r.put("temperature", 2);
            r.put("followerDiscount", 0);
        });
        ConfigurableMdpProblem p = (ConfigurableMdpProblem) ProblemFiles.parse(integers);
        assertThat(p.mdp().dynamics().probability(2, 0)).isEqualTo(1.0);
        assertThat(p.mdp().temperature()).isEqualTo(2.0);
        assertThat(p.mdp().followerDiscount()).isEqualTo(0.0);
    }

    @Test
    void sumsWithinTheToleranceAreAccepted() {
        assertThat(TabularDynamics.PROBABILITY_TOLERANCE).isEqualTo(1e-9);
        String slightlyOver = mutate(baseCmdp(),
                r -> array(r, "transitions", 0).set(0, numbers(0.5, 0.5 + 5e-10, 0.0)));
        String slightlyUnder = mutate(baseCmdp(),
                r -> array(r, "transitions", 0).set(0, numbers(0.5, 0.5 - 5e-10, 0.0)));
        assertThatCode(() -> ProblemFiles.parse(slightlyOver)).doesNotThrowAnyException();
        assertThatCode(() -> ProblemFiles.parse(slightlyUnder)).doesNotThrowAnyException();
        ConfigurableMdpProblem p = (ConfigurableMdpProblem) ProblemFiles.parse(slightlyOver);
        assertThat(p.mdp().dynamics().probability(0, 1)).isEqualTo(0.5 + 5e-10);
    }

    @Test
    void sumsOutsideTheToleranceAreRejected() {
        String over = mutate(baseCmdp(), r -> array(r, "transitions", 0).set(0, numbers(0.5, 0.5 + 2e-9, 0.0)));
        String under = mutate(baseCmdp(), r -> array(r, "transitions", 0).set(0, numbers(0.5, 0.5 - 2e-9, 0.0)));
        assertThat(catchThrowableOfType(ProblemFileException.class, () -> ProblemFiles.parse(over)))
                .hasMessageStartingWith("transitions[0][0]: probabilities sum to 1.000000002");
        assertThat(catchThrowableOfType(ProblemFileException.class, () -> ProblemFiles.parse(under)))
                .hasMessageStartingWith("transitions[0][0]: probabilities sum to 0.999999998");
    }

    @Test
    void toleranceAppliesToGamesAndInitialDistributions() {
        String gameOk = mutate(baseGame(), r -> array(r, "transitions", 1, 1).set(2, numbers(5e-10, 1.0)));
        String gameBad = mutate(baseGame(), r -> array(r, "transitions", 1, 1).set(2, numbers(2e-9, 1.0)));
        assertThatCode(() -> ProblemFiles.parse(gameOk)).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(ProblemFileException.class, () -> ProblemFiles.parse(gameBad)))
                .hasMessageStartingWith("transitions[1][1][2]: probabilities sum to");
        String initialOk = mutate(baseCmdp(), r -> r.set("initialDistribution", numbers(1.0, 5e-10, 0.0)));
        String initialBad = mutate(baseCmdp(), r -> r.set("initialDistribution", numbers(1.0, 2e-9, 0.0)));
        assertThatCode(() -> ProblemFiles.parse(initialOk)).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(ProblemFileException.class, () -> ProblemFiles.parse(initialBad)))
                .hasMessageStartingWith("initialDistribution: probabilities sum to");
    }

    @Test
    void exceptionMessagesAreSingleLine() {
        assertThat(new ProblemFileException("a\nb\r\n  c").getMessage()).isEqualTo("a b c");
        assertThat(new ProblemFileException(null).getMessage()).isEqualTo("invalid problem file");
    }

    private static Arguments raw(String name, String json, String expected) {
        return Arguments.of(name, json, expected);
    }

    private static Arguments cmdpCase(String name, Consumer<ObjectNode> mutation, String expected) {
        return Arguments.of(name, mutate(baseCmdp(), mutation), expected);
    }

    private static Arguments gameCase(String name, Consumer<ObjectNode> mutation, String expected) {
        return Arguments.of(name, mutate(baseGame(), mutation), expected);
    }
}
