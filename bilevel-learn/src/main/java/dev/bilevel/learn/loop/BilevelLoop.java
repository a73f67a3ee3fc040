package dev.bilevel.learn.loop;

import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.FollowerResponse;
import java.util.Objects;
import java.util.SplittableRandom;

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
    public void run(int iterations, SplittableRandom sampling, SplittableRandom learning,
            Listener<D, R, B, U> listener) {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be ≥ 0, got " + iterations);
        }
        D decision = leader.decision();
        R response;
        try {
            response = follower.initialResponse(decision);
        } catch (ArithmeticException e) {
            throw new ArithmeticException("before training: " + e.getMessage());
        }
        for (int t = 0; t < iterations; t++) {
            B data = sampler.sample(decision, response, sampling);
            U update;
            try {
                update = leader.learn(data, response, learning);
            } catch (ArithmeticException e) {
                throw new ArithmeticException("in the leader update of iteration " + t + ": " + e.getMessage());
            }
            D next = leader.decision();
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
