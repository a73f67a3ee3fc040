package dev.bilevel.problems.json;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.LinearFeatureReward;
import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.core.text.EditDistance;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validating reader for the problem-file format: every check names the field by its JSON path, and
 * every check that core also makes is made here first with the file's own index layout (core names
 * a game's rows by joint action, the file by leader and follower action).
 */
final class ProblemParser {

    /**
     * {@code NaN} and {@code Infinity} tokens are accepted by the parser only so that they are then
     * rejected with the field's path instead of as a syntax error; duplicate keys and trailing content
     * are syntax errors.
     */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static final String KIND = "kind";
    static final String DESCRIPTION = "description";
    static final String TRANSITIONS = "transitions";
    static final String FOLLOWER_REWARD = "followerReward";
    static final String INCENTIVE_FEATURES = "incentiveFeatures";
    static final String LEADER_REWARD = "leaderReward";
    static final String LEADER_FEATURES = "leaderFeatures";
    static final String INITIAL_DISTRIBUTION = "initialDistribution";
    static final String TERMINAL = "terminal";
    static final String FOLLOWER_DISCOUNT = "followerDiscount";
    static final String LEADER_DISCOUNT = "leaderDiscount";
    static final String TEMPERATURE = "temperature";
    static final String PARAMETERS0 = "parameters0";
    static final String LEADER_LOGITS = "leaderLogits";
    static final String FOLLOWER_OPERATOR = "followerOperator";

    /** Required fields of each kind, in the order in which they are reported missing. */
    private static final List<String> CMDP_REQUIRED = List.of(KIND, TRANSITIONS, FOLLOWER_REWARD,
            INCENTIVE_FEATURES, LEADER_REWARD, INITIAL_DISTRIBUTION, FOLLOWER_DISCOUNT, LEADER_DISCOUNT,
            TEMPERATURE, PARAMETERS0);
    private static final List<String> CMDP_OPTIONAL = List.of(DESCRIPTION, LEADER_FEATURES, TERMINAL);
    private static final List<String> GAME_REQUIRED = List.of(KIND, TRANSITIONS, FOLLOWER_REWARD, LEADER_REWARD,
            INITIAL_DISTRIBUTION, FOLLOWER_DISCOUNT, LEADER_DISCOUNT, TEMPERATURE, LEADER_LOGITS);
    private static final List<String> GAME_OPTIONAL = List.of(DESCRIPTION, TERMINAL, FOLLOWER_OPERATOR);

    private static final int MAX_QUOTED = 40;

    private ProblemParser() {
    }

    static TabularProblem parse(String json) {
        JsonNode root = readTree(json);
        if (root == null || root.isMissingNode()) {
            throw new ProblemFileException("empty problem file: expected a JSON object");
        }
        if (!root.isObject()) {
            throw new ProblemFileException("expected a JSON object at the top level, got " + describe(root));
        }
        JsonNode kindNode = root.get(KIND);
        if (kindNode == null) {
            throw new ProblemFileException("missing field 'kind' (configurable-mdp or markov-game)");
        }
        if (!kindNode.isString()) {
            throw new ProblemFileException("kind: expected a string, got " + describe(kindNode));
        }
        String kind = kindNode.stringValue();
        List<String> required;
        List<String> optional;
        if (kind.equals(ConfigurableMdpProblem.KIND)) {
            required = CMDP_REQUIRED;
            optional = CMDP_OPTIONAL;
        } else if (kind.equals(MarkovGameProblem.KIND)) {
            required = GAME_REQUIRED;
            optional = GAME_OPTIONAL;
        } else {
            throw new ProblemFileException("kind: unknown kind " + quote(kind)
                    + ", expected configurable-mdp or markov-game");
        }
        checkFieldNames(root, kind, required, optional);
        JsonNode description = root.get(DESCRIPTION);
        if (description != null && !description.isString()) {
            throw new ProblemFileException("description: expected a string, got " + describe(description));
        }
        try {
            return kind.equals(ConfigurableMdpProblem.KIND) ? configurableMdp(root) : markovGame(root);
        } catch (IllegalArgumentException e) {
            // Core validation (a backstop: the checks below come first) already names the field.
            throw new ProblemFileException(e.getMessage(), e);
        }
    }

