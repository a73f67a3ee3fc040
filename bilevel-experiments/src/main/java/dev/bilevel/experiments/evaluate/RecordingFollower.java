package dev.bilevel.experiments.evaluate;

import dev.bilevel.learn.follower.Follower;
import dev.bilevel.learn.follower.FollowerResponse;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A follower seen from the experiments layer: it passes every decision on to the follower it wraps and, right
 * after each answer, records what the metrics need of the follower's internals (a solver's iteration count, its
 * converged answer), keyed by the response. The leader side receives only the responses; the record stays here.
 *
 * @param <D> the decision
 * @param <R> the response
 * @param <S> what is recorded per response
 */
public final class RecordingFollower<D, R extends FollowerResponse, S> implements Follower<D, R> {

    private final Follower<D, R> follower;
    private final BiFunction<D, R, S> probe;
    private final Map<R, S> records = new IdentityHashMap<>();

    /**
     * @param follower the follower
     * @param probe reads what is recorded, called right after each answer with that answer
     */
    public RecordingFollower(Follower<D, R> follower, Function<R, S> probe) {
        this(follower, (decision, response) -> probe.apply(response));
        Objects.requireNonNull(probe, "probe");
    }

    /**
     * @param follower the follower
     * @param probe reads what is recorded, called right after each answer with the decision and that answer
     */
    public RecordingFollower(Follower<D, R> follower, BiFunction<D, R, S> probe) {
        this.follower = Objects.requireNonNull(follower, "follower");
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    @Override
    public R respond(D decision) {
        return record(decision, follower.respond(decision));
    }

    @Override
    public R initialResponse(D decision) {
        return record(decision, follower.initialResponse(decision));
    }

    private R record(D decision, R response) {
        records.put(response, probe.apply(decision, response));
        return response;
    }

    /**
     * What was recorded with {@code response}.
     *
     * @throws IllegalArgumentException when {@code response} was not answered by this follower, or was forgotten
     */
    public S recordOf(R response) {
        S record = records.get(response);
        if (record == null) {
            throw new IllegalArgumentException("no record of this response");
        }
        return record;
    }

    /** Forgets the record of {@code response} (it will not be asked for again). */
    public void forget(R response) {
        records.remove(response);
    }
}
