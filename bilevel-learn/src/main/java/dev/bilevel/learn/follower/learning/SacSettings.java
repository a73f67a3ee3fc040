package dev.bilevel.learn.follower.learning;

import java.util.Arrays;

/**
 * The settings of a {@link ContinuousSoftActorCritic}.
 *
 * @param hidden the hidden layer widths of its actor and of each critic (ReLU)
 * @param batchSize transitions per gradient step
 * @param discount {@code γ_F ∈ [0, 1)}
 * @param polyak {@code τ ∈ (0, 1]}, the target critics' Polyak rate per gradient step
 * @param actorLearningRate Adam step of the actor
 * @param criticLearningRate Adam step of each critic
 * @param temperature {@code α > 0}: fixed, or the automatic temperature's start
 * @param temperatureLearningRate Adam step of {@code log α}; {@code 0} keeps {@code α} fixed
 * @param targetEntropy {@code H̄} of the automatic temperature, in nats (SAC's default: {@code −dim A})
 * @param replayCapacity how many of its last transitions it remembers
 * @param randomSteps environment steps at the start on which it acts uniformly at random in its action box
 * @param updatesPerStep gradient steps per environment step, once it remembers a batch
 */
public record SacSettings(int[] hidden, int batchSize, double discount, double polyak, double actorLearningRate,
        double criticLearningRate, double temperature, double temperatureLearningRate, double targetEntropy,
        int replayCapacity, int randomSteps, int updatesPerStep) {

    /**
     * @throws IllegalArgumentException naming the setting, for a value out of range
     */
    public SacSettings {
        hidden = hidden.clone();
        if (hidden.length == 0 || Arrays.stream(hidden).anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("follower.layers, follower.width: need ≥ 1 layer of width ≥ 1, got "
                    + Arrays.toString(hidden));
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("follower.batch_size: must be ≥ 1, got " + batchSize);
        }
        if (!(discount >= 0.0 && discount < 1.0)) {
            throw new IllegalArgumentException("follower.discount: must be in [0, 1), got " + discount);
        }
        if (!(polyak > 0.0 && polyak <= 1.0)) {
            throw new IllegalArgumentException("follower.target_update: must be in (0, 1], got " + polyak);
        }
        if (!(actorLearningRate > 0.0) || !(criticLearningRate > 0.0) || !(temperatureLearningRate >= 0.0)
                || Double.isInfinite(actorLearningRate + criticLearningRate + temperatureLearningRate)) {
            throw new IllegalArgumentException("follower.*_learning_rate: need finite actor and critic rates > 0"
                    + " and a temperature rate ≥ 0, got " + actorLearningRate + ", " + criticLearningRate + ", "
                    + temperatureLearningRate);
        }
        if (!(temperature > 0.0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("follower.initial_temperature: must be > 0 and finite, got "
                    + temperature);
        }
        if (!Double.isFinite(targetEntropy)) {
            throw new IllegalArgumentException("follower.target_entropy: must be finite, got " + targetEntropy);
        }
        if (replayCapacity < batchSize) {
            throw new IllegalArgumentException("follower.replay_capacity: must be ≥ the batch size " + batchSize
                    + ", got " + replayCapacity);
        }
        if (randomSteps < 0 || updatesPerStep < 1) {
            throw new IllegalArgumentException("follower.random_steps ≥ 0 and follower.updates_per_step ≥ 1, got "
                    + randomSteps + " and " + updatesPerStep);
        }
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** Whether {@code α} is tuned ({@code temperatureLearningRate > 0}). */
    public boolean automaticTemperature() {
        return temperatureLearningRate > 0.0;
    }
}
