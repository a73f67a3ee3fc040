/**
 * Checkpoint state: what a long run's stateful parts (leader, critic, optimiser, follower, replay buffers, random
 * streams) write so that a fresh run built from the same config continues exactly where they stopped.
 */
package dev.bilevel.core.state;
