package dev.bilevel.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MlpTest {

    @Test
    void layoutAndCounts() {
        Mlp net = Mlp.of(6, new int[] {64, 32}, 2, Activation.RELU, Activation.IDENTITY);
        assertThat(net.inputs()).isEqualTo(6);
        assertThat(net.outputs()).isEqualTo(2);
        assertThat(net.layerCount()).isEqualTo(3);
        assertThat(net.layerSizes()).containsExactly(6, 64, 32, 2);
        assertThat(net.parameterCount()).isEqualTo(6 * 64 + 64 + 64 * 32 + 32 + 32 * 2 + 2);
        assertThat(net.weightOffset(0)).isZero();
        assertThat(net.biasOffset(0)).isEqualTo(6 * 64);
        assertThat(net.weightOffset(1)).isEqualTo(6 * 64 + 64);
        assertThat(net.biasOffset(2)).isEqualTo(net.parameterCount() - 2);
        assertThat(net.parameters()).hasSize(net.parameterCount()).containsOnly(0.0);
        assertThat(net.gradients()).hasSize(net.parameterCount()).containsOnly(0.0);
        assertThat(net.parameters()).isSameAs(net.parameters());
    }

    @Test
    void rejectsBadShapes() {
        assertThatThrownBy(() -> Mlp.of(0, new int[] {4}, 1, Activation.RELU, Activation.IDENTITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mlp.of(3, new int[] {4, 0}, 1, Activation.RELU, Activation.IDENTITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mlp.of(3, new int[] {4}, 0, Activation.RELU, Activation.IDENTITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void handWrittenSingleLayer() {
        // y = W x + b with W = [[1, 2], [3, 4], [5, 6]] (row-major [out][in]), b = [0.5, -1, 2]
        Mlp net = Mlp.of(2, new int[0], 3, Activation.TANH, Activation.IDENTITY);
        double[] p = {1, 2, 3, 4, 5, 6, 0.5, -1, 2};
        System.arraycopy(p, 0, net.parameters(), 0, p.length);
        double[] y = net.forward(net.workspace(2), new double[] {1, -1, 0.5, 2}, 2);
        assertThat(Arrays.copyOf(y, 6)).containsExactly(-0.5, -2.0, 1.0, 5.0, 8.5, 16.5);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void forwardMatchesNaiveReference(Activation activation) {
        SplittableRandom rng = new SplittableRandom(11);
        Mlp net = Mlp.of(6, new int[] {64, 9, 5}, 3, activation, Activation.TANH);
        net.initialize(Initializer.XAVIER_UNIFORM, rng);
        for (int i = 0; i < net.parameterCount(); i++) {
            net.parameters()[i] += rng.nextDouble(-0.1, 0.1); // biases too
        }
        int batch = 13;
        double[] x = FiniteDifferences.uniform(rng, batch * 6, -2, 2);
        double[] y = net.forward(net.workspace(20), x, batch);
        double[] expected = ReferenceMlp.forward(net, x, batch);
        for (int i = 0; i < expected.length; i++) {
            assertThat(y[i]).isCloseTo(expected[i], within(1e-13));
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void batchForwardEqualsRowByRowForward(Activation activation) {
        SplittableRandom rng = new SplittableRandom(12);
        Mlp net = Mlp.of(6, new int[] {64, 64}, 2, activation, Activation.IDENTITY);
        net.initialize(Initializer.ORTHOGONAL, rng);
        int batch = 67;
        double[] x = FiniteDifferences.uniform(rng, batch * 6, -2, 2);
        Mlp.Workspace ws = net.workspace(batch);
        double[] y = net.forward(ws, x, batch).clone();
        Mlp.Workspace single = net.workspace(1);
        for (int b = 0; b < batch; b++) {
            double[] row = Arrays.copyOfRange(x, b * 6, b * 6 + 6);
            double[] yb = net.forward(single, row, 1);
            assertThat(Arrays.copyOf(yb, 2)).containsExactly(y[2 * b], y[2 * b + 1]);
        }
    }

    @Test
    void forwardCopiesItsInputAndLeavesItAlone() {
        SplittableRandom rng = new SplittableRandom(13);
        Mlp net = Mlp.of(3, new int[] {10}, 2, Activation.TANH, Activation.IDENTITY);
        net.initialize(Initializer.XAVIER_NORMAL, rng);
        double[] x = FiniteDifferences.uniform(rng, 12, -1, 1);
        double[] xCopy = x.clone();
        Mlp.Workspace ws = net.workspace(4);
        net.forward(ws, x, 4);
        assertThat(x).containsExactly(xCopy);
        Arrays.fill(x, 0.0); // changing the input after forward must not change backward
        net.backward(ws, new double[] {1, 0, 0, 1, 1, 1, 0, 0}, 4);
        double[] g = net.gradients().clone();
        net.zeroGradients();
        net.forward(ws, xCopy, 4);
        net.backward(ws, new double[] {1, 0, 0, 1, 1, 1, 0, 0}, 4);
        assertThat(net.gradients()).containsExactly(g);
    }

    @Test
    void sameSeedSameParameters() {
        for (Initializer init : Initializer.values()) {
            Mlp a = Mlp.of(6, new int[] {64, 64}, 2, Activation.RELU, Activation.IDENTITY);
            Mlp b = Mlp.of(6, new int[] {64, 64}, 2, Activation.RELU, Activation.IDENTITY);
            Mlp c = Mlp.of(6, new int[] {64, 64}, 2, Activation.RELU, Activation.IDENTITY);
            a.initialize(init, new SplittableRandom(42));
            b.initialize(init, new SplittableRandom(42));
            c.initialize(init, new SplittableRandom(43));
            assertThat(a.parameters()).as("%s", init).containsExactly(b.parameters());
            assertThat(Arrays.equals(a.parameters(), c.parameters())).as("%s", init).isFalse();
        }
    }

    @Test
    void copyIsDeepWithZeroGradients() {
        Mlp net = Mlp.of(4, new int[] {8}, 2, Activation.TANH, Activation.IDENTITY);
        net.initialize(Initializer.XAVIER_NORMAL, new SplittableRandom(5));
        Arrays.fill(net.gradients(), 3.0);
        Mlp copy = net.copy();
        assertThat(copy.parameters()).containsExactly(net.parameters()).isNotSameAs(net.parameters());
        assertThat(copy.gradients()).containsOnly(0.0);
        assertThat(copy.hiddenActivation()).isEqualTo(Activation.TANH);
        copy.parameters()[0] += 1.0;
        assertThat(copy.parameters()[0]).isNotEqualTo(net.parameters()[0]);
        net.copyParametersFrom(copy);
        assertThat(net.parameters()).containsExactly(copy.parameters());
        Mlp other = Mlp.of(4, new int[] {9}, 2, Activation.TANH, Activation.IDENTITY);
        assertThatThrownBy(() -> net.copyParametersFrom(other)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void polyakUpdateArithmetic() {
        Mlp target = Mlp.of(2, new int[] {3}, 1, Activation.RELU, Activation.IDENTITY);
        Mlp online = target.copy();
        Arrays.fill(target.parameters(), 1.0);
        Arrays.fill(online.parameters(), 3.0);
        target.polyakUpdate(online, 0.25);
        assertThat(target.parameters()).containsOnly(1.5);
        target.polyakUpdate(online, 0.0);
        assertThat(target.parameters()).containsOnly(1.5);
        target.polyakUpdate(online, 1.0);
        assertThat(target.parameters()).containsOnly(3.0);
        assertThat(online.parameters()).containsOnly(3.0);
        online.parameters()[0] = 5.0;
        target.polyakUpdate(online, 0.005);
        assertThat(target.parameters()[0]).isCloseTo(0.995 * 3.0 + 0.005 * 5.0, within(1e-15));
        assertThatThrownBy(() -> target.polyakUpdate(online, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void workspaceChecks() {
        Mlp net = Mlp.of(2, new int[] {3}, 1, Activation.RELU, Activation.IDENTITY);
        Mlp target = net.copy();
        Mlp.Workspace ws = net.workspace(4);
        assertThat(ws.maxBatch()).isEqualTo(4);
        assertThatThrownBy(() -> net.forward(ws, new double[10], 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> net.forward(ws, new double[3], 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> net.backward(ws, new double[4], 4)).isInstanceOf(IllegalStateException.class);
        net.forward(ws, new double[8], 4);
        assertThatThrownBy(() -> net.backward(ws, new double[4], 3)).isInstanceOf(IllegalStateException.class);
        // a workspace may be shared with a same-shaped network for forward passes ...
        target.forward(ws, new double[8], 4);
        // ... but backward needs this network's forward
        assertThatThrownBy(() -> net.backward(ws, new double[4], 4)).isInstanceOf(IllegalStateException.class);
        Mlp other = Mlp.of(2, new int[] {4}, 1, Activation.RELU, Activation.IDENTITY);
        assertThatThrownBy(() -> other.forward(ws, new double[8], 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> net.workspace(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
