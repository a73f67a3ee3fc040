package dev.bilevel.learn.follower.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import org.junit.jupiter.api.Test;

/**
 * The continuous SAC follower on a one-step task whose entropy-regularised optimum is known in closed form: one
 * observation, actions in {@code [−1, 1]}, reward {@code −(a − 0.5)²}, every step terminal. At temperature {@code α}
 * the optimal policy is {@code ∝ exp(−(a − 0.5)²/α)}, a Gaussian of mean 0.5 and standard deviation
 * {@code √(α/2)} (the box cuts it 7 standard deviations out at {@code α = 0.01}), and the soft value is
 * {@code V = α·log ∫ exp(−(a − 0.5)²/α) da = α·log √(πα)}.
 */
class ContinuousSoftActorCriticTest {

    private static final double[] OBSERVATION = {1.0};

    private static SacSettings settings(double temperature, double temperatureRate) {
        return new SacSettings(new int[] {32, 32}, 64, 0.9, 0.01, 3e-3, 3e-3, temperature, temperatureRate, -1.0,
                5_000, 200, 1);
    }

    private static void train(ContinuousSoftActorCritic sac, int steps) {
        double[] action = new double[1];
        for (int t = 0; t < steps; t++) {
            sac.act(OBSERVATION, 0, action, 0);
            double reward = -(action[0] - 0.5) * (action[0] - 0.5);
            sac.learn(OBSERVATION, action, reward, OBSERVATION, true);
        }
    }

    @Test
    void itLearnsTheSoftOptimumOfAOneStepTask() {
        double alpha = 0.01;
        ContinuousSoftActorCritic sac = new ContinuousSoftActorCritic(1, new double[] {1.0}, settings(alpha, 0.0),
                new SplitMixRandom(1));
        train(sac, 4_000);
        double[] action = new double[1];
        sac.mean(OBSERVATION, 0, action, 0);
        assertThat(action[0]).as("its deterministic action").isCloseTo(0.5, within(0.05));
        double sum = 0.0;
        double squares = 0.0;
        int draws = 20_000;
        for (int k = 0; k < draws; k++) {
            sac.act(OBSERVATION, 0, action, 0);
            sum += action[0];
            squares += action[0] * action[0];
        }
        double mean = sum / draws;
        double std = Math.sqrt(squares / draws - mean * mean);
        assertThat(mean).isCloseTo(0.5, within(0.05));
        assertThat(std).as("the spread of its actions, √(α/2) = 0.0707").isBetween(0.05, 0.095);
        double exact = alpha * Math.log(Math.sqrt(Math.PI * alpha));
        assertThat(sac.softValue(OBSERVATION, 0, 64, new SplitMixRandom(2))).as("V = α log √(πα) = " + exact)
                .isCloseTo(exact, within(0.0025));
        assertThat(sac.temperature()).isCloseTo(alpha, within(1e-15));
        assertThat(sac.gradientSteps()).isEqualTo(4_000 - 63);
    }

    /**
     * From α = 1, whose optimal policy on this task is nearly uniform (entropy near log 2), the automatic temperature
     * falls toward the target entropy −1; with the reference SACDiscrete's sign it would rise.
     */
    @Test
    void theAutomaticTemperatureFallsWhenThePolicyIsTooRandom() {
        ContinuousSoftActorCritic sac = new ContinuousSoftActorCritic(1, new double[] {1.0}, settings(1.0, 3e-3),
                new SplitMixRandom(3));
        train(sac, 1_500);
        assertThat(sac.temperature()).isLessThan(0.3);
    }

    @Test
    void aRestoredFollowerActsAndLearnsAsTheOriginalWould() {
        ContinuousSoftActorCritic a = new ContinuousSoftActorCritic(1, new double[] {2.0}, settings(0.1, 1e-3),
                new SplitMixRandom(4));
        train(a, 300);
        StateWriter out = new StateWriter();
        a.saveState(out);
        ContinuousSoftActorCritic b = new ContinuousSoftActorCritic(1, new double[] {2.0}, settings(0.1, 1e-3),
                new SplitMixRandom(99));
        b.restoreState(new StateReader(out.toByteArray()));
        train(a, 100);
        train(b, 100);
        double[] actionA = new double[1];
        double[] actionB = new double[1];
        a.act(OBSERVATION, 0, actionA, 0);
        b.act(OBSERVATION, 0, actionB, 0);
        assertThat(actionB).containsExactly(actionA);
        assertThat(b.temperature()).isEqualTo(a.temperature());
        assertThat(b.softValue(OBSERVATION, 0, 8, new SplitMixRandom(5)))
                .isEqualTo(a.softValue(OBSERVATION, 0, 8, new SplitMixRandom(5)));
    }

    @Test
    void badSettingsNameTheirKey() {
        assertThatThrownBy(() -> new SacSettings(new int[] {}, 64, 0.9, 0.01, 1e-3, 1e-3, 0.1, 0, -1, 100, 0, 1))
                .hasMessageContaining("follower.layers");
        assertThatThrownBy(() -> new SacSettings(new int[] {8}, 64, 1.0, 0.01, 1e-3, 1e-3, 0.1, 0, -1, 100, 0, 1))
                .hasMessageContaining("follower.discount");
        assertThatThrownBy(() -> new SacSettings(new int[] {8}, 64, 0.9, 0.0, 1e-3, 1e-3, 0.1, 0, -1, 100, 0, 1))
                .hasMessageContaining("follower.target_update");
        assertThatThrownBy(() -> new SacSettings(new int[] {8}, 64, 0.9, 0.01, 1e-3, 1e-3, 0.1, 0, -1, 10, 0, 1))
                .hasMessageContaining("follower.replay_capacity");
        assertThatThrownBy(() -> new SacSettings(new int[] {8}, 64, 0.9, 0.01, 1e-3, 1e-3, -1, 0, -1, 100, 0, 1))
                .hasMessageContaining("follower.initial_temperature");
    }
}
