package dev.bilevel.experiments.thermal;


/**
 * The two ways a thermal run fits its critics and solves its follower. Both compute the same estimators; they
 * differ in cost and in how much the critics are refitted per outer iteration.
 *
 * <ul>
 *   <li>{@link #PAPER}: the reference. Every network is reset to its initial weights and refitted with 5,000
 *       full-batch Adam steps on the 10,000 samples; {@code V̂} averages 256 independent action samples; the
 *       Riccati iteration starts from {@code P = Q}. About 10¹² FLOP per network per iteration.</li>
 *   <li>{@link #DEFAULT}: networks carried over between iterations (Adam moments included) and refitted with a
 *       few hundred minibatch steps on each new batch (more on the first); {@code V̂} averages antithetic
 *       action pairs; the Riccati iteration warm-starts from the previous {@code P}; V-network and {@code Ψ̂}
 *       rewards are scaled by the first batch's maximum, so the carried network keeps its units.</li>
 * </ul>
 */
enum ThermalProtocol {
    /** Warm-started, minibatch critics. */
    DEFAULT(true, 2000, 10, 256, 2, true, "first-batch", true, 20),
    /** The reference's refit-from-scratch protocol. */
    PAPER(false, 5000, 5000, 0, 256, false, "per-batch", false, -1);

    private final boolean warmStartCritics;
    private final int initialSteps;
    private final int steps;
    private final int batchSize;
    private final int valueSamples;
    private final boolean antithetic;
    private final String valueNormalisation;
    private final boolean warmStartFollower;
    private final int subsampleFrom;

    ThermalProtocol(boolean warmStartCritics, int initialSteps, int steps, int batchSize, int valueSamples,
            boolean antithetic, String valueNormalisation, boolean warmStartFollower, int subsampleFrom) {
        this.warmStartCritics = warmStartCritics;
        this.initialSteps = initialSteps;
        this.steps = steps;
        this.batchSize = batchSize;
        this.valueSamples = valueSamples;
        this.antithetic = antithetic;
        this.valueNormalisation = valueNormalisation;
        this.warmStartFollower = warmStartFollower;
        this.subsampleFrom = subsampleFrom;
    }

    static ThermalProtocol parse(String id) {
        return switch (id) {
            case "default" -> DEFAULT;
            case "paper" -> PAPER;
            default -> throw new IllegalArgumentException("protocol: unknown '" + id + "', expected default or paper");
        };
    }

    /**
     * The best learning rate of the paper's grid {0.1, 0.01, 0.001} per method (reference-configurable-mdp.md
     * §5.3: BC-HG and Naive-PGD 0.1, HPGD (TD) 0.01, HPGD (MC) 0.001).
     */
    static double paperBestLearningRate(ThermalMethod method) {
        return switch (method) {
            case BCHG, NAIVE -> 0.1;
            case HPGD_TD -> 0.01;
            case HPGD_MC -> 0.001;
        };
    }

    boolean warmStartCritics() {
        return warmStartCritics;
    }

    int initialSteps() {
        return initialSteps;
    }

    int steps() {
        return steps;
    }

    int batchSize() {
        return batchSize;
    }

    int valueSamples() {
        return valueSamples;
    }

    boolean antithetic() {
        return antithetic;
    }

    String valueNormalisation() {
        return valueNormalisation;
    }

    boolean warmStartFollower() {
        return warmStartFollower;
    }

    int subsampleFrom() {
        return subsampleFrom;
    }
}
