package dev.bilevel.learn.testing;

import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.cmdp.RewardDesign;
import dev.bilevel.learn.critic.TabularLeaderCritic;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.method.BchgEstimator;
import dev.bilevel.learn.estimator.method.ExactEstimator;
import dev.bilevel.learn.estimator.method.HpgdEstimator;
import dev.bilevel.learn.estimator.method.NaiveEstimator;
import dev.bilevel.learn.estimator.method.SoBiRlEstimator;
import dev.bilevel.learn.estimator.term.Normalization;
import dev.bilevel.learn.estimator.term.RewardDesignTerms;
import dev.bilevel.learn.estimator.term.RewardDesignTerms.Advantage;
import dev.bilevel.learn.estimator.term.RewardDesignTerms.Options;
import dev.bilevel.learn.estimator.term.TabularDirectTerm;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.sampling.TabularBatch;

/** The tabular configurable-MDP estimators, built from their parts, for tests. */
public final class TabularMethods {

    private TabularMethods() {
    }

    /** What the leader of {@code mdp} knows. */
    public static RewardDesign design(ConfigurableMdp mdp) {
        return mdp.rewardDesign();
    }

    /** BC-HG. */
    public static Estimator<double[], TabularResponse, TabularBatch> bchg(ConfigurableMdp mdp,
            TabularLeaderCritic critic, Options options) {
        return new BchgEstimator<>(new RewardDesignTerms(design(mdp), critic, options));
    }

    /** HPGD with the given advantage, normalised by completed episodes (as the reference). */
    public static Estimator<double[], TabularResponse, TabularBatch> hpgd(ConfigurableMdp mdp,
            TabularLeaderCritic critic, Advantage advantage, RewardDesignTerms.OracleAccess oracle,
            TabularDirectTerm direct) {
        return new HpgdEstimator<>(new RewardDesignTerms(design(mdp), critic,
                new Options(false, Normalization.COMPLETED_EPISODES, direct, advantage, oracle)));
    }

    /** HPGD (MC). */
    public static Estimator<double[], TabularResponse, TabularBatch> hpgdMonteCarlo(ConfigurableMdp mdp,
            TabularDirectTerm direct) {
        return hpgd(mdp, null, Advantage.MONTE_CARLO, null, direct);
    }

    /** HPGD (SA) with the given critic. */
    public static Estimator<double[], TabularResponse, TabularBatch> hpgdCritic(ConfigurableMdp mdp,
            TabularLeaderCritic critic, TabularDirectTerm direct) {
        return hpgd(mdp, critic, Advantage.CRITIC, null, direct);
    }

    /** Naive-PGD. */
    public static Estimator<double[], TabularResponse, TabularBatch> naive(ConfigurableMdp mdp,
            TabularDirectTerm direct, Normalization normalization) {
        return new NaiveEstimator<>(new RewardDesignTerms(design(mdp), null,
                new Options(false, normalization, direct, Advantage.MONTE_CARLO, null)));
    }

    /** SoBiRL. */
    public static Estimator<double[], TabularResponse, TabularBatch> sobirl(ConfigurableMdp mdp,
            TabularDirectTerm direct) {
        return new SoBiRlEstimator(design(mdp), direct);
    }

    /** The exact hypergradient at the observed follower policy. */
    public static Estimator<double[], TabularResponse, TabularBatch> exact(ConfigurableMdp mdp) {
        return new ExactEstimator<>((x, response) -> ExactHypergradient.compute(mdp, x, response.policy())
                .gradient());
    }
}
