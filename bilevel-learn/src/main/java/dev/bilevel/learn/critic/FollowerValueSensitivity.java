package dev.bilevel.learn.critic;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.core.state.Stateful;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import java.util.Arrays;

/**
 * The follower's sensitivity to the leader's gain, {@code ∇_K Q_F(x, a_L, a_F) = γ_F·Ψ(x')}, from the follower's
 * observed soft value and one batch of transitions, for BC-HG's response term without the score-function sum of
 * the reference's influence. By the envelope theorem (the follower's policy is optimal, so its own change does
 * not move its value to first order) the sensitivity {@code Ψ(x) = ∇_K V_F(x)} of the follower's value before
 * the leader acts solves
 *
 * <pre>
 * Ψ(x) = c(x) + γ_F·E[Ψ(x')],      c(x) = ∇_K E_{a~π_θ(·|x)} W_F(x, a)   (W_F held fixed)
 * ĉ(x) = (1/S) Σ_s ½(W_F(x, a_s) − W_F(x, 2Kx − a_s))·∇_K log π_θ(a_s|x),   a_s ~ π_θ(·|x)
 * </pre>
 *
 * where {@code W_F(x, a)} is the follower's soft value having seen {@code a} ({@link
 * GaussianGameResponse#softValue}); the mirrored pairs make {@code ĉ} unbiased with a variance that stays
 * bounded as the leader's noise {@code W → 0} (the raw score times {@code W_F} grows like {@code 1/W}). {@code Ψ}
 * is fitted by LSTD with quadratic features ({@link QuadraticTdCritic}), exact in the span for a MaxEnt-LQR
 * follower, whose {@code ∇_K V_F(x) = −(xᵀ(∂P/∂K)x + ∂v/∂K)}. Terminal transitions are left out of the fit (the
 * games this serves never terminate). Scratch grows with the buffer; an instance is single-threaded.
 */
public final class FollowerValueSensitivity implements Stateful {

    private final int n;
    private final int p;
    private final int draws;
    private final double discount;
    private final QuadraticTdCritic fit;
    private final double[] draw;
    private final double[] mirror;
    private final double[] features;
    private double[] inputs = new double[0];
    private double[] rewards = new double[0];
    private int[] successors = new int[0];

    /**
     * @param stateDimension {@code n}
     * @param leaderActionDimension {@code l}
     * @param draws {@code S}, mirrored leader pairs per state
     * @param discount {@code γ_F}, in {@code [0, 1)}
     */
    public FollowerValueSensitivity(int stateDimension, int leaderActionDimension, int draws, double discount) {
        if (draws < 1) {
            throw new IllegalArgumentException("draws must be ≥ 1, got " + draws);
        }
        n = stateDimension;
        p = leaderActionDimension * stateDimension;
        this.draws = draws;
        this.discount = discount;
        fit = new QuadraticTdCritic(n, p, discount);
        draw = new double[leaderActionDimension];
        mirror = new double[leaderActionDimension];
        features = new double[fit.features()];
    }

    /** Its fitted weights. */
    @Override
    public void saveState(StateWriter out) {
        fit.saveState(out);
    }

    @Override
    public void restoreState(StateReader in) {
        fit.restoreState(in);
    }

    /**
     * Fits {@code Ψ̂} to every transition in the buffer.
     *
     * @throws ArithmeticException when the LSTD system is singular
     */
    public void fit(ContinuousReplayBuffer buffer, LinearGaussianPolicy policy, GaussianGameResponse follower,
            SplitMixRandom rng) {
        int size = buffer.size();
        if (successors.length < 2 * size) {
            inputs = new double[2 * size * n];
            rewards = new double[2 * size * p];
            successors = new int[2 * size];
        }
        double[] states = buffer.states();
        double[] next = buffer.nextStates();
        System.arraycopy(states, 0, inputs, 0, size * n);
        System.arraycopy(next, 0, inputs, size * n, size * n);
        Arrays.fill(rewards, 0, 2 * size * p, 0.0);
        Arrays.fill(successors, 0, 2 * size, -1);
        for (int i = 0; i < size; i++) {
            if (!buffer.terminal(i)) {
                successors[i] = size + i;
            }
            for (int s = 0; s < draws; s++) {
                policy.sample(states, i * n, rng, draw, 0);
                policy.mean(states, i * n, mirror, 0);
                for (int k = 0; k < mirror.length; k++) {
                    mirror[k] = 2.0 * mirror[k] - draw[k];
                }
                double difference = follower.softValue(states, i * n, draw, 0)
                        - follower.softValue(states, i * n, mirror, 0);
                policy.accumulateScore(states, i * n, draw, 0, 0.5 * difference / draws, rewards, i * p);
            }
        }
        fit.fitLstd(inputs, successors, rewards, 2 * size);
    }

    /** Writes {@code γ_F·Ψ̂(x)}, the estimate of {@code ∇_K Q_F} at a transition whose successor is {@code x}. */
    public void influence(double[] x, int offset, double[] out) {
        fit.predict(x, offset, features, out);
        for (int k = 0; k < p; k++) {
            out[k] *= discount;
        }
    }
}
