package dev.bilevel.problems.json;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import java.util.Arrays;
import java.util.Objects;

/**
 * A configurable MDP ({@code "kind": "configurable-mdp"}) and the leader decision {@code x₀} at which
 * to evaluate it.
 *
 * <p>The array is copied on construction and by its accessor. {@link #equals} compares the model by
 * identity (core models do not define value equality) and {@code parameters0} by content; compare
 * {@link ProblemFiles#write} outputs to compare two problems by value.
 *
 * @param mdp the model
 * @param parameters0 the leader's decision {@code x₀}, length {@code mdp.dimension()}, finite
 */
public record ConfigurableMdpProblem(ConfigurableMdp mdp, double[] parameters0) implements TabularProblem {

    /** The {@code "kind"} of this problem type in files. */
    public static final String KIND = "configurable-mdp";

    /**
     * @throws IllegalArgumentException if {@code parameters0} does not have {@code mdp.dimension()}
     *     finite entries
     */
    public ConfigurableMdpProblem {
        Objects.requireNonNull(mdp, "mdp");
        Objects.requireNonNull(parameters0, "parameters0");
        if (parameters0.length != mdp.dimension()) {
            throw new IllegalArgumentException("parameters0: expected " + mdp.dimension() + " entries, got "
                    + parameters0.length);
        }
        for (int j = 0; j < parameters0.length; j++) {
            if (!Double.isFinite(parameters0[j])) {
                throw new IllegalArgumentException("parameters0[" + j + "]: expected a finite number, got "
                        + parameters0[j]);
            }
        }
        parameters0 = parameters0.clone();
    }

    /** A copy of {@code x₀}. */
    @Override
    public double[] parameters0() {
        return parameters0.clone();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int states() {
        return mdp.states();
    }

    @Override
    public double[] leaderDecision() {
        return parameters0.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConfigurableMdpProblem that && mdp.equals(that.mdp)
                && Arrays.equals(parameters0, that.parameters0);
    }

    @Override
    public int hashCode() {
        return 31 * mdp.hashCode() + Arrays.hashCode(parameters0);
    }

    @Override
    public String toString() {
        return "ConfigurableMdpProblem[states=" + mdp.states() + ", actions=" + mdp.actions() + ", dimension="
                + mdp.dimension() + ", parameters0=" + Arrays.toString(parameters0) + "]";
    }
}
