package dev.bilevel.cli;

import dev.bilevel.core.Hypergradient;
import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.cmdp.FollowerSolution;
import dev.bilevel.core.cmdp.ModifiedSoftPolicyIteration;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.problems.fourrooms.FourRooms;
import dev.bilevel.problems.fourrooms.FourRoomsConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel run PROBLEM}: runs a problem's main job. For FourRooms this currently evaluates the
 * initial incentives exactly (leader learning is not implemented yet).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a benchmark problem's main job.", "",
            "four-rooms: solve the follower's best response to the initial incentives (w = 0) with the",
            "reference 100×5 schedule and print the exact leader objective V_UL(start) and the exact",
            "hypergradient. Leader learning (BC-HG and baselines) is not implemented yet.", ""})
final class RunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROBLEM", description = "Problem: four-rooms.")
    private String problem;

    @Option(names = "--reg-lambda", defaultValue = "0.003", paramLabel = "λ",
            description = "Follower temperature λ (default: ${DEFAULT-VALUE}; paper: 0.001, 0.003, 0.005).")
    private double temperature;

    @Option(names = "--coordinates", defaultValue = "all", paramLabel = "SET",
            description = "Incentive cells: all (d = 105) or corridors (d = 5) (default: ${DEFAULT-VALUE}).")
    private String coordinates;

    @Override
    public Integer call() {
        if (!problem.equals("four-rooms")) {
            throw new IllegalArgumentException("PROBLEM: unknown problem '" + problem + "', expected four-rooms");
        }
        FourRooms.Coordinates coords = switch (coordinates) {
            case "all" -> FourRooms.Coordinates.ALL;
            case "corridors" -> FourRooms.Coordinates.CORRIDORS;
            default -> throw new IllegalArgumentException("--coordinates: unknown value '" + coordinates
                    + "', expected all or corridors");
        };
        ConfigurableMdp.checkTemperature(temperature);
        FourRooms fourRooms = new FourRooms(FourRoomsConfig.paper(temperature).withCoordinates(coords));
        ConfigurableMdp mdp = fourRooms.model();
        double[] w = new double[fourRooms.dimension()];
        FollowerSolution follower = ModifiedSoftPolicyIteration.reference().solve(mdp.dynamics(),
                mdp.followerReward().evaluate(w), mdp.followerDiscount(), mdp.temperature(), null);
        double objective = PolicyEvaluation.initialValue(mdp.dynamics(), PolicyEvaluation.evaluate(mdp.dynamics(),
                follower.policy(), mdp.leaderReward().evaluate(w), mdp.leaderDiscount()).stateValues());
        Hypergradient exact = ExactHypergradient.compute(mdp, w, follower.policy());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("four-rooms  λ = %s  d = %d  incentives w = 0%n", temperature, fourRooms.dimension());
        out.printf("leader objective V_UL(start) = %.6f  (follower: reference 100×5 soft policy iteration)%n",
                objective);
        out.printf("exact hypergradient norm     = %.6f%n", norm(exact.gradient()));
        out.println("Leader learning (BC-HG and baselines) is not implemented yet; this run evaluates only.");
        return 0;
    }

    private static double norm(double[] v) {
        double sum = 0.0;
        for (double x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
