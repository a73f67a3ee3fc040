package dev.bilevel.experiments.thermal;

import dev.bilevel.core.cmdp.DynamicsDesign;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.experiments.config.Identifiers;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.method.BchgEstimator;
import dev.bilevel.learn.estimator.method.HpgdEstimator;
import dev.bilevel.learn.estimator.method.NaiveEstimator;
import dev.bilevel.learn.estimator.term.DynamicsDesignTerms;
import dev.bilevel.learn.follower.GaussianResponse;
import dev.bilevel.learn.sampling.ContinuousBatch;

/**
 * The leader methods of the thermal experiment, with their config names and the paper's labels. Each is one of
 * the library's estimators over {@link DynamicsDesignTerms}, with the critic the reference gives it.
 */
public enum ThermalMethod {
    /** BC-HG: action-value critic, benefit {@code Q̂ − V̂} times {@code Φ}. */
    BCHG("bchg", "BC-HG"),
    /** Naive-PGD: state-value critic, direct term only. */
    NAIVE("naive", "Naive-PGD"),
    /** HPGD (MC): state-value critic, {@code (Φ − Ψ̂)} times the Monte-Carlo leader return. */
    HPGD_MC("hpgd-mc", "HPGD (MC)"),
    /** HPGD (TD): action-value critic, {@code (Φ − Ψ̂)} times {@code Q̂}. */
    HPGD_TD("hpgd-td", "HPGD (TD)");

    private final String key;
    private final String label;

    ThermalMethod(String key, String label) {
        this.key = key;
        this.label = label;
    }

    /** @return the config name ({@code bchg}, {@code naive}, {@code hpgd-mc}, {@code hpgd-td}) */
    public String key() {
        return key;
    }

    /** @return the paper's legend label */
    public String label() {
        return label;
    }

    /** @return whether the method's critic is an action-value network (with sampled {@code V̂}) */
    public boolean usesQNetwork() {
        return this == BCHG || this == HPGD_TD;
    }

    /**
     * @param name a config name
     * @param field the input field, for the message
     * @return the method
     */
    public static ThermalMethod parse(String name, String field) {
        return Identifiers.parse(values(), ThermalMethod::key, name, field, "method");
    }

    /**
     * The method's estimator.
     *
     * @param design what the leader knows
     * @param options critic protocol and estimator options
     * @param init draws the critics' initial weights
     */
    public Estimator<double[], GaussianResponse, ContinuousBatch> estimator(DynamicsDesign design,
            DynamicsDesignTerms.Options options, SplitMixRandom init) {
        DynamicsDesignTerms.Critic critic = usesQNetwork() ? DynamicsDesignTerms.Critic.ACTION_VALUE
                : DynamicsDesignTerms.Critic.STATE_VALUE;
        boolean hpgd = this == HPGD_MC || this == HPGD_TD;
        DynamicsDesignTerms terms = new DynamicsDesignTerms(design, critic, hpgd, options, init);
        return switch (this) {
            case BCHG -> new BchgEstimator<>(terms);
            case NAIVE -> new NaiveEstimator<>(terms);
            case HPGD_MC, HPGD_TD -> new HpgdEstimator<>(terms);
        };
    }
}
