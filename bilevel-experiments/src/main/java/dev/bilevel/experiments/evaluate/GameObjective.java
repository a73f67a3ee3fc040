package dev.bilevel.experiments.evaluate;

import dev.bilevel.experiments.config.Identifiers;


/** Which evaluation a Markov-game run reports as {@code leader_objective}. */
public enum GameObjective {
    /** Monte-Carlo mean of {@code Σ_t γ_L^t r_L} over the evaluation episodes. */
    MC_DISCOUNTED,
    /** Monte-Carlo mean of {@code Σ_t r_L}. */
    MC_UNDISCOUNTED,
    /** Exact expectation of {@code Σ_{t<H} γ_L^t r_L} under the joint policy. */
    EXACT_DISCOUNTED,
    /** Exact expectation of {@code Σ_{t<H} r_L}. */
    EXACT_UNDISCOUNTED;

    /** The config value. */
    public String id() {
        return Identifiers.of(this);
    }

    /** Whether it needs an exact evaluator. */
    public boolean exact() {
        return this == EXACT_DISCOUNTED || this == EXACT_UNDISCOUNTED;
    }

    /** Whether it is the {@code γ_L}-discounted return. */
    public boolean discounted() {
        return this == MC_DISCOUNTED || this == EXACT_DISCOUNTED;
    }

    /** Parses a config value, naming {@code field} on failure. */
    public static GameObjective parse(String id, String field) {
        return Identifiers.parse(GameObjective.class, id, field, "objective");
    }

    /** The reported value among the four evaluations. */
    double pick(double mcDiscounted, double mcUndiscounted, double exactDiscounted, double exactUndiscounted) {
        return switch (this) {
            case MC_DISCOUNTED -> mcDiscounted;
            case MC_UNDISCOUNTED -> mcUndiscounted;
            case EXACT_DISCOUNTED -> exactDiscounted;
            case EXACT_UNDISCOUNTED -> exactUndiscounted;
        };
    }
}
