package dev.bilevel.cli;

import dev.bilevel.core.Hypergradient;
import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.game.ExactGameHypergradient;
import dev.bilevel.problems.json.ConfigurableMdpProblem;
import dev.bilevel.problems.json.MarkovGameProblem;
import dev.bilevel.problems.json.ProblemFiles;
import dev.bilevel.problems.json.TabularProblem;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel hypergradient}: the leader's objective and hypergradient of a JSON tabular problem
 * at its initial parameters, printed as one JSON object.
 */
@Command(name = "hypergradient", mixinStandardHelpOptions = true,
        description = {"Print the objective and hypergradient of a tabular problem file.", "",
            "Evaluates at the file's initial parameters (parameters0 / leaderLogits) and prints one JSON object:",
            "{\"kind\", \"estimator\", \"dimension\", \"objective\", \"gradient\"}.",
            "For Markov games the gradient is θ flattened row-major [s][b].", ""})
final class HypergradientCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--problem", required = true, paramLabel = "FILE.json",
            description = "Problem file (format: docs/problem-files.md).")
    private Path problem;

    @Option(names = "--estimator", defaultValue = "exact", paramLabel = "NAME",
            description = "Estimator: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private EstimatorName estimator;

    /** Estimators this command knows. */
    enum EstimatorName {
        exact
    }

    @Override
    public Integer call() {
        TabularProblem parsed = ProblemFiles.read(problem);
        Hypergradient result;
        String kind;
        if (parsed instanceof ConfigurableMdpProblem p) {
            result = ExactHypergradient.compute(p.mdp(), p.parameters0());
            kind = "configurable-mdp";
        } else {
            MarkovGameProblem p = (MarkovGameProblem) parsed;
            result = ExactGameHypergradient.compute(p.game(), p.leaderLogits());
            kind = "markov-game";
        }
        JsonOutput json = new JsonOutput()
                .field("kind", kind)
                .field("estimator", estimator.name())
                .field("dimension", result.gradient().length)
                .field("objective", result.objective())
                .field("gradient", result.gradient());
        spec.commandLine().getOut().println(json);
        return 0;
    }
}
