package dev.bilevel.experiments.lqrgame;

import dev.bilevel.core.lqr.LeaderAwareLqrProblem;
import dev.bilevel.core.lqr.LeaderAwareLqrSolution;
import dev.bilevel.core.lqr.LeaderAwareMaxEntLqr;
import dev.bilevel.core.math.Vectors;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import dev.bilevel.experiments.config.Identifiers;
import dev.bilevel.experiments.evaluate.GaussianGameEvaluator;
import dev.bilevel.learn.critic.LeaderQFunction;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.follower.GaussianGameResponse;
import dev.bilevel.learn.policy.LinearGaussianPolicy;
import dev.bilevel.learn.sampling.ContinuousReplayBuffer;
import dev.bilevel.learn.sampling.Minibatch;
import dev.bilevel.problems.lqr.LqrGame;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The LQR game's ladder of diagnostics (issue: continuous tasks toward their limits): an estimator whose direct part,
 * response part, or both are replaced by their exact values, so that a run shows what each estimated quantity costs.
 * Privileged, and visible as such where it is built: the exact values come from the model and the follower's
 * Riccati solution, which a decentralized leader does not have.
 *
 * <p>The exact hypergradient is the central difference ({@code h = 10⁻⁵}) in each gain entry of the closed-form
 * expected discounted leader return over an episode ({@link LqrGame#expectedLeaderReturn}, the leader's {@code γ_L}
 * and horizon) with the follower re-solved at {@code K ± h}; its direct part is the same with the follower's solution
 * at {@code K} held fixed, and the response part their difference. Both are scaled by
 * {@code (1 − γ_L)/(1 − γ_L^H)}, the units of a discount-weighted replay minibatch's estimate (as the estimator
 * contract checks), so that an exact part and an estimated part add up in one unit.
 *
 * <p>Every estimate carries the diagnostic {@value #COSINE}: the cosine of the gradient it hands the optimizer (after
 * any replacement) to the exact hypergradient, the per-step accuracy the ladder compares.
 */
final class ExactTerms implements Estimator<LinearGaussianPolicy, GaussianGameResponse,
        Minibatch<ContinuousReplayBuffer, LeaderQFunction>> {

    /** Which parts are exact. */
    enum Rung {
        /** Nothing: the estimator itself, without this wrapper. */
        NONE,
        /** Nothing replaced, but the cosine of the estimate to the exact hypergradient logged. */
        MEASURE,
        /** The whole hypergradient. */
        TOTAL,
        /** The direct part; the response part estimated. */
        DIRECT,
        /** The response part; the direct part estimated. */
        RESPONSE;

        /** Parses a config value ({@code none}, {@code measure}, {@code total}, {@code direct}, {@code response}). */
        static Rung parse(String value, String key) {
            return Identifiers.parse(Rung.class, value, key, "exact terms");
        }
    }

    /** The diagnostic: cosine of the gradient used to the exact hypergradient. */
    static final String COSINE = GaussianGameEvaluator.COSINE;

    private static final double STEP = 1e-5;

    private final Estimator<LinearGaussianPolicy, GaussianGameResponse,
            Minibatch<ContinuousReplayBuffer, LeaderQFunction>> estimated;
    private final Rung rung;
    private final LqrGame game;
    private final LeaderAwareLqrProblem followerModel;
    private final LeaderAwareMaxEntLqr solver;
    private final double discount;
    private final int horizon;
    private final double scale;

    /**
     * @param estimated the decentralized estimator whose parts are replaced
     * @param rung which parts are exact (not {@link Rung#NONE})
     * @param game the game, for the closed-form return
     * @param followerModel the follower's model, to re-solve it
     * @param solver the follower's solver
     * @param discount the leader's {@code γ_L}
     * @param horizon the episode length
     */
    ExactTerms(Estimator<LinearGaussianPolicy, GaussianGameResponse,
            Minibatch<ContinuousReplayBuffer, LeaderQFunction>> estimated, Rung rung, LqrGame game,
            LeaderAwareLqrProblem followerModel, LeaderAwareMaxEntLqr solver, double discount, int horizon) {
        if (rung == Rung.NONE) {
            throw new IllegalArgumentException("exact terms: nothing to replace");
        }
        this.estimated = Objects.requireNonNull(estimated, "estimated");
        this.rung = rung;
        this.game = game;
        this.followerModel = followerModel;
        this.solver = solver;
        this.discount = discount;
        this.horizon = horizon;
        this.scale = (1 - discount) / (1 - Math.pow(discount, horizon));
    }

    /** The wrapped estimator's state. */
    @Override
    public void saveState(StateWriter out) {
        estimated.saveState(out);
    }

    @Override
    public void restoreState(StateReader in) {
        estimated.restoreState(in);
    }

    @Override
    public Estimate estimate(Estimation<LinearGaussianPolicy, GaussianGameResponse,
            Minibatch<ContinuousReplayBuffer, LeaderQFunction>> context) {
        Estimate estimate = rung == Rung.TOTAL ? null : estimated.estimate(context);
        double[] gain = context.decision().gain();
        double[] noise = context.decision().noise();
        LeaderAwareLqrSolution follower = solver.solve(followerModel, gain, noise);
        double[] total = new double[gain.length];
        double[] direct = new double[gain.length];
        double[] response = new double[gain.length];
        for (int i = 0; i < gain.length; i++) {
            double[] up = gain.clone();
            double[] down = gain.clone();
            up[i] += STEP;
            down[i] -= STEP;
            total[i] = (game.expectedLeaderReturn(up, noise, solver.solve(followerModel, up, noise), discount,
                    horizon) - game.expectedLeaderReturn(down, noise, solver.solve(followerModel, down, noise),
                    discount, horizon)) / (2 * STEP) * scale;
            direct[i] = (game.expectedLeaderReturn(up, noise, follower, discount, horizon)
                    - game.expectedLeaderReturn(down, noise, follower, discount, horizon)) / (2 * STEP) * scale;
            response[i] = total[i] - direct[i];
        }
        Estimate used = switch (rung) {
            case TOTAL -> new Estimate(direct, response);
            case DIRECT -> new Estimate(direct, estimate.response(), estimate.diagnostics());
            case RESPONSE -> new Estimate(estimate.direct(), response, estimate.diagnostics());
            case MEASURE -> estimate;
            case NONE -> throw new IllegalStateException("unreachable");
        };
        Map<String, Double> diagnostics = new LinkedHashMap<>(used.diagnostics());
        diagnostics.put(COSINE, Vectors.cosine(used.gradient(), total));
        return new Estimate(used.direct(), used.response(), diagnostics);
    }
}
