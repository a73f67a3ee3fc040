package dev.bilevel.problems.fourrooms;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.ParametricReward;
import dev.bilevel.core.cmdp.SoftmaxBudgetIncentives;
import dev.bilevel.core.tabular.TabularDynamics;
import java.util.ArrayList;
import java.util.List;

/**
 * ConfigurableFourRooms, the incentive-design benchmark of BC-HG and HPGD: a 13×13 gridworld with four
 * rooms where the leader places penalties so that the follower, on its way from S to the goal G,
 * detours through the leader's target cell T.
 *
 * <p>States are the 104 free cells in row-major order; actions are up, right, down, left; a move into a
 * wall stays put. The follower earns 1 at the goal plus the (non-positive) incentive of its cell; the
 * leader earns 1 at T and pays {@code c·‖inc‖₁} when the goal is reached. The goal is terminal: the
 * action taken there pays its reward and the episode ends.
 *
 * <p>Two slip models exist, as in the reference: the <em>simulator</em> replaces the intended action
 * by a uniform one with probability {@code 4f/3} (intended with {@code 1 − f}), while the
 * <em>planning</em> matrix used by the follower and by exact evaluation keeps the intended move with
 * {@code 1 − 4f/3}. Both are exposed.
 */
public final class FourRooms {

    /** The map: {@code x} is a wall, a space is free. Row 0 is the top. */
    public static final List<String> MAP = List.of(
            "xxxxxxxxxxxxx",
            "x     x     x",
            "x     x     x",
            "x           x",
            "x     x     x",
            "x     x     x",
            "xx xxxx     x",
            "x     xxx xxx",
            "x     x     x",
            "x     x     x",
            "x           x",
            "x     x     x",
            "xxxxxxxxxxxxx");

    /** Up, right, down, left as (row, column) steps. */
    private static final int[][] MOVES = {{-1, 0}, {0, 1}, {1, 0}, {0, -1}};

    /** Number of actions. */
    public static final int ACTIONS = 4;

    private static final int SIZE = 13;
    private static final int[] CELL_OF_STATE;
    private static final int[] STATE_OF_CELL;

    static {
        List<Integer> cells = new ArrayList<>();
        STATE_OF_CELL = new int[SIZE * SIZE];
        java.util.Arrays.fill(STATE_OF_CELL, -1);
        for (int r = 0; r < SIZE; r++) {
            for (int c = 0; c < SIZE; c++) {
                if (MAP.get(r).charAt(c) != 'x') {
                    STATE_OF_CELL[r * SIZE + c] = cells.size();
                    cells.add(r * SIZE + c);
                }
            }
        }
        CELL_OF_STATE = cells.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Number of states (free cells). */
    public static final int STATES = CELL_OF_STATE.length;
    /** Start S = (4,1). */
    public static final int START = state(4, 1);
    /** Goal G = (1,9). */
    public static final int GOAL = state(1, 9);
    /** The leader's target T = (8,4). */
    public static final int TARGET = state(8, 4);
    /** The four doorway cells (3,6), (6,2), (7,9), (10,6). */
    public static final int[] CORRIDORS = {state(3, 6), state(6, 2), state(7, 9), state(10, 6)};

    /** Which cells carry incentives. */
    public enum Coordinates {
        /** Every free cell: {@code d = 105} (104 cells plus the slack logit). */
        ALL,
        /** The four doorways: {@code d = 5}. */
        CORRIDORS
    }

    private final FourRoomsConfig config;
    private final SoftmaxBudgetIncentives incentives;
    private final TabularDynamics planning;
    private final TabularDynamics simulator;
    private final ConfigurableMdp model;

    /** Builds the benchmark for a configuration. */
    public FourRooms(FourRoomsConfig config) {
        this.config = config;
        int[] cells = config.coordinates() == Coordinates.ALL ? allStates() : CORRIDORS.clone();
        incentives = new SoftmaxBudgetIncentives(STATES, ACTIONS, cells, 0.0, -config.budget());
        boolean[] terminal = new boolean[STATES];
        terminal[GOAL] = true;
        double[] initial = new double[STATES];
        initial[START] = 1.0;
        double f = config.failProbability();
        planning = TabularDynamics.fromDense(STATES, ACTIONS, kernel(1.0 - 4.0 * f / 3.0, 4.0 * f / 9.0),
                "transitions", terminal, initial);
        simulator = TabularDynamics.fromDense(STATES, ACTIONS, kernel(1.0 - f, f / 3.0), "transitions", terminal,
                initial);
        double[] followerBase = new double[STATES * ACTIONS];
        double[] leaderBase = new double[STATES * ACTIONS];
        for (int a = 0; a < ACTIONS; a++) {
            followerBase[GOAL * ACTIONS + a] = 1.0;
            leaderBase[TARGET * ACTIONS + a] = 1.0;
        }
        boolean[] goalOnly = new boolean[STATES];
        goalOnly[GOAL] = true;
        ParametricReward follower = incentives.followerReward(followerBase, goalOnly);
        ParametricReward leader = incentives.leaderReward(leaderBase, config.incentiveCost(), goalOnly);
        model = new ConfigurableMdp(planning, follower, leader, config.followerDiscount(), config.leaderDiscount(),
                config.temperature());
    }

    private static int[] allStates() {
        int[] all = new int[STATES];
        for (int s = 0; s < STATES; s++) {
            all[s] = s;
        }
        return all;
    }

    /** Dense kernel where the intended move has probability {@code intended} and each other one {@code other}. */
    private static double[] kernel(double intended, double other) {
        double[] dense = new double[STATES * ACTIONS * STATES];
        for (int s = 0; s < STATES; s++) {
            for (int a = 0; a < ACTIONS; a++) {
                int row = s * ACTIONS + a;
                if (s == GOAL) {
                    dense[row * STATES + s] = 1.0;
                    continue;
                }
                for (int executed = 0; executed < ACTIONS; executed++) {
                    dense[row * STATES + move(s, executed)] += executed == a ? intended : other;
                }
            }
        }
        return dense;
    }

    /** The state reached from {@code s} by action {@code a} without slip (a wall means staying). */
    public static int move(int s, int a) {
        int r = row(s) + MOVES[a][0];
        int c = column(s) + MOVES[a][1];
        int next = STATE_OF_CELL[r * SIZE + c];
        return next < 0 ? s : next;
    }

    /** The state index of a free cell. */
    public static int state(int row, int column) {
        int s = STATE_OF_CELL[row * SIZE + column];
        if (s < 0) {
            throw new IllegalArgumentException("(" + row + "," + column + ") is a wall");
        }
        return s;
    }

    /** Row of a state's cell (0 = top). */
    public static int row(int s) {
        return CELL_OF_STATE[s] / SIZE;
    }

    /** Column of a state's cell (0 = left). */
    public static int column(int s) {
        return CELL_OF_STATE[s] % SIZE;
    }

    /** The configuration. */
    public FourRoomsConfig config() {
        return config;
    }

    /** The tabular model the follower plans with and exact evaluation uses (planning slip matrix). */
    public ConfigurableMdp model() {
        return model;
    }

    /** The planning kernel ({@code P(intended) = 1 − 4f/3}). */
    public TabularDynamics planningDynamics() {
        return planning;
    }

    /** The simulator kernel rollouts sample from ({@code P(intended) = 1 − f}). */
    public TabularDynamics simulatorDynamics() {
        return simulator;
    }

    /** The incentive parameterisation. */
    public SoftmaxBudgetIncentives incentives() {
        return incentives;
    }

    /** Dimension of the leader's decision (105 or 5). */
    public int dimension() {
        return incentives.dimension();
    }
}
