package dev.bilevel.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.experiments.sweep.TrialOutcome;
import dev.bilevel.experiments.sweep.TrialSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tasks' and outcomes' bytes, MACs and secrets, without a cluster. */
class SignedPayloadsTest {

    private static final ClusterSecret SECRET = ClusterSecret.of("sixteen chars at least", "test");
    private static final ClusterSecret WRONG = ClusterSecret.of("sixteen other chars", "test");

    @Test
    void tasksAndOutcomesRoundTripExactly() {
        TrialSpec spec = new TrialSpec("abc", "four-rooms", "problem: four-rooms\nseed: 3\n");
        Payloads.Task task = Payloads.readTask(Payloads.task(spec, Path.of("/data/sweep")));
        assertThat(task.spec()).isEqualTo(spec);
        assertThat(task.inputDirectory()).isEqualTo(Path.of("/data/sweep"));

        TrialOutcome outcome = new TrialOutcome("abc", false, "diverged", Map.of("b.csv", new byte[] {1, 2},
                "a.txt", "x".getBytes(StandardCharsets.UTF_8)), 1.25);
        TrialOutcome back = SignedOutcome.sign(outcome, SECRET).open(SECRET);
        assertThat(back.id()).isEqualTo("abc");
        assertThat(back.completed()).isFalse();
        assertThat(back.error()).isEqualTo("diverged");
        assertThat(back.seconds()).isEqualTo(1.25);
        assertThat(back.files().keySet()).containsExactlyInAnyOrder("a.txt", "b.csv");
        assertThat(back.files().get("b.csv")).containsExactly(1, 2);
        assertThat(Payloads.outcome(outcome)).as("files in name order: the same bytes every time")
                .isEqualTo(Payloads.outcome(back));
    }

    @Test
    void outcomesWithAMissingOrWrongMacAreRefused() {
        TrialOutcome outcome = new TrialOutcome("abc", true, null, Map.of(), 0.5);
        assertThatThrownBy(() -> SignedOutcome.sign(outcome, null).open(SECRET))
                .isInstanceOf(SecurityException.class).hasMessageStartingWith("the outcome has no MAC");
        assertThatThrownBy(() -> SignedOutcome.sign(outcome, WRONG).open(SECRET))
                .isInstanceOf(SecurityException.class).hasMessageStartingWith("the outcome's MAC is wrong");
        assertThat(SignedOutcome.sign(outcome, null).open(null).completed()).as("no secret: unchecked").isTrue();
    }

    @Test
    void macsDependOnSecretPurposeAndEveryByte() {
        byte[] payload = Payloads.task(new TrialSpec("a", "b", "c"), Path.of("/d"));
        byte[] mac = SECRET.mac(RunTrialTask.PURPOSE, payload);
        assertThat(mac).hasSize(32);
        assertThat(SECRET.verifies(RunTrialTask.PURPOSE, payload, mac)).isTrue();
        assertThat(SECRET.verifies(SignedOutcome.PURPOSE, payload, mac)).isFalse();
        assertThat(WRONG.verifies(RunTrialTask.PURPOSE, payload, mac)).isFalse();
        assertThat(SECRET.verifies(RunTrialTask.PURPOSE, payload, null)).isFalse();
        byte[] tampered = Arrays.copyOf(payload, payload.length);
        tampered[tampered.length - 1] ^= 1;
        assertThat(SECRET.verifies(RunTrialTask.PURPOSE, tampered, mac)).isFalse();
        assertThatThrownBy(() -> Payloads.readTask(Arrays.copyOf(payload, payload.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("malformed payload");
    }
}
