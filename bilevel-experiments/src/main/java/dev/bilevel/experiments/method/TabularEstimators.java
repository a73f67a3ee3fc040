package dev.bilevel.experiments.method;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.cmdp.RewardDesign;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.learn.critic.ExactLeaderCritic;
import dev.bilevel.learn.critic.SarsaCritic;
import dev.bilevel.learn.critic.SuccessorRepresentation;
import dev.bilevel.learn.critic.TabularLeaderCritic;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.method.BchgEstimator;
import dev.bilevel.learn.estimator.method.ExactEstimator;
import dev.bilevel.learn.estimator.method.HpgdEstimator;
import dev.bilevel.learn.estimator.method.NaiveEstimator;
import dev.bilevel.learn.estimator.method.SoBiRlEstimator;
import dev.bilevel.learn.estimator.method.SuccessorRefinedEstimator;
import dev.bilevel.learn.estimator.method.ZeroOrderEstimator;
import dev.bilevel.learn.estimator.term.Normalization;
import dev.bilevel.learn.estimator.term.RewardDesignTerms;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.sampling.TabularBatch;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Builds the configurable-MDP estimators by name, for configs and the command line. */
public final class TabularEstimators {

    private TabularEstimators() {
    }

    /** The estimators, with their names in configs and on the command line. */
    public enum Kind {
        /** BC-HG. */
        BCHG("bchg"),
        /** BC-HG, then refinement with all-action centring and a successor representation. */
        BCHG_SR("bchg-sr"),
        /** HPGD with Monte-Carlo advantages. */
        HPGD_MC("hpgd-mc"),
        /** HPGD with BC-HG's SARSA critic. */
        HPGD_SARSA("hpgd-sarsa"),
        /** HPGD with an extra reset-anywhere batch. */
        HPGD_ORACLE("hpgd-oracle"),
        /** Direct term only. */
        NAIVE("naive"),
        /** SoBiRL. */
        SOBIRL("sobirl"),
        /** Two-point zero-order estimator on the exact objective. */
        ZERO_ORDER("zero-order"),
        /** The exact hypergradient from the model. */
        EXACT("exact");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The name used in configs and on the command line. */
        public String id() {
            return id;
        }

        /**
         * Whether one estimate from one batch means something on its own: not for {@link #BCHG_SR}, which refines
         * across a run, nor {@link #HPGD_ORACLE}, which needs reset-anywhere access to the environment.
         */
        public boolean oneShot() {
            return this != BCHG_SR && this != HPGD_ORACLE;
        }

        /** Whether the estimator has a SARSA critic (and so a {@code sarsa_alpha}). */
        public boolean usesSarsa() {
            return this == BCHG || this == BCHG_SR || this == HPGD_SARSA;
        }

        /** Parses a name, naming {@code field} in the error. */
        public static Kind parse(String name, String field) {
            return find(name).orElseThrow(() -> new IllegalArgumentException(field + ": unknown estimator '" + name
                    + "', expected one of " + Arrays.stream(values()).map(Kind::id).collect(Collectors.joining(", "))));
        }

        /** The estimator of a name (any case), if there is one. */
        public static Optional<Kind> find(String name) {
            String id = name.toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
        }
    }

    /**
     * How to build an estimator.
     *
     * @param kind which estimator
     * @param exactCritic BC-HG with the model's exact {@code Q_L} instead of SARSA (diagnostics)
     * @param sarsaAlpha SARSA step
     * @param perturbation zero-order constant {@code c}
     * @param episodic one-shot estimates from independent episodes (unbiased options, a SARSA critic
     *     starting from zero) rather than the reference's training-loop options (every-visit averaging,
     *     completed-episode normalisation, a persistent N(0,1)-initialised critic)
     * @param successorStep {@link Kind#BCHG_SR}: TD step of the successor representation
     * @param refineFrom {@link Kind#BCHG_SR}: first iteration of the refinement phase
     */
    public record Settings(Kind kind, boolean exactCritic, double sarsaAlpha, double perturbation, boolean episodic,
            double successorStep, int refineFrom) {

        /** Settings for every estimator but {@link Kind#BCHG_SR}. */
        public Settings(Kind kind, boolean exactCritic, double sarsaAlpha, double perturbation, boolean episodic) {
            this(kind, exactCritic, sarsaAlpha, perturbation, episodic, 0.5, 0);
        }
    }

    /**
     * Builds an estimator for {@code model}.
     *
     * @param oracle reset-anywhere access, required for {@link Kind#HPGD_ORACLE}
     * @param criticInit randomness for the initial SARSA table
     */
    public static Estimator<double[], TabularResponse, TabularBatch> create(ConfigurableMdp model, Settings settings,
            RewardDesignTerms.OracleAccess oracle, SplitMixRandom criticInit) {
        RewardDesign design = model.rewardDesign();
        RewardDesignTerms.Options options = settings.episodic() ? RewardDesignTerms.Options.unbiased()
                : RewardDesignTerms.Options.reference();
        RewardDesignTerms.Options hpgd = options.withNormalization(Normalization.COMPLETED_EPISODES);
        return switch (settings.kind()) {
            case BCHG -> new BchgEstimator<>(new RewardDesignTerms(design, critic(model, settings, criticInit),
                    options));
            case BCHG_SR -> {
                if (settings.episodic()) {
                    throw new IllegalArgumentException("estimator: bchg-sr learns the follower's successor"
                            + " representation across outer iterations and has no one-shot estimate; use bchg");
                }
                yield new SuccessorRefinedEstimator(design, critic(model, settings, criticInit),
                        new SuccessorRepresentation(model.states(), model.actions(), settings.successorStep()),
                        settings.refineFrom());
            }
            case HPGD_MC -> new HpgdEstimator<>(new RewardDesignTerms(design, null,
                    hpgd.withAdvantage(RewardDesignTerms.Advantage.MONTE_CARLO, null)));
            case HPGD_SARSA -> new HpgdEstimator<>(new RewardDesignTerms(design, critic(model, settings, criticInit),
                    hpgd.withAdvantage(RewardDesignTerms.Advantage.CRITIC, null)));
            case HPGD_ORACLE -> {
                if (oracle == null) {
                    throw new IllegalArgumentException("hpgd-oracle needs reset-anywhere rollouts of the problem");
                }
                yield new HpgdEstimator<>(new RewardDesignTerms(design, null,
                        hpgd.withAdvantage(RewardDesignTerms.Advantage.ORACLE, oracle)));
            }
            case NAIVE -> new NaiveEstimator<>(new RewardDesignTerms(design, null, options));
            case SOBIRL -> new SoBiRlEstimator(design, options.direct());
            case ZERO_ORDER -> new ZeroOrderEstimator<>(x -> ExactHypergradient.objective(model, x),
                    settings.perturbation());
            case EXACT -> new ExactEstimator<TabularResponse, TabularBatch>(
                    (x, response) -> ExactHypergradient.compute(model, x, response.policy()).gradient());
        };
    }

    private static TabularLeaderCritic critic(ConfigurableMdp model, Settings settings, SplitMixRandom init) {
        if (settings.exactCritic()) {
            return new ExactLeaderCritic(model.dynamics());
        }
        return settings.episodic() ? SarsaCritic.zeroInitialized(model.states(), model.actions(), settings.sarsaAlpha())
                : new SarsaCritic(model.states(), model.actions(), settings.sarsaAlpha(), init);
    }
}
