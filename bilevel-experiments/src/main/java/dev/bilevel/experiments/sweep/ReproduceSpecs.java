package dev.bilevel.experiments.sweep;

import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.experiments.catalog.ExperimentJobs;
import dev.bilevel.experiments.config.ConfigException;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.job.InputFile;
import dev.bilevel.experiments.problemfile.ProblemFileJob;
import dev.bilevel.problems.json.MarkovGameProblem;
import dev.bilevel.problems.json.TabularProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The sweeps behind {@code bilevel reproduce PROBLEM [--quick]} (a paper experiment, or one of the {@link #STUDIES}):
 * the resources
 * {@code dev/bilevel/experiments/reproduce/PROBLEM.yaml} (the paper's full protocol) and
 * {@code PROBLEM-quick.yaml} (fewer seeds or settings, minutes on a laptop). They are ordinary sweep
 * specs; {@code configs} paths in them are relative to the repository root. Adding a problem to
 * {@code reproduce} takes these two files (and a profile for its report, see
 * {@link dev.bilevel.experiments.aggregate.ProblemProfile}).
 *
 * <p>{@code bilevel reproduce --problem FILE.json} has no resource: {@link #problemFile} writes its spec.
 */
public final class ReproduceSpecs {

    private static final String DIR = "/dev/bilevel/experiments/reproduce/";

    private ReproduceSpecs() {
    }

    /**
     * The resource name of a problem's spec.
     *
     * @param problem the problem
     * @param quick the quick variant
     * @return e.g. {@code four-rooms-quick.yaml}
     */
    public static String name(String problem, boolean quick) {
        return problem + (quick ? "-quick" : "") + ".yaml";
    }

    /**
     * A study beyond the paper's four experiments, reproduced like them: its two specs are resources named after it,
     * and its report groups the trials by its own keys and scores them by its own metric.
     *
     * @param name the name {@code bilevel reproduce} takes
     * @param by the keys that make a setting of its report
     * @param metric the {@code metrics.csv} column its report scores
     */
    public record Study(String name, List<String> by, String metric) {

        /** Copies. */
        public Study {
            by = List.copyOf(by);
        }
    }

    /** The studies: the journal's sub-optimal-follower study (method.md §5.5) on FourRooms and DiscreteToy4. */
    public static final List<Study> STUDIES = List.of(
            new Study("four-rooms-subopt", List.of("samples", "follower.behaviour", "follower.rounds"),
                    "leader_objective_optimal_follower"),
            new Study("discrete-toy-subopt", List.of("follower.behaviour", "follower.stop_sweeps"),
                    "leader_objective_optimal_follower"));

    /**
     * The study of a name.
     *
     * @param name a name {@code bilevel reproduce} was given
     * @return the study, or empty for a paper experiment or an unknown name
     */
    public static Optional<Study> study(String name) {
        return STUDIES.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * What this build can reproduce: registered jobs that have both specs, then the {@link #STUDIES}.
     *
     * @return problem and study names
     */
    public static List<String> available() {
        List<String> out = new ArrayList<>();
        for (ExperimentJob job : ExperimentJobs.all()) {
            if (text(name(job.problem(), false)) != null && text(name(job.problem(), true)) != null) {
                out.add(job.problem());
            }
        }
        for (Study study : STUDIES) {
            if (text(name(study.name(), false)) != null && text(name(study.name(), true)) != null) {
                out.add(study.name());
            }
        }
        return out;
    }

    /**
     * Loads and expands a reproduce spec.
     *
     * @param problem the problem
     * @param quick the quick variant
     * @param root the repository root, where relative {@code configs} paths start
     * @return the sweep
     * @throws ExperimentInputException for a problem this build cannot reproduce, or config files not
     *     found under {@code root}
     */
    public static SweepSpec load(String problem, boolean quick, Path root) {
        String name = name(problem, quick);
        String text = text(name);
        if (text == null) {
            throw new ExperimentInputException("PROBLEM: no experiment to reproduce for '" + problem
                    + "' in this build, expected one of " + String.join(", ", available()));
        }
        try {
            return SweepSpec.parse(text, "reproduce spec " + name, root.toAbsolutePath());
        } catch (ConfigException e) {
            if (SweepSpec.CONFIGS.equals(e.key())) {
                throw new ConfigException(e.key(), e.getMessage()
                        + "; run it from the repository root, where configs/ is", e);
            }
            throw e;
        }
    }

    /** Seeds of {@link #problemFile}: the full protocol. */
    public static final int PROBLEM_FILE_SEEDS = 10;
    /** Seeds of {@link #problemFile} with {@code quick}. */
    public static final int PROBLEM_FILE_QUICK_SEEDS = 3;
    /** The most seeds {@link #problemFile} accepts. */
    public static final int MAX_SEEDS = 100_000;

    /**
     * The sweep behind {@code bilevel reproduce --problem FILE.json}: every method that applies to the file's kind
     * (or the ones named), each at the {@code problem-file} job's defaults, over seeds {@code 0 … N−1}
     * ({@value #PROBLEM_FILE_SEEDS}; {@value #PROBLEM_FILE_QUICK_SEEDS} with {@code quick}). The spec's text,
     * written to the sweep's {@code sweep.yaml}, names the file by its absolute path, so it is an ordinary spec
     * that {@code bilevel sweep} runs again from anywhere.
     *
     * @param file the problem file (relative: to the working directory)
     * @param quick fewer seeds
     * @param seeds the number of seeds, or {@code null} for the default of {@code quick}
     * @param methods the methods, or {@code null} for every one that applies
     * @return the sweep
     * @throws ExperimentInputException naming {@code --seeds} or {@code --methods} for a bad value
     * @throws dev.bilevel.problems.json.ProblemFileException for a file that is not a valid problem
     */
    public static SweepSpec problemFile(Path file, boolean quick, Integer seeds, List<String> methods) {
        Path absolute = Path.of(InputFile.resolve(file.toString(), Path.of(""), "--problem"));
        TabularProblem problem = ProblemFileJob.readProblem(file);
        List<String> applicable = ProblemFileJob.methodsFor(problem);
        String kind = problem instanceof MarkovGameProblem ? "markov-game" : "configurable-mdp";
        int n = seeds != null ? seeds : quick ? PROBLEM_FILE_QUICK_SEEDS : PROBLEM_FILE_SEEDS;
        if (n < 1 || n > MAX_SEEDS) {
            throw new ExperimentInputException("--seeds: " + n + " is outside [1, " + MAX_SEEDS + "]");
        }
        List<String> chosen = methods == null ? applicable : new ArrayList<>();
        if (methods != null) {
            if (methods.isEmpty()) {
                throw new ExperimentInputException("--methods: give at least one method");
            }
            for (String m : methods) {
                String name = m.strip();
                if (!ProblemFileJob.METHODS.contains(name)) {
                    throw new ExperimentInputException("--methods: unknown method '" + name + "', expected one of "
                            + String.join(", ", applicable));
                }
                if (!applicable.contains(name)) {
                    throw new ExperimentInputException("--methods: '" + name + "' does not apply to a " + kind
                            + " problem file, expected one of " + String.join(", ", applicable));
                }
                if (chosen.contains(name)) {
                    throw new ExperimentInputException("--methods: '" + name + "' is listed twice");
                }
                chosen.add(name);
            }
        }
        String name = absolute.getFileName() == null ? absolute.toString() : absolute.getFileName().toString();
        String text = "# bilevel reproduce --problem " + name + (quick ? " --quick" : "") + ": "
                + (methods == null ? "every method that applies to a " + kind + " problem file" : "the methods named")
                + ",\n# each at the problem-file defaults (bilevel run --problem FILE --list-keys), seeds 0 to "
                + (n - 1) + ".\n"
                + "title: " + quoted(name + ": " + chosen.size() + " method" + (chosen.size() == 1 ? "" : "s")
                        + " × " + n + " seed" + (n == 1 ? "" : "s")) + "\n"
                + "problem: problem-file\n"
                + "file: " + quoted(absolute.toString()) + "\n"
                + "method: [" + String.join(", ", chosen) + "]\n"
                + "seeds: " + n + "\n";
        return SweepSpec.parse(text, "reproduce --problem " + file, Path.of(""));
    }

    /** A YAML double-quoted scalar. */
    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String text(String name) {
        try (InputStream in = ReproduceSpecs.class.getResourceAsStream(DIR + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
