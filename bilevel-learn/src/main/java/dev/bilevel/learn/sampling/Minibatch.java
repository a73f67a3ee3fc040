package dev.bilevel.learn.sampling;

/**
 * A minibatch of a replay buffer: the sampled slots, with the leader's critic to evaluate them (a game leader's
 * actor step hands this to its estimator).
 *
 * @param buffer the replay buffer
 * @param indices the sampled slots, {@code count} of them
 * @param count the number of samples
 * @param critic the leader's critic (a value table, or a network)
 * @param <B> the buffer type
 * @param <C> the critic type
 */
public record Minibatch<B, C>(B buffer, int[] indices, int count, C critic) {
}