    private static JsonNode readTree(String json) {
        String text = !json.isEmpty() && json.charAt(0) == '\uFEFF' ? json.substring(1) : json;
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new ProblemFileException(syntaxMessage(e), e);
        }
    }

    private static String syntaxMessage(JacksonException e) {
        String detail = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        // Jackson refers to a redacted source inside some messages; the line and column say it all.
        detail = detail.replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll("\\s+", " ").strip();
        if (detail.startsWith("Trailing token")) {
            detail = "unexpected content after the top-level object";
        }
        TokenStreamLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            return "malformed JSON at line " + location.getLineNr() + ", column " + location.getColumnNr() + ": "
                    + detail;
        }
        return "malformed JSON: " + detail;
    }

    /** Rejects unknown top-level fields (a typo must not silently fall back to a default), then missing ones. */
    private static void checkFieldNames(JsonNode root, String kind, List<String> required, List<String> optional) {
        for (String name : root.propertyNames()) {
            if (required.contains(name) || optional.contains(name)) {
                continue;
            }
            String other = kind.equals(ConfigurableMdpProblem.KIND) ? MarkovGameProblem.KIND
                    : ConfigurableMdpProblem.KIND;
            List<String> otherFields = kind.equals(ConfigurableMdpProblem.KIND)
                    ? concat(GAME_REQUIRED, GAME_OPTIONAL) : concat(CMDP_REQUIRED, CMDP_OPTIONAL);
            if (otherFields.contains(name)) {
                throw new ProblemFileException("unknown field " + quote(name) + " for kind " + kind
                        + " (it belongs to " + other + ")");
            }
            String suggestion = closest(name, concat(required, optional));
            throw new ProblemFileException("unknown field " + quote(name)
                    + (suggestion != null ? " (did you mean " + quote(suggestion) + "?)" : ""));
        }
        for (String name : required) {
            if (root.get(name) == null) {
                throw new ProblemFileException("missing field " + quote(name));
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /** The known name within edit distance 2 (or equal ignoring case), if any. */
    private static String closest(String name, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = EditDistance.between(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= 2 ? best : null;
    }

    private static ConfigurableMdpProblem configurableMdp(JsonNode root) {
        JsonNode transitionsNode = root.get(TRANSITIONS);
        int states = nonEmptyArray(transitionsNode, TRANSITIONS, "state").size();
        int actions = nonEmptyArray(transitionsNode.get(0), TRANSITIONS + "[0]", "action").size();
        double[] transitions = tensor(transitionsNode, TRANSITIONS, states, actions, states);
        checkRows(transitions, states * actions, states,
                row -> TRANSITIONS + "[" + row / actions + "][" + row % actions + "]");

        double[] followerReward = tensor(root.get(FOLLOWER_REWARD), FOLLOWER_REWARD, states, actions);

        JsonNode featuresNode = root.get(INCENTIVE_FEATURES);
        array(featuresNode, INCENTIVE_FEATURES, states);
        array(featuresNode.get(0), INCENTIVE_FEATURES + "[0]", actions);
        int dimension = nonEmptyArray(featuresNode.get(0).get(0), INCENTIVE_FEATURES + "[0][0]", "feature")
                .size();
        double[] incentiveFeatures = tensor(featuresNode, INCENTIVE_FEATURES, states, actions, dimension);

        double[] leaderReward = tensor(root.get(LEADER_REWARD), LEADER_REWARD, states, actions);
        JsonNode leaderFeaturesNode = root.get(LEADER_FEATURES);
        double[] leaderFeatures = leaderFeaturesNode == null ? new double[states * actions * dimension]
                : tensor(leaderFeaturesNode, LEADER_FEATURES, states, actions, dimension);

        double[] initial = initialDistribution(root, states);
        boolean[] terminal = terminal(root.get(TERMINAL), states);
        double followerDiscount = discount(root, FOLLOWER_DISCOUNT);
        double leaderDiscount = discount(root, LEADER_DISCOUNT);
        double temperature = temperature(root);
        double[] parameters0 = tensor(root.get(PARAMETERS0), PARAMETERS0, dimension);

        TabularDynamics dynamics = TabularDynamics.fromDense(states, actions, transitions, TRANSITIONS, terminal,
                initial);
        ConfigurableMdp mdp = new ConfigurableMdp(dynamics,
                new LinearFeatureReward(states, actions, dimension, followerReward, incentiveFeatures),
                new LinearFeatureReward(states, actions, dimension, leaderReward, leaderFeatures),
                followerDiscount, leaderDiscount, temperature);
        return new ConfigurableMdpProblem(mdp, parameters0);
    }

    private static MarkovGameProblem markovGame(JsonNode root) {
        JsonNode transitionsNode = root.get(TRANSITIONS);
        int states = nonEmptyArray(transitionsNode, TRANSITIONS, "state").size();
        int leaderActions = nonEmptyArray(transitionsNode.get(0), TRANSITIONS + "[0]", "leader action").size();
        int followerActions = nonEmptyArray(transitionsNode.get(0).get(0), TRANSITIONS + "[0][0]",
                "follower action").size();
        int joint = leaderActions * followerActions;
        double[] transitions = tensor(transitionsNode, TRANSITIONS, states, leaderActions, followerActions, states);
        // Dense index ((s·B + b)·A + a)·S + s' is exactly core's row s·(B·A) + b·A + a times S plus s'.
        checkRows(transitions, states * joint, states, row -> TRANSITIONS + "[" + row / joint + "]["
                + row % joint / followerActions + "][" + row % followerActions + "]");

        double[] followerReward = tensor(root.get(FOLLOWER_REWARD), FOLLOWER_REWARD, states, leaderActions,
                followerActions);
        double[] leaderReward = tensor(root.get(LEADER_REWARD), LEADER_REWARD, states, leaderActions,
                followerActions);
        double[] initial = initialDistribution(root, states);
        boolean[] terminal = terminal(root.get(TERMINAL), states);
        double followerDiscount = discount(root, FOLLOWER_DISCOUNT);
        double leaderDiscount = discount(root, LEADER_DISCOUNT);
        double temperature = temperature(root);
        FollowerOperator operator = FollowerOperator.SEQUENTIAL;
        JsonNode operatorNode = root.get(FOLLOWER_OPERATOR);
        if (operatorNode != null) {
            if (!operatorNode.isString()) {
                throw new ProblemFileException(FOLLOWER_OPERATOR + ": expected a string (sequential or averaged), got "
                        + describe(operatorNode));
            }
            operator = FollowerOperator.parse(operatorNode.stringValue());
        }
        double[] leaderLogits = tensor(root.get(LEADER_LOGITS), LEADER_LOGITS, states, leaderActions);

        TabularDynamics dynamics = TabularDynamics.fromDense(states, joint, transitions, TRANSITIONS, terminal,
                initial);
        MarkovGame game = new MarkovGame(dynamics, leaderActions, followerActions, followerReward, leaderReward,
                followerDiscount, leaderDiscount, temperature, operator);
        return new MarkovGameProblem(game, leaderLogits);
    }

    private static double[] initialDistribution(JsonNode root, int states) {
        double[] initial = tensor(root.get(INITIAL_DISTRIBUTION), INITIAL_DISTRIBUTION, states);
        checkRows(initial, 1, states, row -> INITIAL_DISTRIBUTION);
        return initial;
    }

    private static double discount(JsonNode root, String field) {
        double value = number(root.get(field), field);
        ConfigurableMdp.checkDiscount(value, field);
        return value;
    }

    private static double temperature(JsonNode root) {
        double value = number(root.get(TEMPERATURE), TEMPERATURE);
        ConfigurableMdp.checkTemperature(value);
        return value;
    }

    /**
     * Checks that each of {@code rows} consecutive blocks of {@code width} entries is a probability
     * vector: entries non-negative, sum within {@link TabularDynamics#PROBABILITY_TOLERANCE} of 1
     * (summed in the same order as core, so both agree at the boundary).
     */
    private static void checkRows(double[] values, int rows, int width, IntFunction<String> rowPath) {
        for (int row = 0; row < rows; row++) {
            double sum = 0.0;
            for (int i = 0; i < width; i++) {
                double p = values[row * width + i];
                if (p < 0.0) {
                    throw new ProblemFileException(rowPath.apply(row) + "[" + i + "]: probability " + p
                            + " is negative");
                }
                sum += p;
            }
            if (Math.abs(sum - 1.0) > TabularDynamics.PROBABILITY_TOLERANCE) {
                throw new ProblemFileException(rowPath.apply(row) + ": probabilities sum to " + sum + ", expected 1");
            }
        }
    }

    /**
     * Optional terminal states: absent (none), an array of {@code S} booleans, or an array of distinct
     * state indices. The first entry decides which; an empty array means none.
     */
    private static boolean[] terminal(JsonNode node, int states) {
        boolean[] terminal = new boolean[states];
        if (node == null) {
            return terminal;
        }
        array(node, TERMINAL, -1);
        if (node.isEmpty()) {
            return terminal;
        }
        JsonNode first = node.get(0);
        if (first.isBoolean()) {
            array(node, TERMINAL, states);
            for (int s = 0; s < states; s++) {
                JsonNode entry = node.get(s);
                if (!entry.isBoolean()) {
                    throw new ProblemFileException(TERMINAL + "[" + s + "]: expected a boolean like terminal[0], got "
                            + describe(entry));
                }
                terminal[s] = entry.booleanValue();
            }
            return terminal;
        }
        if (!first.isNumber()) {
            throw new ProblemFileException(TERMINAL + "[0]: expected a boolean (one per state) or a state index, got "
                    + describe(first));
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            String path = TERMINAL + "[" + i + "]";
            if (!entry.isIntegralNumber()) {
                throw new ProblemFileException(path + ": expected a state index (an integer), got "
                        + describe(entry));
            }
            if (!entry.isInt() || entry.intValue() < 0 || entry.intValue() >= states) {
                throw new ProblemFileException(path + ": state index " + describe(entry) + " is out of range [0, "
                        + states + ")");
            }
            int s = entry.intValue();
            if (terminal[s]) {
                throw new ProblemFileException(path + ": state " + s + " is listed twice");
            }
            terminal[s] = true;
        }
        return terminal;
    }

    /**
     * Reads a dense array of the given shape, row-major, after checking the whole nesting first (so a
     * huge claimed shape is rejected before anything is allocated). Paths are only built for errors.
     */
    static double[] tensor(JsonNode node, String path, int... shape) {
        int[] index = new int[shape.length];
        checkShape(node, path, shape, 0, index);
        long size = 1;
        for (int n : shape) {
            size *= n;
        }
        double[] out = new double[(int) size];
        fill(node, path, shape, 0, 0, index, out);
        return out;
    }

    private static void checkShape(JsonNode node, String path, int[] shape, int level, int[] index) {
        if (node == null || !node.isArray() || node.size() != shape[level]) {
            array(node, path(path, index, level), shape[level]);
        }
        if (level + 1 < shape.length) {
            for (int i = 0; i < shape[level]; i++) {
                index[level] = i;
                checkShape(node.get(i), path, shape, level + 1, index);
            }
        }
    }

    private static void fill(JsonNode node, String path, int[] shape, int level, int offset, int[] index,
            double[] out) {
        boolean leaves = level + 1 == shape.length;
        for (int i = 0; i < shape[level]; i++) {
            JsonNode child = node.get(i);
            int flat = offset * shape[level] + i;
            index[level] = i;
            if (!leaves) {
                fill(child, path, shape, level + 1, flat, index, out);
            } else {
                double value = finiteOrNaN(child);
                out[flat] = Double.isNaN(value) ? number(child, path(path, index, level + 1)) : value;
            }
        }
    }

    /** {@code path[index[0]]…[index[depth − 1]]}. */
    private static String path(String path, int[] index, int depth) {
        StringBuilder sb = new StringBuilder(path);
        for (int i = 0; i < depth; i++) {
            sb.append('[').append(index[i]).append(']');
        }
        return sb.toString();
    }

    /** Checks that {@code node} is an array, of {@code expected} entries unless that is negative. */
    private static JsonNode array(JsonNode node, String path, int expected) {
        if (node == null || !node.isArray()) {
            throw new ProblemFileException(path + ": expected an array"
                    + (expected >= 0 ? " of " + expected + (expected == 1 ? " entry" : " entries") : "") + ", got "
                    + describe(node));
        }
        if (expected >= 0 && node.size() != expected) {
            throw new ProblemFileException(path + ": expected " + expected + (expected == 1 ? " entry" : " entries")
                    + ", got " + node.size());
        }
        return node;
    }

    /** An array with at least one entry; its length defines a dimension ({@code what}: state, action…). */
    private static JsonNode nonEmptyArray(JsonNode node, String path, String what) {
        array(node, path, -1);
        if (node.isEmpty()) {
            throw new ProblemFileException(path + ": expected at least one " + what + ", got an empty array");
        }
        return node;
    }

    static double number(JsonNode node, String path) {
        double value = finiteOrNaN(node);
        if (!Double.isNaN(value)) {
            return value;
        }
        if (node == null || !node.isNumber()) {
            throw new ProblemFileException(path + ": expected a number, got " + describe(node));
        }
        throw new ProblemFileException(path + ": expected a finite number, got " + describe(node));
    }

    /** The node's value if it is a finite number, else {@code NaN}. */
    private static double finiteOrNaN(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return Double.NaN;
        }
        double value = node.isDouble() ? node.doubleValue() : node.numberValue().doubleValue();
        return Double.isFinite(value) ? value : Double.NaN;
    }

    /** A short, single-line description of a JSON value for error messages. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isArray()) {
            return node.isEmpty() ? "an empty array" : "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isString()) {
            return quoteJson(node.stringValue());
        }
        if (node.isBoolean()) {
            return String.valueOf(node.booleanValue());
        }
        if (node.isNumber()) {
            String text = String.valueOf(node.numberValue());
            return text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…" : text;
        }
        return node.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static String quoteJson(String s) {
        String shown = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "…" : s;
        return MAPPER.writeValueAsString(shown);
    }

    /** Single quotes around a name or user value, escaped so the message stays one line. */
    private static String quote(String s) {
        String json = quoteJson(s);
        return "'" + json.substring(1, json.length() - 1) + "'";
    }
}
