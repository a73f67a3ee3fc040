/** Checkpoint state of the learners' shared parts: networks and their optimisers. */
package dev.bilevel.learn.state;
