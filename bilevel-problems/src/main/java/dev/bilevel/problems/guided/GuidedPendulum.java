package dev.bilevel.problems.guided;

import dev.bilevel.core.game.ContinuousMarkovGame;
import dev.bilevel.core.random.SplitMixRandom;

/**
 * GuidedPendulum (reference-markov-game.md §1.5): the classic pendulum swing-up, whose torque
 * {@code u ∈ [−2, 2]} the follower applies, while the leader blows a wind {@code a_L ∈ [−1, 1]} that adds
 * {@code 2·w·a_L·cos²θ} to the angular acceleration ({@code w}, the wind's magnitude, is 1). The state, which both
 * agents observe, is the reference's observation {@code [cos θ, sin θ, θ̇]} (the angle enters the dynamics and the
 * rewards only through it). Per step of {@code dt = 0.05}, with {@code g = 10}, {@code m = l = 1}:
 * {@code θ̇' = clip(θ̇ + (−(3g/2l)·sin(θ + π) + 3u/(ml²) + 2·w·a_L·cos²θ)·dt, ±8)}, {@code θ' = θ + θ̇'·dt} (with the
 * unclipped {@code θ̇'}, as the reference). The follower earns {@code −(θ̂² + 0.1·θ̇² + 0.001·u²)}, {@code θ̂} the angle
 * in {@code [−π, π)}; the leader earns {@code min(sin(θ + π), 0)}, below zero while the pendulum leans left. Both
 * are paid on the state before the step. Resets {@code θ ~ U[−π, π]}, {@code θ̇ ~ U[−1, 1]}; episodes of 200 steps,
 * never terminal. Actions are clipped to their boxes, as the reference does.
 */
public final class GuidedPendulum implements ContinuousMarkovGame {

    /** The registered episode length. */
    public static final int HORIZON = 200;

    /** The follower's torque bound. */
    public static final double MAX_TORQUE = 2.0;

    private static final double MAX_SPEED = 8.0;
    private static final double DT = 0.05;
    private static final double G = 10.0;

    private final double wind;

    /**
     * @param wind the wind's magnitude {@code w} (the registered {@code GuidedPendulum-v0}: 1)
     */
    public GuidedPendulum(double wind) {
        if (!Double.isFinite(wind)) {
            throw new IllegalArgumentException("need a finite wind, got " + wind);
        }
        this.wind = wind;
    }

    /** {@code GuidedPendulum-v0}. */
    public static GuidedPendulum v0() {
        return new GuidedPendulum(1.0);
    }

    @Override
    public int stateDimension() {
        return 3;
    }

    @Override
    public int leaderActionDimension() {
        return 1;
    }

    @Override
    public int followerActionDimension() {
        return 1;
    }

    @Override
    public void reset(SplitMixRandom rng, double[] out, int offset) {
        double theta = Math.PI * (2.0 * rng.nextDouble() - 1.0);
        out[offset] = Math.cos(theta);
        out[offset + 1] = Math.sin(theta);
        out[offset + 2] = 2.0 * rng.nextDouble() - 1.0;
    }

    @Override
    public void step(double[] x, int xOffset, double[] leaderAction, int leaderOffset, double[] followerAction,
            int followerOffset, SplitMixRandom rng, double[] next, int nextOffset) {
        double cos = x[xOffset];
        double sin = x[xOffset + 1];
        double omega = x[xOffset + 2];
        double theta = Math.atan2(sin, cos);
        double u = Math.max(-MAX_TORQUE, Math.min(MAX_TORQUE, followerAction[followerOffset]));
        double windAcc = Math.max(-1.0, Math.min(1.0, leaderAction[leaderOffset])) * wind * 2.0 * cos * cos;
        double newOmega = omega + (-1.5 * G * -sin + 3.0 * u + windAcc) * DT;
        double newTheta = theta + newOmega * DT;
        next[nextOffset] = Math.cos(newTheta);
        next[nextOffset + 1] = Math.sin(newTheta);
        next[nextOffset + 2] = Math.max(-MAX_SPEED, Math.min(MAX_SPEED, newOmega));
    }

    /** {@code min(sin(θ + π), 0) = min(−sin θ, 0)}. */
    @Override
    public double leaderReward(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            double[] followerAction, int followerOffset) {
        return Math.min(-x[xOffset + 1], 0.0);
    }

    /** {@code −(θ̂² + 0.1·θ̇² + 0.001·u²)}, {@code u} clipped. */
    @Override
    public double followerReward(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            double[] followerAction, int followerOffset) {
        double theta = Math.atan2(x[xOffset + 1], x[xOffset]);
        double omega = x[xOffset + 2];
        double u = Math.max(-MAX_TORQUE, Math.min(MAX_TORQUE, followerAction[followerOffset]));
        return -(theta * theta + 0.1 * omega * omega + 0.001 * u * u);
    }
}
