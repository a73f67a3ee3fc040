package dev.bilevel.experiments.method;

import dev.bilevel.core.game.ExactGameHypergradient;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.learn.critic.ExactLeaderCritic;
import dev.bilevel.learn.critic.SarsaCritic;
import dev.bilevel.learn.critic.TabularLeaderCritic;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.method.BchgEstimator;
import dev.bilevel.learn.estimator.method.ExactEstimator;
import dev.bilevel.learn.estimator.method.NaiveEstimator;
import dev.bilevel.learn.estimator.method.ZeroOrderEstimator;
import dev.bilevel.learn.estimator.term.SoftmaxPolicyTerms;
import dev.bilevel.learn.follower.TabularGameResponse;
import dev.bilevel.learn.sampling.TabularBatch;
import java.util.List;

/**
 * Builds the estimators of a tabular softmax leader in a tabular Markov game (a problem file of kind
 * {@code markov-game}) by name. The decision is the leader's logits {@code θ}, row-major {@code [s][b]}.
 */
public final class GameEstimators {

    /** The names, in configs and on the command line. */
    public static final List<String> NAMES = List.of("bchg", "naive", "zero-order", "exact");

    private GameEstimators() {
    }

    /**
     * Builds an estimator.
     *
     * @param name one of {@link #NAMES}
     * @param game the game (the model: only the exact and zero-order estimators use it beyond the leader's own
     *     reward)
     * @param exactCritic BC-HG and Naive-PGD with the model's exact {@code Q_L} instead of SARSA (diagnostics)
     * @param sarsaAlpha SARSA step of the leader's critic, which starts from {@code Q = 0}
     * @param perturbation zero-order constant {@code c}
     * @param field the input field that named it, for the message
     * @throws IllegalArgumentException naming {@code field} for another name
     */
    public static Estimator<double[], TabularGameResponse, TabularBatch> create(String name, MarkovGame game,
            boolean exactCritic, double sarsaAlpha, double perturbation, String field) {
        return switch (name) {
            case "bchg" -> new BchgEstimator<>(terms(game, exactCritic, sarsaAlpha));
            case "naive" -> new NaiveEstimator<>(terms(game, exactCritic, sarsaAlpha));
            case "zero-order" -> new ZeroOrderEstimator<>(logits -> ExactGameHypergradient.objective(game, logits),
                    perturbation);
            case "exact" -> new ExactEstimator<TabularGameResponse, TabularBatch>(
                    (logits, response) -> ExactGameHypergradient.compute(game, logits).gradient());
            default -> throw new IllegalArgumentException(field + ": '" + name + "' does not apply to a Markov game, "
                    + "expected one of " + String.join(", ", NAMES));
        };
    }

    private static SoftmaxPolicyTerms terms(MarkovGame game, boolean exactCritic, double sarsaAlpha) {
        TabularLeaderCritic critic = exactCritic ? new ExactLeaderCritic(game.dynamics())
                : SarsaCritic.zeroInitialized(game.states(), game.leaderActions() * game.followerActions(),
                        sarsaAlpha);
        return new SoftmaxPolicyTerms(game.states(), game.leaderActions(), game.followerActions(),
                game.leaderReward(), game.leaderDiscount(), critic);
    }
}
