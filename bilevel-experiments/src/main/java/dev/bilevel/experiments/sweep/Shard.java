package dev.bilevel.experiments.sweep;

import dev.bilevel.experiments.ExperimentInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * One of {@code count} disjoint parts of a sweep, for job arrays on a cluster scheduler: shard
 * {@code i/n} (1-based) holds the trials at positions {@code i−1, i−1+n, i−1+2n, …} of the sweep's grid
 * order. The parts are deterministic, cover every trial exactly once, differ in size by at most one, and
 * mix settings and seeds, so the shards take about equally long.
 *
 * @param index which part, {@code 1 … count}
 * @param count how many parts
 */
public record Shard(int index, int count) {

    /** The whole sweep. */
    public static final Shard ALL = new Shard(1, 1);

    /** Checks {@code 1 ≤ index ≤ count}. */
    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": need 1 ≤ i ≤ n");
        }
    }

    /**
     * Parses {@code i/n}.
     *
     * @param text e.g. {@code 2/8}
     * @param option the option name for messages ({@code --shard})
     * @return the shard
     * @throws ExperimentInputException one line naming the option
     */
    public static Shard parse(String text, String option) {
        String[] parts = text.strip().split("/", -1);
        try {
            if (parts.length == 2) {
                int i = Integer.parseInt(parts[0].strip());
                int n = Integer.parseInt(parts[1].strip());
                if (n >= 1 && i >= 1 && i <= n) {
                    return new Shard(i, n);
                }
                throw new ExperimentInputException(option + ": " + text + " is not a shard; i must be in 1.." + n
                        + " in i/n");
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new ExperimentInputException(option + ": expected i/n with 1 ≤ i ≤ n (e.g. 2/8), got '" + text + "'");
    }

    /**
     * This shard's part of a list.
     *
     * @param all the whole sweep, in grid order
     * @param <T> element type
     * @return the elements at positions {@code index−1 (mod count)}
     */
    public <T> List<T> select(List<T> all) {
        List<T> mine = new ArrayList<>();
        for (int i = index - 1; i < all.size(); i += count) {
            mine.add(all.get(i));
        }
        return mine;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
