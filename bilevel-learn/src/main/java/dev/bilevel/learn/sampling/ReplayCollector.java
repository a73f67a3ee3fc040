package dev.bilevel.learn.sampling;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.FollowerResponse;
import dev.bilevel.learn.loop.Sampler;
import java.util.Objects;

/**
 * The environment of a Markov game as the loop drives it (reference-markov-game.md §3.1): each iteration plays
 * a number of episodes with the current policies into the replay buffer, the leader acting at random while the
 * total step count is at most {@code exploreSteps} (the reference's {@code <=}).
 *
 * @param <D> the leader's policy
 * @param <R> the follower's response
 * @param <B> the replay buffer, whose contents a checkpoint saves
 */
public final class ReplayCollector<D, R extends FollowerResponse, B extends Stateful>
        implements Sampler<D, R, Replay<B>>, Stateful {

    /** Plays episodes with both policies (the game's episode sampler). */
    @FunctionalInterface
    public interface Player<D, R, B> {
        /**
         * @param leader the leader's policy
         * @param follower the follower's response
         * @param exploreLeader draw the leader's actions at random instead
         * @param episodes episodes to play
         * @param buffer receives every transition
         * @param returns receives four returns per episode
         * @param rng the random stream
         * @return the number of steps played
         */
        int play(D leader, R follower, boolean exploreLeader, int episodes, B buffer, double[] returns,
                SplitMixRandom rng);
    }

    private final Player<D, R, B> player;
    private final B buffer;
    private final int episodes;
    private final long exploreSteps;
    private long totalSteps;

    /**
     * @param player the game's episode sampler
     * @param buffer the replay buffer the episodes go into
     * @param episodes episodes per iteration, ≥ 1
     * @param exploreSteps random leader actions while the total steps are {@code ≤} this ({@code −1}: never)
     */
    public ReplayCollector(Player<D, R, B> player, B buffer, int episodes, long exploreSteps) {
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes per iteration must be ≥ 1, got " + episodes);
        }
        this.player = Objects.requireNonNull(player, "player");
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        this.episodes = episodes;
        this.exploreSteps = exploreSteps;
    }

    /** Its step count and its buffer's state. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("ReplayCollector").writeLong(totalSteps);
        buffer.saveState(out);
    }

    @Override
    public void restoreState(StateReader in) {
        totalSteps = in.begin("ReplayCollector").readLong();
        buffer.restoreState(in);
    }

    @Override
    public Replay<B> sample(D decision, R response, SplitMixRandom rng) {
        boolean explore = exploreSteps >= 0 && totalSteps <= exploreSteps;
        double[] returns = new double[4 * episodes];
        totalSteps += player.play(decision, response, explore, episodes, buffer, returns, rng);
        return new Replay<>(buffer, returns, explore, totalSteps);
    }
}
