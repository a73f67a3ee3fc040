package dev.bilevel.learn.follower.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import org.junit.jupiter.api.Test;

class ExplorationTest {

    @Test
    void itFallsLinearlyThenStays() {
        Exploration e = new Exploration(0.2, 0.02, 1_000);
        assertThat(e.at(0)).isEqualTo(0.2);
        assertThat(e.at(500)).isCloseTo(0.11, within(1e-15));
        assertThat(e.at(1_000)).isEqualTo(0.02);
        assertThat(e.at(1_000_000)).isEqualTo(0.02);
        assertThat(Exploration.constant(0.3).at(123_456)).isEqualTo(0.3);
        assertThat(new Exploration(0.3, 0.0, 0).at(99)).as("no decay").isEqualTo(0.3);
    }

    @Test
    void badSchedulesNameTheirKey() {
        assertThatThrownBy(() -> new Exploration(1.5, 0.0, 0)).hasMessageContaining("follower.exploration:");
        assertThatThrownBy(() -> new Exploration(0.5, -0.1, 10)).hasMessageContaining("follower.exploration_final");
        assertThatThrownBy(() -> new Exploration(0.5, 0.1, -1)).hasMessageContaining("follower.exploration_steps");
    }

    /** A learner answers with the ε of its schedule at the steps it has made: a losing action keeps ε/A. */
    @Test
    void aLearnerPlaysTheEpsilonOfItsStep() {
        SoftQLearningFollower follower = new SoftQLearningFollower(1, 2, 0.01, 0.5, 0.5,
                new Exploration(0.5, 0.1, 10), 1, 1, new SplitMixRandom(1));
        for (int t = 1; t <= 12; t++) {
            follower.learn(0, 0, 1.0, 0, true); // action 0 pays: at λ = 0.01 its softmax leaves action 1 only ε/2
            double epsilon = t >= 10 ? 0.1 : 0.5 + (0.1 - 0.5) * t / 10.0;
            assertThat(follower.respond(null).policy()[1]).as("step " + t).isCloseTo(epsilon / 2, within(1e-9));
        }
    }
}
