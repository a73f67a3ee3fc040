/**
 * The static HTML report of a sweep ({@link dev.bilevel.experiments.report.Report}): results beside the
 * paper, learning curves with mean ± SE bands, and per-problem figures
 * ({@link dev.bilevel.experiments.report.ProblemFigures}; FourRooms incentive heat-maps with the
 * follower's greedy path, {@link dev.bilevel.experiments.report.FourRoomsFigures}).
 */
package dev.bilevel.experiments.report;
