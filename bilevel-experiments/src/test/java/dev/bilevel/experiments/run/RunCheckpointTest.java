package dev.bilevel.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.state.StateMismatchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void aCheckpointReadsBackAsWritten() {
        assertThat(RunCheckpoint.read(dir)).isNull();
        RunCheckpoint written = new RunCheckpoint("b 1", 17, new byte[] {1, 2, 3}, new byte[] {});
        written.write(dir);
        assertThat(RunCheckpoint.read(dir)).isEqualTo(written);
        new RunCheckpoint("b 1", 18, new byte[] {4}, new byte[] {5}).write(dir);
        assertThat(RunCheckpoint.read(dir).iterations()).as("replaced whole").isEqualTo(18);
        RunCheckpoint.delete(dir);
        assertThat(dir.resolve(RunCheckpoint.FILE)).doesNotExist();
    }

    @Test
    void everyDamageIsRefused() throws IOException {
        new RunCheckpoint("b 1", 3, new byte[] {9, 9}, new byte[] {7}).write(dir);
        Path file = dir.resolve(RunCheckpoint.FILE);
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(file, bad);
            assertThatThrownBy(() -> RunCheckpoint.read(dir)).as("byte " + i)
                    .isInstanceOf(StateMismatchException.class).hasMessageContaining("damaged");
        }
        Files.write(file, Arrays.copyOf(good, good.length - 3));
        assertThatThrownBy(() -> RunCheckpoint.read(dir)).isInstanceOf(StateMismatchException.class);
        Files.write(file, new byte[] {1});
        assertThatThrownBy(() -> RunCheckpoint.read(dir)).hasMessageContaining("too short");
    }
}
