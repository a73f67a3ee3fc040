package dev.bilevel.problems.json;

/**
 * A tabular bi-level problem as stored in a JSON problem file: the model and the point at which the
 * leader's objective and hypergradient are evaluated.
 *
 * <p>Read one with {@link ProblemFiles#read(java.nio.file.Path)} and branch on the two kinds:
 * <pre>{@code
 * TabularProblem problem = ProblemFiles.read(path);
 * Hypergradient h = problem instanceof ConfigurableMdpProblem p
 *         ? ExactHypergradient.compute(p.mdp(), p.parameters0())
 *         : ExactGameHypergradient.compute(((MarkovGameProblem) problem).game(), problem.leaderDecision());
 * }</pre>
 */
public sealed interface TabularProblem permits ConfigurableMdpProblem, MarkovGameProblem {

    /** The value of the file's {@code "kind"} field: {@code configurable-mdp} or {@code markov-game}. */
    String kind();

    /** Number of states {@code S}. */
    int states();

    /**
     * The leader's decision at which the problem is evaluated: {@code parameters0} (length {@code d})
     * or {@code leaderLogits} flattened {@code [s·B + b]} (length {@code S·B}). A copy.
     */
    double[] leaderDecision();
}
