package dev.bilevel.core.tabular;

import java.util.stream.IntStream;

/**
 * The controlled Markov chain underneath every tabular model: {@code S} states, {@code A} actions
 * (for a Markov game, joint actions), a transition kernel {@code P(s'|s,a)} stored sparsely row by
 * row, absorbing terminal states and an initial distribution.
 *
 * <p>A terminal state still pays the reward of the action taken in it, but nothing follows:
 * value recursions add no continuation there (the FourRooms goal works this way). Rows are indexed
 * {@code row = s·A + a}; successors of a row are {@code successor(k)} with probability
 * {@code probability(k)} for {@code k ∈ [rowStart(row), rowStart(row+1))}.
 */
public final class TabularDynamics {

    /** Tolerance on probability sums, as documented for problem files. */
    public static final double PROBABILITY_TOLERANCE = 1e-9;

    private final int states;
    private final int actions;
    private final int[] rowStart;
    private final int[] successors;
    private final double[] probabilities;
    private final boolean[] terminal;
    private final double[] initialDistribution;
    private final int lowerBandwidth;
    private final int upperBandwidth;

    private TabularDynamics(int states, int actions, int[] rowStart, int[] successors, double[] probabilities,
            boolean[] terminal, double[] initialDistribution) {
        this.states = states;
        this.actions = actions;
        this.rowStart = rowStart;
        this.successors = successors;
        this.probabilities = probabilities;
        this.terminal = terminal;
        this.initialDistribution = initialDistribution;
        int lowerBand = 0;
        int upperBand = 0;
        for (int row = 0; row < states * actions; row++) {
            int s = row / actions;
            for (int k = rowStart[row]; k < rowStart[row + 1]; k++) {
                lowerBand = Math.max(lowerBand, s - successors[k]);
                upperBand = Math.max(upperBand, successors[k] - s);
            }
        }
        this.lowerBandwidth = lowerBand;
        this.upperBandwidth = upperBand;
    }

    /**
     * Builds the dynamics from a dense kernel {@code dense[(s·A + a)·S + s']}, validating every row.
     *
     * @param field name used in error messages for the kernel (e.g. {@code "transitions"})
     * @throws IllegalArgumentException naming the offending entry when a probability is negative or
     *     not finite, a row does not sum to 1 within {@link #PROBABILITY_TOLERANCE}, or the initial
     *     distribution is invalid
     */
    public static TabularDynamics fromDense(int states, int actions, double[] dense, String field,
            boolean[] terminal, double[] initialDistribution) {
        if (states < 1 || actions < 1) {
            throw new IllegalArgumentException(field + ": need at least one state and one action");
        }
        if (dense.length != states * actions * states) {
            throw new IllegalArgumentException(field + ": expected " + states * actions * states + " entries, got "
                    + dense.length);
        }
        if (terminal.length != states) {
            throw new IllegalArgumentException("terminal: expected " + states + " entries, got " + terminal.length);
        }
        checkDistribution(initialDistribution, states, "initialDistribution");
        int[] rowStart = new int[states * actions + 1];
        int nnz = 0;
        for (int row = 0; row < states * actions; row++) {
            double sum = 0.0;
            for (int next = 0; next < states; next++) {
                double p = dense[row * states + next];
                if (!(p >= 0.0) || Double.isInfinite(p)) {
                    throw new IllegalArgumentException(field + describeRow(row, actions) + "[" + next
                            + "]: probability " + p + " is not a finite non-negative number");
                }
                sum += p;
                if (p > 0.0) {
                    nnz++;
                }
            }
            if (Math.abs(sum - 1.0) > PROBABILITY_TOLERANCE) {
                throw new IllegalArgumentException(field + describeRow(row, actions) + ": probabilities sum to " + sum
                        + ", expected 1");
            }
            rowStart[row + 1] = nnz;
        }
        int[] successors = new int[nnz];
        double[] probabilities = new double[nnz];
        int k = 0;
        for (int row = 0; row < states * actions; row++) {
            for (int next = 0; next < states; next++) {
                double p = dense[row * states + next];
                if (p > 0.0) {
                    successors[k] = next;
                    probabilities[k] = p;
                    k++;
                }
            }
        }
        return new TabularDynamics(states, actions, rowStart, successors, probabilities, terminal.clone(),
                initialDistribution.clone());
    }

    private static String describeRow(int row, int actions) {
        return "[" + row / actions + "][" + row % actions + "]";
    }

