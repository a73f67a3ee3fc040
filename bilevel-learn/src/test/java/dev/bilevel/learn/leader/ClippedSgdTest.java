package dev.bilevel.learn.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClippedSgdTest {

    @Test
    void clipsEachGroupToItsOwnNormAndAscends() {
        ClippedSgd sgd = new ClippedSgd(new int[] {2, 1}, 0.1, 1.0);
        double[] w = {0, 0, 0};
        double[] norms = sgd.ascend(w, new double[] {3, 4, 0.5});
        assertThat(norms).containsExactly(5.0, 0.5);
        assertThat(w).containsExactly(new double[] {0.06, 0.08, 0.05}, within(1e-12));
    }
}
