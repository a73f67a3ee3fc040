/**
 * Small pure-Java neural networks for reinforcement-learning leaders: fully connected networks on flat
 * {@code double[]} parameter vectors ({@link dev.bilevel.nn.Mlp}), optimisers ({@link dev.bilevel.nn.Adam},
 * {@link dev.bilevel.nn.Sgd}), global-norm gradient clipping and the two usual policy heads
 * ({@link dev.bilevel.nn.CategoricalHead}, {@link dev.bilevel.nn.DiagonalGaussianHead}).
 *
 * <p>All batched arrays are row-major and batch-major: row {@code i} of a {@code [batch][k]} array occupies
 * indices {@code i·k … i·k + k − 1}. Arrays may be longer than needed (workspace-sized); only the leading
 * {@code batch·k} entries are read or written. Nothing on the hot paths (forward, backward, optimiser steps,
 * head computations) allocates.
 */
package dev.bilevel.nn;
