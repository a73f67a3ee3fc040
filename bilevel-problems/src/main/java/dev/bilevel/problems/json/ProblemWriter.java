package dev.bilevel.problems.json;

import static dev.bilevel.problems.json.ProblemParser.FOLLOWER_DISCOUNT;
import static dev.bilevel.problems.json.ProblemParser.FOLLOWER_OPERATOR;
import static dev.bilevel.problems.json.ProblemParser.FOLLOWER_REWARD;
import static dev.bilevel.problems.json.ProblemParser.INCENTIVE_FEATURES;
import static dev.bilevel.problems.json.ProblemParser.INITIAL_DISTRIBUTION;
import static dev.bilevel.problems.json.ProblemParser.KIND;
import static dev.bilevel.problems.json.ProblemParser.LEADER_DISCOUNT;
import static dev.bilevel.problems.json.ProblemParser.LEADER_FEATURES;
import static dev.bilevel.problems.json.ProblemParser.LEADER_LOGITS;
import static dev.bilevel.problems.json.ProblemParser.LEADER_REWARD;
import static dev.bilevel.problems.json.ProblemParser.PARAMETERS0;
import static dev.bilevel.problems.json.ProblemParser.TEMPERATURE;
import static dev.bilevel.problems.json.ProblemParser.TERMINAL;
import static dev.bilevel.problems.json.ProblemParser.TRANSITIONS;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.LinearFeatureReward;
import dev.bilevel.core.cmdp.ParametricReward;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.tabular.TabularDynamics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes problems in the file format: fields in documentation order, innermost arrays (and any array
 * that fits) on one line, numbers as {@link Double#toString} so that parsing gives back the same
 * doubles bit for bit.
 */
final class ProblemWriter {

    private static final int WIDTH = 100;

    private ProblemWriter() {
    }

    static String write(TabularProblem problem) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (problem instanceof ConfigurableMdpProblem p) {
            configurableMdp(p, fields);
        } else if (problem instanceof MarkovGameProblem p) {
            markovGame(p, fields);
        } else {
            throw new IllegalArgumentException("unknown problem type " + problem.getClass().getName());
        }
        StringBuilder out = new StringBuilder("{\n");
        int remaining = fields.size();
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            String prefix = "  " + ProblemParser.MAPPER.writeValueAsString(field.getKey()) + ": ";
            out.append(prefix);
            render(field.getValue(), out, 2, prefix.length());
            out.append(--remaining > 0 ? ",\n" : "\n");
        }
        return out.append("}\n").toString();
    }

    private static void configurableMdp(ConfigurableMdpProblem problem, Map<String, Object> fields) {
        ConfigurableMdp mdp = problem.mdp();
        int states = mdp.states();
        int actions = mdp.actions();
        int dimension = mdp.dimension();
        LinearFeatureReward follower = linear(mdp.followerReward(), FOLLOWER_REWARD);
        LinearFeatureReward leader = linear(mdp.leaderReward(), LEADER_REWARD);
        double[] leaderFeatures = features(leader, LEADER_FEATURES);
        boolean leaderDependsOnX = false;
        for (double f : leaderFeatures) {
            leaderDependsOnX |= f != 0.0;
        }
        fields.put(KIND, ConfigurableMdpProblem.KIND);
        fields.put(TRANSITIONS, nest(dense(mdp.dynamics()), states, actions, states));
        fields.put(FOLLOWER_REWARD, nest(base(follower, FOLLOWER_REWARD), states, actions));
        fields.put(INCENTIVE_FEATURES, nest(features(follower, INCENTIVE_FEATURES), states, actions, dimension));
        fields.put(LEADER_REWARD, nest(base(leader, LEADER_REWARD), states, actions));
        if (leaderDependsOnX) {
            fields.put(LEADER_FEATURES, nest(leaderFeatures, states, actions, dimension));
        }
        common(mdp.dynamics(), mdp.followerDiscount(), mdp.leaderDiscount(), mdp.temperature(), fields);
        fields.put(PARAMETERS0, problem.parameters0());
    }

    private static void markovGame(MarkovGameProblem problem, Map<String, Object> fields) {
        MarkovGame game = problem.game();
        int states = game.states();
        int nb = game.leaderActions();
        int na = game.followerActions();
        fields.put(KIND, MarkovGameProblem.KIND);
        fields.put(TRANSITIONS, nest(dense(game.dynamics()), states, nb, na, states));
        fields.put(FOLLOWER_REWARD, nest(finite(game.followerReward(), FOLLOWER_REWARD), states, nb, na));
        fields.put(LEADER_REWARD, nest(finite(game.leaderReward(), LEADER_REWARD), states, nb, na));
        common(game.dynamics(), game.followerDiscount(), game.leaderDiscount(), game.temperature(), fields);
        fields.put(FOLLOWER_OPERATOR, game.operator().id());
        fields.put(LEADER_LOGITS, nest(problem.leaderLogits(), states, nb));
    }

    private static void common(TabularDynamics dynamics, double followerDiscount, double leaderDiscount,
            double temperature, Map<String, Object> fields) {
        fields.put(INITIAL_DISTRIBUTION, dynamics.initialDistribution());
        boolean[] terminal = new boolean[dynamics.states()];
        for (int s = 0; s < terminal.length; s++) {
            terminal[s] = dynamics.isTerminal(s);
        }
        fields.put(TERMINAL, terminal);
        fields.put(FOLLOWER_DISCOUNT, followerDiscount);
        fields.put(LEADER_DISCOUNT, leaderDiscount);
        fields.put(TEMPERATURE, temperature);
    }

    /** The kernel as {@code dense[row·S + s']}, row {@code s·A + a}. */
    private static double[] dense(TabularDynamics dynamics) {
        int states = dynamics.states();
        int rows = states * dynamics.actions();
        double[] dense = new double[rows * states];
        for (int row = 0; row < rows; row++) {
            for (int k = dynamics.rowStart(row), end = dynamics.rowStart(row + 1); k < end; k++) {
                dense[row * states + dynamics.successor(k)] = dynamics.probability(k);
            }
        }
        return dense;
    }

    private static LinearFeatureReward linear(ParametricReward reward, String field) {
        if (reward instanceof LinearFeatureReward linear) {
            return linear;
        }
        throw new IllegalArgumentException(field + ": only a LinearFeatureReward can be written to a problem file, got "
                + reward.getClass().getName());
    }

    private static double[] base(LinearFeatureReward reward, String field) {
        return finite(reward.base(), field);
    }

    private static double[] features(LinearFeatureReward reward, String field) {
        return finite(reward.features(), field);
    }

    private static double[] finite(double[] values, String field) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(field + ": cannot write the non-finite value " + v);
            }
        }
        return values;
    }

    /** Nested {@code Object[]} of {@code double[]} leaves for a row-major tensor. */
    private static Object nest(double[] flat, int... shape) {
        return nest(flat, shape, 0, 0);
    }

    private static Object nest(double[] flat, int[] shape, int level, int offset) {
        if (level == shape.length - 1) {
            return java.util.Arrays.copyOfRange(flat, offset * shape[level], (offset + 1) * shape[level]);
        }
        Object[] children = new Object[shape[level]];
        for (int i = 0; i < children.length; i++) {
            children[i] = nest(flat, shape, level + 1, offset * shape[level] + i);
        }
        return children;
    }

    /** Appends {@code value}: one line when it fits in {@link #WIDTH} columns, else one child per line. */
    private static void render(Object value, StringBuilder out, int indent, int column) {
        if (value instanceof Object[] children && !fits(children, WIDTH - column)) {
            out.append("[\n");
            for (int i = 0; i < children.length; i++) {
                out.append(" ".repeat(indent + 2));
                render(children[i], out, indent + 2, indent + 2);
                out.append(i + 1 < children.length ? ",\n" : "\n");
            }
            out.append(" ".repeat(indent)).append(']');
        } else {
            compact(value, out);
        }
    }

    private static boolean fits(Object[] children, int width) {
        // Cheap bound first: every number takes at least 3 characters plus ", ".
        if (leaves(children) * 5L > width) {
            return false;
        }
        StringBuilder line = new StringBuilder();
        compact(children, line);
        return line.length() + 1 <= width;
    }

    private static long leaves(Object value) {
        if (value instanceof Object[] children) {
            long n = 0;
            for (Object child : children) {
                n += leaves(child);
            }
            return n;
        }
        if (value instanceof double[] d) {
            return d.length;
        }
        if (value instanceof boolean[] b) {
            return b.length;
        }
        return 1;
    }

    private static void compact(Object value, StringBuilder out) {
        if (value instanceof Object[] children) {
            out.append('[');
            for (int i = 0; i < children.length; i++) {
                if (i > 0) {
                    out.append(", ");
                }
                compact(children[i], out);
            }
            out.append(']');
        } else if (value instanceof double[] numbers) {
            out.append('[');
            for (int i = 0; i < numbers.length; i++) {
                if (i > 0) {
                    out.append(", ");
                }
                out.append(number(numbers[i]));
            }
            out.append(']');
        } else if (value instanceof boolean[] flags) {
            out.append('[');
            for (int i = 0; i < flags.length; i++) {
                if (i > 0) {
                    out.append(", ");
                }
                out.append(flags[i]);
            }
            out.append(']');
        } else if (value instanceof Double d) {
            out.append(number(d));
        } else if (value instanceof String s) {
            out.append(ProblemParser.MAPPER.writeValueAsString(s));
        } else {
            throw new IllegalStateException("cannot render " + value);
        }
    }

    /** {@link Double#toString} round-trips exactly and is valid JSON for finite values. */
    private static String number(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("cannot write the non-finite value " + value);
        }
        return Double.toString(value);
    }
}
