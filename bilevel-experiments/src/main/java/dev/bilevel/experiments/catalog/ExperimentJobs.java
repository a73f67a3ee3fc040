package dev.bilevel.experiments.catalog;

import dev.bilevel.experiments.discretetoy.DiscreteToyJob;
import dev.bilevel.experiments.fourrooms.FourRoomsJob;
import dev.bilevel.experiments.guided.GuidedJob;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.lqrgame.LqrGameJob;
import dev.bilevel.experiments.problemfile.ProblemFileJob;
import dev.bilevel.experiments.thermal.ThermalJob;
import dev.bilevel.experiments.thermal.ThermalRandomSearchJob;
import java.util.List;
import java.util.stream.Collectors;

/** The experiments this build knows, by problem name: the benchmarks and {@code problem-file}. */
public final class ExperimentJobs {

    private static final List<ExperimentJob> ALL = List.of(new FourRoomsJob(), new DiscreteToyJob(),
            new ThermalJob(), new ThermalRandomSearchJob(), new LqrGameJob(), new GuidedJob(), new ProblemFileJob());

    private ExperimentJobs() {
    }

    /** Every job, in a fixed order. */
    public static List<ExperimentJob> all() {
        return ALL;
    }

    /** Problem names, comma separated, for messages. */
    public static String names() {
        return ALL.stream().map(ExperimentJob::problem).collect(Collectors.joining(", "));
    }

    /**
     * The job for {@code problem}.
     *
     * @param field the input field that named it, for the message
     * @throws IllegalArgumentException naming {@code field} when no job has that name
     */
    public static ExperimentJob forProblem(String problem, String field) {
        for (ExperimentJob job : ALL) {
            if (job.problem().equals(problem)) {
                return job;
            }
        }
        throw new IllegalArgumentException(field + ": unknown problem '" + problem + "', expected one of " + names());
    }
}
