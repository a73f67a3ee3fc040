package dev.bilevel.experiments.job;

import dev.bilevel.core.state.Stateful;
import java.util.Objects;

/**
 * What a training job's checkpoint holds, in the two parts the loop needs apart: the follower, saved just before
 * it answers a leader update ({@link dev.bilevel.learn.loop.BilevelLoop.Listener#beforeResponse}), and
 * everything else that changes while the run goes on (the leader with its critic and optimiser, replay buffers,
 * the evaluator's and the job's own random streams), saved after the iteration's row is written. The loop's
 * sampling and learning streams are added by {@link RecordedLoop}.
 *
 * @param follower the follower's state
 * @param others the rest
 */
public record RunState(Stateful follower, Stateful others) {

    /**
     * @throws NullPointerException when a part is missing
     */
    public RunState {
        Objects.requireNonNull(follower, "follower");
        Objects.requireNonNull(others, "others");
    }
}
