package dev.bilevel.experiments.sweep;

import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.experiments.config.ConfigException;
import dev.bilevel.experiments.job.ExperimentJob;
import dev.bilevel.experiments.job.ExperimentJobs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sweeps behind {@code bilevel reproduce PROBLEM [--quick]}: the resources
 * {@code dev/bilevel/experiments/reproduce/PROBLEM.yaml} (the paper's full protocol) and
 * {@code PROBLEM-quick.yaml} (fewer seeds or settings, minutes on a laptop). They are ordinary sweep
 * specs; {@code configs} paths in them are relative to the repository root. Adding a problem to
 * {@code reproduce} takes these two files (and a profile for its report, see
 * {@link dev.bilevel.experiments.aggregate.ProblemProfile}).
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
     * The problems this build can reproduce: registered jobs that have both specs.
     *
     * @return problem names
     */
    public static List<String> available() {
        List<String> out = new ArrayList<>();
        for (ExperimentJob job : ExperimentJobs.all()) {
            if (text(name(job.problem(), false)) != null && text(name(job.problem(), true)) != null) {
                out.add(job.problem());
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

    private static String text(String name) {
        try (InputStream in = ReproduceSpecs.class.getResourceAsStream(DIR + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
