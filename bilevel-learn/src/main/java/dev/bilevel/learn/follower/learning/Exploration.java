package dev.bilevel.learn.follower.learning;

/**
 * A learning follower's exploration schedule: the probability {@code ε} that it tries a uniformly random action,
 * falling linearly from {@code start} to {@code end} over its first {@code steps} environment steps, then staying at
 * {@code end} ({@code steps = 0}: {@code start} throughout).
 *
 * @param start {@code ε} at the first step, in {@code [0, 1]}
 * @param end {@code ε} from step {@code steps} on, in {@code [0, 1]} (unused when {@code steps = 0})
 * @param steps the length of the decay, ≥ 0
 */
public record Exploration(double start, double end, long steps) {

    /**
     * @throws IllegalArgumentException naming the config key, unless both probabilities are in {@code [0, 1]} and
     *     {@code steps ≥ 0}
     */
    public Exploration {
        if (!(start >= 0.0 && start <= 1.0)) {
            throw new IllegalArgumentException("follower.exploration: must be in [0, 1], got " + start);
        }
        if (!(end >= 0.0 && end <= 1.0)) {
            throw new IllegalArgumentException("follower.exploration_final: must be in [0, 1], got " + end);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("follower.exploration_steps: must be ≥ 0, got " + steps);
        }
    }

    /**
     * The same {@code ε} at every step.
     *
     * @param epsilon the probability of a uniformly random action, in {@code [0, 1]}
     * @return the schedule
     */
    public static Exploration constant(double epsilon) {
        return new Exploration(epsilon, epsilon, 0);
    }

    /**
     * {@code ε} after {@code step} environment steps.
     *
     * @param step the follower's steps so far, ≥ 0
     * @return the probability of a uniformly random action
     */
    public double at(long step) {
        if (steps == 0) {
            return start;
        }
        if (step >= steps) {
            return end;
        }
        return start + (end - start) * ((double) step / steps);
    }
}
