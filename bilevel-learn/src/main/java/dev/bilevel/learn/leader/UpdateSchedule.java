package dev.bilevel.learn.leader;

/**
 * How much a game leader learns per outer iteration: its critic and actor steps, once the buffer holds enough
 * transitions, and one Polyak step of its target networks.
 *
 * @param actorSteps actor steps per iteration, ≥ 0
 * @param criticSteps critic steps per iteration, ≥ 0
 * @param minBufferSize updates start once the buffer holds this many transitions
 * @param targetTau Polyak step of the target networks, once per iteration, in {@code [0, 1]}
 */
public record UpdateSchedule(int actorSteps, int criticSteps, int minBufferSize, double targetTau) {

    /** Checks ranges. */
    public UpdateSchedule {
        if (actorSteps < 0 || criticSteps < 0) {
            throw new IllegalArgumentException("actor and critic steps must be ≥ 0, got " + actorSteps + " and "
                    + criticSteps);
        }
        if (minBufferSize < 0) {
            throw new IllegalArgumentException("minimum buffer size must be ≥ 0, got " + minBufferSize);
        }
        if (!(targetTau >= 0.0 && targetTau <= 1.0)) {
            throw new IllegalArgumentException("target step must be in [0, 1], got " + targetTau);
        }
    }
}
