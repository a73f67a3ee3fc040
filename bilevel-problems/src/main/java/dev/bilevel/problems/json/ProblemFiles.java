package dev.bilevel.problems.json;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads and writes tabular problem files: JSON documents of kind {@code configurable-mdp} or
 * {@code markov-game}, documented in {@code docs/problem-files.md}.
 *
 * <p>Reading validates everything (shapes, probabilities within {@code 1e-9}, discounts, temperature,
 * unknown fields) and reports the first problem as a {@link ProblemFileException} whose single-line
 * message names the field by its JSON path, for example
 * {@code transitions[3][1]: probabilities sum to 0.9, expected 1}. Writing produces the same format,
 * with numbers that parse back to identical doubles, so {@code parse(write(p))} is the same model as
 * {@code p}.
 * All methods are thread-safe.
 */
public final class ProblemFiles {

    private ProblemFiles() {
    }

    /**
     * Reads a problem file (UTF-8, an optional byte-order mark is ignored).
     *
     * @throws ProblemFileException if the file cannot be read or its content is not a valid problem
     */
    public static TabularProblem read(Path file) {
        Objects.requireNonNull(file, "file");
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ProblemFileException("cannot read problem file " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new ProblemFileException("cannot read problem file " + file + ": permission denied", e);
        } catch (CharacterCodingException e) {
            throw new ProblemFileException("cannot read problem file " + file + ": not valid UTF-8", e);
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (Files.isDirectory(file)) {
                reason = "is a directory";
            }
            throw new ProblemFileException("cannot read problem file " + file + ": " + reason, e);
        }
        return parse(json);
    }

    /**
     * Parses a problem from JSON text.
     *
     * @throws ProblemFileException if the text is not valid JSON or not a valid problem
     */
    public static TabularProblem parse(String json) {
        Objects.requireNonNull(json, "json");
        return ProblemParser.parse(json);
    }

    /**
     * The problem in the file format, ending with a newline: fields in the documented order,
     * {@code terminal} as one boolean per state, {@code leaderFeatures} only when the leader's reward
     * depends on {@code x}, {@code followerOperator} always.
     *
     * @throws IllegalArgumentException if the problem cannot be represented in the format: a
     *     configurable MDP whose rewards are not {@link dev.bilevel.core.cmdp.LinearFeatureReward}s, or
     *     a non-finite reward or feature
     */
    public static String write(TabularProblem problem) {
        Objects.requireNonNull(problem, "problem");
        return ProblemWriter.write(problem);
    }
}
