package dev.bilevel.problems.json;

import dev.bilevel.core.game.MarkovGame;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Stackelberg Markov game ({@code "kind": "markov-game"}) and the tabular softmax leader's logits
 * {@code θ} at which to evaluate it.
 *
 * <p>The array is copied on construction and by its accessor. {@link #equals} compares the game by
 * identity (core models do not define value equality) and the logits by content; compare
 * {@link ProblemFiles#write} outputs to compare two problems by value.
 *
 * @param game the model
 * @param leaderLogits {@code θ[s][b]} flattened row-major at {@code [s·B + b]}, length
 *     {@code game.tabularLeaderDimension()}, finite; the leader plays {@code softmax(θ[s][·])}
 */
public record MarkovGameProblem(MarkovGame game, double[] leaderLogits) implements TabularProblem {

    /** The {@code "kind"} of this problem type in files. */
    public static final String KIND = "markov-game";

    /**
     * @throws IllegalArgumentException if {@code leaderLogits} does not have {@code S·B} finite entries
     */
    public MarkovGameProblem {
        Objects.requireNonNull(game, "game");
        Objects.requireNonNull(leaderLogits, "leaderLogits");
        if (leaderLogits.length != game.tabularLeaderDimension()) {
            throw new IllegalArgumentException("leaderLogits: expected " + game.tabularLeaderDimension()
                    + " entries (states × leader actions), got " + leaderLogits.length);
        }
        for (int i = 0; i < leaderLogits.length; i++) {
            if (!Double.isFinite(leaderLogits[i])) {
                throw new IllegalArgumentException("leaderLogits[" + i / game.leaderActions() + "]["
                        + i % game.leaderActions() + "]: expected a finite number, got " + leaderLogits[i]);
            }
        }
        leaderLogits = leaderLogits.clone();
    }

    /** A copy of {@code θ}, flattened {@code [s·B + b]}. */
    @Override
    public double[] leaderLogits() {
        return leaderLogits.clone();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int states() {
        return game.states();
    }

    @Override
    public double[] leaderDecision() {
        return leaderLogits.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MarkovGameProblem that && game.equals(that.game)
                && Arrays.equals(leaderLogits, that.leaderLogits);
    }

    @Override
    public int hashCode() {
        return 31 * game.hashCode() + Arrays.hashCode(leaderLogits);
    }

    @Override
    public String toString() {
        return "MarkovGameProblem[states=" + game.states() + ", leaderActions=" + game.leaderActions()
                + ", followerActions=" + game.followerActions() + ", operator=" + game.operator().id() + "]";
    }
}
