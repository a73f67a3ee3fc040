package dev.bilevel.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hot paths allocate nothing: after a warm-up, 200 training steps (forward, backward with input
 * gradient, clipping, Adam, Polyak) and head computations allocate less than the measurement noise
 * ({@code 4 KiB}, the probe itself allocates nothing on HotSpot).
 */
class AllocationTest {

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void trainingStepsAndHeadsDoNotAllocate() {
        SplittableRandom rng = new SplittableRandom(1);
        Mlp net = Mlp.of(6, new int[] {64, 64}, 4, Activation.TANH, Activation.IDENTITY);
        net.initialize(Initializer.ORTHOGONAL, rng);
        Mlp target = net.copy();
        int batch = 37;
        Mlp.Workspace ws = net.workspace(64);
        Adam adam = new Adam(net.parameterCount(), 1e-3);
        double[] x = FiniteDifferences.uniform(rng, batch * 6, -1, 1);
        double[] g = FiniteDifferences.uniform(rng, batch * 4, -1, 1);
        double[] gx = new double[batch * 6];
        int[] actions = new int[batch];
        double[] w = FiniteDifferences.uniform(rng, batch, -1, 1);
        double[] lp = new double[batch];
        double[] gl = new double[batch * 4];
        double[] logStd = {-0.5, 0.1, 0.0, 0.3};
        double[] action = new double[4];
        Runnable step = () -> {
            double[] y = net.forward(ws, x, batch);
            for (int i = 0; i < batch; i++) {
                actions[i] = CategoricalHead.sample(y, i, 4, rng);
            }
            CategoricalHead.logProb(y, batch, 4, actions, lp);
            CategoricalHead.accumulateLogProbGradient(y, batch, 4, actions, w, gl);
            CategoricalHead.accumulateEntropyGradient(y, batch, 4, w, gl);
            DiagonalGaussianHead.sampleSharedStd(y, logStd, 0, 4, rng, action);
            DiagonalGaussianHead.accumulateLogProbGradientSharedStd(y, logStd, batch, 4, y, w, gl, gl);
            net.zeroGradients();
            net.backward(ws, g, batch, gx);
            GradientClipping.clipGlobalNorm(net.gradients(), 0.5);
            adam.step(net.parameters(), net.gradients());
            target.polyakUpdate(net, 0.01);
        };
        for (int i = 0; i < 2000; i++) {
            step.run();
        }
        long before = allocatedBytes();
        for (int i = 0; i < 200; i++) {
            step.run();
        }
        long allocated = allocatedBytes() - before;
        assertThat(allocated).isLessThan(4096);
    }
}
