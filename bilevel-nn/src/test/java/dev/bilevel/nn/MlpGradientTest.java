package dev.bilevel.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backward-pass gradients (parameters and inputs) against central finite differences of the linear loss
 * {@code L = Σ_bj c_bj·y_bj}, whose {@code dL/dy} is {@code c}. Step {@code h = 1e-5}; tolerance
 * {@code |analytic − numeric| ≤ 1e-6·max(|analytic|, |numeric|, 1e-2)}. For ReLU the instance is drawn
 * (deterministically, by seed search) so that every pre-activation is at least {@code 1e-3} away from the
 * kink, far beyond what an {@code h}-perturbation can move it.
 */
class MlpGradientTest {

    private static final double H = 1e-5;
    private static final double REL = 1e-6;
    private static final double FLOOR = 1e-2;
    private static final int INPUTS = 5;
    private static final int OUTPUTS = 3;
    private static final int BATCH = 7;

    /** Architectures covering every kernel path: wide/narrow outputs, narrow/wide inputs, batch remainders. */
    private static final int[][] HIDDEN = {{}, {8}, {9, 12, 6}, {20, 17}};

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Activation hidden : Activation.values()) {
            for (int[] h : HIDDEN) {
                cases.add(Arguments.of(hidden, hidden, h));
                cases.add(Arguments.of(hidden, Activation.IDENTITY, h));
            }
        }
        return cases;
    }

    private record Instance(Mlp net, double[] input, double[] c) {
    }

    private static Instance instance(Activation hidden, Activation output, int[] widths, long seed) {
        for (long s = seed; s < seed + 1000; s++) {
            SplittableRandom rng = new SplittableRandom(s);
            Mlp net = Mlp.of(INPUTS, widths, OUTPUTS, hidden, output);
            net.initialize(Initializer.XAVIER_NORMAL, rng);
            // non-zero biases so that the bias path is exercised too
            for (int l = 0; l < net.layerCount(); l++) {
                int out = net.layerSizes()[l + 1];
                for (int j = 0; j < out; j++) {
                    net.parameters()[net.biasOffset(l) + j] = rng.nextDouble(-0.3, 0.3);
                }
            }
            double[] input = FiniteDifferences.uniform(rng, BATCH * INPUTS, -1.5, 1.5);
            double[] c = FiniteDifferences.uniform(rng, BATCH * OUTPUTS, -1.0, 1.0);
            boolean kinky = hidden == Activation.RELU || output == Activation.RELU;
            if (!kinky || ReferenceMlp.smallestAbsPreActivation(net, input, BATCH) > 1e-3) {
                return new Instance(net, input, c);
            }
        }
        throw new AssertionError("no kink-free instance");
    }

    private static double loss(Mlp net, Mlp.Workspace ws, double[] input, double[] c) {
        double[] y = net.forward(ws, input, BATCH);
        double l = 0.0;
        for (int i = 0; i < BATCH * OUTPUTS; i++) {
            l += c[i] * y[i];
        }
        return l;
    }

    @ParameterizedTest(name = "{0}/{1} hidden {2}")
    @MethodSource("cases")
    void parameterGradientsMatchFiniteDifferences(Activation hidden, Activation output, int[] widths) {
        Instance in = instance(hidden, output, widths, 100);
        Mlp.Workspace ws = in.net().workspace(BATCH + 3);
        in.net().forward(ws, in.input(), BATCH);
        in.net().zeroGradients();
        in.net().backward(ws, in.c(), BATCH);
        double[] analytic = in.net().gradients().clone();
        double[] numeric = FiniteDifferences.gradient(() -> loss(in.net(), ws, in.input(), in.c()),
                in.net().parameters(), in.net().parameterCount(), H);
        FiniteDifferences.assertClose(analytic, numeric, REL, FLOOR);
        assertThat(maxAbs(analytic)).isGreaterThan(0.1); // not vacuous
    }

    @ParameterizedTest(name = "{0}/{1} hidden {2}")
    @MethodSource("cases")
    void inputGradientsMatchFiniteDifferences(Activation hidden, Activation output, int[] widths) {
        Instance in = instance(hidden, output, widths, 200);
        Mlp.Workspace ws = in.net().workspace(BATCH);
        in.net().forward(ws, in.input(), BATCH);
        double[] gradInput = new double[BATCH * INPUTS];
        java.util.Arrays.fill(gradInput, 123.0); // overwritten, not accumulated
        in.net().backward(ws, in.c(), BATCH, gradInput);
        double[] numeric = FiniteDifferences.gradient(() -> loss(in.net(), ws, in.input(), in.c()),
                in.input(), in.input().length, H);
        FiniteDifferences.assertClose(gradInput, numeric, REL, FLOOR);
        assertThat(maxAbs(gradInput)).isGreaterThan(0.01);
    }

    @Test
    void backwardAccumulatesIntoGradients() {
        Instance in = instance(Activation.TANH, Activation.IDENTITY, new int[] {9, 12, 6}, 300);
        Mlp net = in.net();
        Mlp.Workspace ws = net.workspace(BATCH);
        net.forward(ws, in.input(), BATCH);
        net.zeroGradients();
        net.backward(ws, in.c(), BATCH);
        double[] once = net.gradients().clone();
        net.backward(ws, in.c(), BATCH);
        for (int i = 0; i < once.length; i++) {
            assertThat(net.gradients()[i]).isCloseTo(2.0 * once[i],
                    org.assertj.core.data.Offset.offset(1e-14 * Math.max(1.0, Math.abs(once[i]))));
        }
        net.zeroGradients();
        assertThat(net.gradients()).containsOnly(0.0);
    }

    @Test
    void batchGradientIsTheSumOfRowGradients() {
        Instance in = instance(Activation.TANH, Activation.TANH, new int[] {20, 17}, 400);
        Mlp net = in.net();
        Mlp.Workspace ws = net.workspace(BATCH);
        net.forward(ws, in.input(), BATCH);
        net.zeroGradients();
        double[] gradInput = new double[BATCH * INPUTS];
        net.backward(ws, in.c(), BATCH, gradInput);
        double[] batchGradient = net.gradients().clone();

        net.zeroGradients();
        double[] row = new double[INPUTS];
        double[] rowC = new double[OUTPUTS];
        double[] rowGradInput = new double[INPUTS];
        for (int b = 0; b < BATCH; b++) {
            System.arraycopy(in.input(), b * INPUTS, row, 0, INPUTS);
            System.arraycopy(in.c(), b * OUTPUTS, rowC, 0, OUTPUTS);
            net.forward(ws, row, 1);
            net.backward(ws, rowC, 1, rowGradInput);
            for (int k = 0; k < INPUTS; k++) {
                assertThat(rowGradInput[k]).isCloseTo(gradInput[b * INPUTS + k],
                        org.assertj.core.data.Offset.offset(1e-14));
            }
        }
        FiniteDifferences.assertClose(net.gradients(), batchGradient, 1e-12, 1e-2);
    }

    private static double maxAbs(double[] x) {
        double m = 0.0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
