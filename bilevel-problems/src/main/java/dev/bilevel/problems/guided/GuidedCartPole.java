package dev.bilevel.problems.guided;

import dev.bilevel.core.game.ContinuousMarkovGame;
import dev.bilevel.core.random.SplitMixRandom;

/**
 * GuidedCartPole (reference-markov-game.md §1.4): the classic cart-pole, whose cart the follower pushes with force
 * {@code 10·a_F}, {@code a_F ∈ [−1, 1]}, while the leader blows a wind {@code a_L ∈ [−1, 1]} on the pole. The wind
 * adds {@code 20·w·a_L·cos²θ} to the pole's angular acceleration ({@code w}, the wind's magnitude, is 1) and nothing
 * to the cart's. The state, which both agents observe, is {@code [x, ẋ, θ, θ̇]}; Euler steps of {@code τ = 0.02};
 * resets uniform in ±0.05 on every coordinate. The follower earns 1 for every step of the pole up; the leader earns 1
 * for every step that ends with the cart in its target interval ({@code (−0.25, 0.25)} in v0, {@code (0.25, 0.75)}
 * in v1). Episodes of 200 steps.
 *
 * <p><b>Termination,</b> in this library's convention (a terminal state ends the episode after a step taken in it,
 * without bootstrapping): a state with {@code |x| > 2.4} or {@code |θ| > 12°} is terminal, and the step taken in it
 * pays neither agent. The step that leaves the bounds is paid as in the reference, so every episode's returns are
 * the reference's; the episode is one (unpaid) step longer.
 *
 * <p>Actions outside {@code [−1, 1]} are clipped (the reference asserts they are not).
 */
public final class GuidedCartPole implements ContinuousMarkovGame {

    /** The registered episode length. */
    public static final int HORIZON = 200;

    private static final double GRAVITY = 9.8;
    private static final double CART_MASS = 1.0;
    private static final double POLE_MASS = 0.1;
    private static final double TOTAL_MASS = CART_MASS + POLE_MASS;
    private static final double HALF_LENGTH = 0.5;
    private static final double POLE_MASS_LENGTH = POLE_MASS * HALF_LENGTH;
    private static final double FORCE = 10.0;
    private static final double TAU = 0.02;
    private static final double THETA_LIMIT = 12 * 2 * Math.PI / 360;
    private static final double X_LIMIT = 2.4;

    private final double targetLow;
    private final double targetHigh;
    private final double wind;
    private final double[] scratch = new double[4];

    /**
     * @param targetLow the lower end of the leader's target interval of {@code x} (exclusive)
     * @param targetHigh the upper end (exclusive)
     * @param wind the wind's magnitude {@code w}
     */
    public GuidedCartPole(double targetLow, double targetHigh, double wind) {
        if (!(targetLow < targetHigh) || !Double.isFinite(wind)) {
            throw new IllegalArgumentException("need a target interval low < high and a finite wind, got ("
                    + targetLow + ", " + targetHigh + ") and " + wind);
        }
        this.targetLow = targetLow;
        this.targetHigh = targetHigh;
        this.wind = wind;
    }

    /** {@code GuidedCartPole-v0}: the target {@code (−0.25, 0.25)}, the centre. */
    public static GuidedCartPole v0() {
        return new GuidedCartPole(-0.25, 0.25, 1.0);
    }

    /** {@code GuidedCartPole-v1}: the target {@code (0.25, 0.75)}, right of the centre. */
    public static GuidedCartPole v1() {
        return new GuidedCartPole(0.25, 0.75, 1.0);
    }

    @Override
    public int stateDimension() {
        return 4;
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
        for (int i = 0; i < 4; i++) {
            out[offset + i] = -0.05 + 0.1 * rng.nextDouble();
        }
    }

    @Override
    public void step(double[] x, int xOffset, double[] leaderAction, int leaderOffset, double[] followerAction,
            int followerOffset, SplitMixRandom rng, double[] next, int nextOffset) {
        if (isTerminal(x, xOffset)) {
            System.arraycopy(x, xOffset, next, nextOffset, 4);
            return;
        }
        double position = x[xOffset];
        double velocity = x[xOffset + 1];
        double theta = x[xOffset + 2];
        double omega = x[xOffset + 3];
        double force = FORCE * clip(followerAction[followerOffset]);
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double temp = (force + POLE_MASS_LENGTH * omega * omega * sin) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sin - cos * temp)
                / (HALF_LENGTH * (4.0 / 3.0 - POLE_MASS * cos * cos / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
        // the wind pushes the pole only, after the cart's acceleration: torque (a_L·2l·cosθ·w)·cosθ·l on m_p·l²
        double windEffect = clip(leaderAction[leaderOffset]) * HALF_LENGTH * 2 * cos * wind;
        thetaAcc += windEffect * cos * HALF_LENGTH / (POLE_MASS_LENGTH * HALF_LENGTH);
        next[nextOffset] = position + TAU * velocity;
        next[nextOffset + 1] = velocity + TAU * xAcc;
        next[nextOffset + 2] = theta + TAU * omega;
        next[nextOffset + 3] = omega + TAU * thetaAcc;
    }

    /** 1 if the step from {@code x} ends with the cart in the target interval, else 0; 0 in a terminal state. */
    @Override
    public double leaderReward(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            double[] followerAction, int followerOffset) {
        if (isTerminal(x, xOffset)) {
            return 0.0;
        }
        step(x, xOffset, leaderAction, leaderOffset, followerAction, followerOffset, null, scratch, 0);
        return scratch[0] > targetLow && scratch[0] < targetHigh ? 1.0 : 0.0;
    }

    /** 1 for a step taken with the pole up and the cart on the track; 0 in a terminal state. */
    @Override
    public double followerReward(double[] x, int xOffset, double[] leaderAction, int leaderOffset,
            double[] followerAction, int followerOffset) {
        return isTerminal(x, xOffset) ? 0.0 : 1.0;
    }

    /** The cart off the track ({@code |x| > 2.4}) or the pole down ({@code |θ| > 12°}). */
    @Override
    public boolean isTerminal(double[] x, int xOffset) {
        return Math.abs(x[xOffset]) > X_LIMIT || Math.abs(x[xOffset + 2]) > THETA_LIMIT;
    }

    private static double clip(double a) {
        return Math.max(-1.0, Math.min(1.0, a));
    }
}
