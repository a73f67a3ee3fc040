package dev.bilevel.experiments.diagnose;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.problems.fourrooms.FourRooms;
import dev.bilevel.problems.fourrooms.FourRoomsConfig;
import dev.bilevel.problems.json.ConfigurableMdpProblem;
import java.util.Objects;

/**
 * A configurable MDP and the leader decision at which estimators are compared with the exact
 * hypergradient. Episodes are sampled from {@code mdp.dynamics()}, the same kernel the exact
 * hypergradient is computed on, so an unbiased estimator is unbiased for exactly that vector (up to
 * the horizon's truncation).
 *
 * @param name a short label for tables and file names ({@code four-rooms-all}, a file's stem)
 * @param mdp the model
 * @param decision the leader's decision {@code x}, length {@code mdp.dimension()}
 */
public record DiagnosticProblem(String name, ConfigurableMdp mdp, double[] decision) {

    /** Checks the decision's length and copies it. */
    public DiagnosticProblem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mdp, "mdp");
        if (decision.length != mdp.dimension()) {
            throw new IllegalArgumentException("decision: expected " + mdp.dimension() + " entries, got "
                    + decision.length);
        }
        decision = decision.clone();
    }

    /** A copy of the decision. */
    @Override
    public double[] decision() {
        return decision.clone();
    }

    /** Dimension {@code d} of the decision. */
    public int dimension() {
        return mdp.dimension();
    }

    /**
     * FourRooms with the paper's constants at temperature {@code λ}: the planning model
     * ({@link FourRooms#model()}) at decision {@code x = 0}.
     *
     * @param temperature follower temperature {@code λ}
     * @param coordinates {@code ALL} ({@code d = 105}) or {@code CORRIDORS} ({@code d = 5})
     * @return the problem, named {@code four-rooms-all} or {@code four-rooms-corridors}
     */
    public static DiagnosticProblem fourRooms(double temperature, FourRooms.Coordinates coordinates) {
        FourRooms fourRooms = new FourRooms(FourRoomsConfig.paper(temperature).withCoordinates(coordinates));
        return new DiagnosticProblem("four-rooms-" + coordinates.name().toLowerCase(java.util.Locale.ROOT),
                fourRooms.model(), new double[fourRooms.dimension()]);
    }

    /**
     * A problem file's model at its {@code parameters0}.
     *
     * @param name the label
     * @param problem the parsed problem
     * @return the problem
     */
    public static DiagnosticProblem of(String name, ConfigurableMdpProblem problem) {
        return new DiagnosticProblem(name, problem.mdp(), problem.parameters0());
    }
}
