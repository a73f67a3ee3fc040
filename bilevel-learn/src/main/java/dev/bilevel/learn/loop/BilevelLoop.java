package dev.bilevel.learn.loop;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.FollowerResponse;
import java.util.Objects;

/**
 * The one bi-level training loop, for every problem family: <em>respond → sample → learn (critic → estimate →
 * optimise) → respond → listener</em>.
 *
 * <pre>
 * r₀ = follower.initialResponse(d₀)
 * for t = 0 … T−1:
 *     data   = sampler.sample(d_t, r_t)
 *     report = leader.learn(data, r_t)          d_{t+1} = leader.decision()
 *     r_{t+1} = follower.respond(d_{t+1})
 *     listener.onIteration(t, d_t, r_t, data, report, d_{t+1}, r_{t+1})
 * </pre>
 *
 * The leader sees the follower only through its responses; whatever a metric needs beyond them (the exact
 * leader value, a solver's iteration count) is the business of the listener, which the experiments layer plugs
 * in. The loop writes nothing and draws nothing itself: the sampler and the leader get their own random streams,
 * so a run's numbers depend only on its seed.
 *
 * @param <D> the leader's decision
 * @param <R> the follower's response
 * @param <B> one iteration's data
 * @param <U> the leader's update report
 */
public final class BilevelLoop<D, R extends FollowerResponse, B, U> {

    /** Receives every iteration. */
    @FunctionalInterface
    public interface Listener<D, R, B, U> {
        /**
         * @param step the iteration
         * @throws ArithmeticException to stop the run (a diverged metric); earlier iterations were delivered
         */
        void onIteration(Step<D, R, B, U> step);

        /**
         * Called in each iteration after the leader's update and before the follower responds to it: the one
         * moment when the follower's state alone determines the response to come, so that a checkpoint taken
         * here can rebuild that response by asking a restored follower again ({@link #run(int, int,
         * SplitMixRandom, SplitMixRandom, Listener)}).
         *
         * @param iteration the iteration
         */
        default void beforeResponse(int iteration) {
        }
    }

    private final Follower<D, R> follower;
    private final Sampler<D, R, B> sampler;
    private final Leader<D, R, B, U> leader;

    /**
     * @param follower the follower (a planner, a learner, a proxy)
     * @param sampler the environment
     * @param leader the leader
     */
    public BilevelLoop(Follower<D, R> follower, Sampler<D, R, B> sampler, Leader<D, R, B, U> leader) {
        this.follower = Objects.requireNonNull(follower, "follower");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.leader = Objects.requireNonNull(leader, "leader");
    }

    /**
     * Runs {@code iterations} outer iterations.
     *
     * @param sampling the environment's stream
     * @param learning the leader's stream (may be the same object as {@code sampling}, as in the reference's
     *     game loops, where one stream serves both)
     * @throws ArithmeticException when the follower, the leader or a listener reports divergence; the iterations
     *     before were delivered
     */
    public void run(int iterations, SplitMixRandom sampling, SplitMixRandom learning,
            Listener<D, R, B, U> listener) {
        run(0, iterations, sampling, learning, listener);
    }

    /**
     * Runs outer iterations {@code start … iterations−1}. From {@code start > 0} it continues a run whose leader,
     * sampler, streams and follower were restored to their state in iteration {@code start − 1} (the follower's
     * as of {@link Listener#beforeResponse}): the follower is asked again for its response to the leader's
     * decision, and the run goes on as if it had never stopped.
     *
     * @param start the first iteration to run
     * @param iterations where to stop
     * @param sampling the environment's stream
     * @param learning the leader's stream
     * @param listener receives every iteration
     * @throws ArithmeticException when the follower, the leader or a listener reports divergence
     */
    public void run(int start, int iterations, SplitMixRandom sampling, SplitMixRandom learning,
            Listener<D, R, B, U> listener) {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be ≥ 0, got " + iterations);
        }
        if (start < 0 || start > iterations) {
            throw new IllegalArgumentException("the first iteration must be in [0, " + iterations + "], got " + start);
        }
        D decision = leader.decision();
        R response;
        try {
            response = start == 0 ? follower.initialResponse(decision) : follower.respond(decision);
        } catch (ArithmeticException e) {
            throw new ArithmeticException((start == 0 ? "before training: " : "after the leader update of iteration "
                    + (start - 1) + ": ") + e.getMessage());
        }
        for (int t = start; t < iterations; t++) {
            B data = sampler.sample(decision, response, sampling);
            U update;
            try {
                update = leader.learn(data, response, learning);
            } catch (ArithmeticException e) {
                throw new ArithmeticException("in the leader update of iteration " + t + ": " + e.getMessage());
            }
            D next = leader.decision();
            listener.beforeResponse(t);
            R nextResponse;
            try {
                nextResponse = follower.respond(next);
            } catch (ArithmeticException e) {
                throw new ArithmeticException("after the leader update of iteration " + t + ": " + e.getMessage());
            }
            listener.onIteration(new Step<>(t, decision, response, data, update, next, nextResponse));
            decision = next;
            response = nextResponse;
        }
    }
}