    /** Validates a probability vector of the given length, naming {@code field} in the message. */
    public static void checkDistribution(double[] p, int length, String field) {
        if (p.length != length) {
            throw new IllegalArgumentException(field + ": expected " + length + " entries, got " + p.length);
        }
        double sum = 0.0;
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0.0) || Double.isInfinite(p[i])) {
                throw new IllegalArgumentException(field + "[" + i + "]: probability " + p[i]
                        + " is not a finite non-negative number");
            }
            sum += p[i];
        }
        if (Math.abs(sum - 1.0) > PROBABILITY_TOLERANCE) {
            throw new IllegalArgumentException(field + ": probabilities sum to " + sum + ", expected 1");
        }
    }

    /** Number of states {@code S}. */
    public int states() {
        return states;
    }

    /** Number of actions {@code A} (joint actions for a Markov game). */
    public int actions() {
        return actions;
    }

    /** Largest {@code s − s'} over transitions {@code s → s'}: sub-diagonals of the state chain. */
    public int lowerBandwidth() {
        return lowerBandwidth;
    }

    /** Largest {@code s' − s} over transitions {@code s → s'}: super-diagonals of the state chain. */
    public int upperBandwidth() {
        return upperBandwidth;
    }

    /** First sparse index of row {@code s·A + a}; the row ends at {@code rowStart(row + 1)}. */
    public int rowStart(int row) {
        return rowStart[row];
    }

    /** Successor state of sparse entry {@code k}. */
    public int successor(int k) {
        return successors[k];
    }

    /** Probability of sparse entry {@code k}. */
    public double probability(int k) {
        return probabilities[k];
    }

    /** Whether state {@code s} is terminal (absorbing, no continuation value). */
    public boolean isTerminal(int s) {
        return terminal[s];
    }

    /** Probability of starting in state {@code s}. */
    public double initialProbability(int s) {
        return initialDistribution[s];
    }

    /** A copy of the initial distribution. */
    public double[] initialDistribution() {
        return initialDistribution.clone();
    }

    /** {@code Σ_s' P(s'|row)·v[s']}: the expected next-state value of a row. */
    public double expectation(int row, double[] v) {
        double sum = 0.0;
        for (int k = rowStart[row], end = rowStart[row + 1]; k < end; k++) {
            sum += probabilities[k] * v[successors[k]];
        }
        return sum;
    }

    /**
     * The one-step backup of every row: {@code q[row] = reward[row] + γ·[s not terminal]·Σ_s' P(s'|row) v[s']}.
     */
    public void backup(double[] reward, double[] v, double discount, double[] q) {
        final int[] start = rowStart;
        final int[] next = successors;
        final double[] prob = probabilities;
        for (int s = 0, row = 0; s < states; s++) {
            if (terminal[s]) {
                for (int a = 0; a < actions; a++, row++) {
                    q[row] = reward[row];
                }
                continue;
            }
            for (int a = 0; a < actions; a++, row++) {
                double sum = 0.0;
                for (int k = start[row], end = start[row + 1]; k < end; k++) {
                    sum += prob[k] * v[next[k]];
                }
                q[row] = reward[row] + discount * sum;
            }
        }
    }

    /** {@code P(next|row)}, zero when {@code next} is not a successor. */
    public double probability(int row, int next) {
        for (int k = rowStart[row], end = rowStart[row + 1]; k < end; k++) {
            if (successors[k] == next) {
                return probabilities[k];
            }
        }
        return 0.0;
    }

    /**
     * The state-to-state matrix {@code M(s,s') = [s not terminal]·Σ_a weights(s,a)·P(s'|s,a)},
     * dense and row-major; with {@code weights} a policy this is the chain the policy induces.
     */
    public double[] stateMatrix(double[] weights) {
        double[] m = new double[states * states];
        for (int s = 0; s < states; s++) {
            if (terminal[s]) {
                continue;
            }
            for (int a = 0; a < actions; a++) {
                int row = s * actions + a;
                double w = weights[row];
                if (w == 0.0) {
                    continue;
                }
                for (int k = rowStart[row], end = rowStart[row + 1]; k < end; k++) {
                    m[s * states + successors[k]] += w * probabilities[k];
                }
            }
        }
        return m;
    }

    @Override
    public String toString() {
        long terminals = IntStream.range(0, states).filter(s -> terminal[s]).count();
        return "TabularDynamics[states=" + states + ", actions=" + actions + ", nonzeros=" + successors.length
                + ", terminal states=" + terminals + ", bandwidth=" + lowerBandwidth + "/" + upperBandwidth + "]";
    }
}
