package dev.bilevel.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OptimizerTest {

    /**
     * Three steps on {@code f = θ₀² + θ₁²} plus a third coordinate whose gradient is 0 then 3, 3. Expected
     * values computed by hand from torch's update (lr 0.1, defaults): the first step moves every coordinate
     * with non-zero gradient by {@code lr·g/(|g| + ε)} ≈ 0.1, so {@code 1 → 0.9000000005}.
     */
    @Test
    void adamMatchesHandComputedThreeStepTrajectory() {
        double[] theta = {1.0, -2.0, 0.5};
        Adam adam = new Adam(3, 0.1);
        double[][] expected = {
            {0.9000000005, -1.90000000025, 0.5},
            {0.8004122286917928, -1.800166486115701, 0.42558631799400354},
            {0.7015862729460303, -1.700623392046465, 0.3397400627678347},
        };
        for (int t = 0; t < 3; t++) {
            double[] g = {2.0 * theta[0], 2.0 * theta[1], t == 0 ? 0.0 : 3.0};
            adam.step(theta, g);
            for (int i = 0; i < 3; i++) {
                assertThat(theta[i]).as("step %d, coordinate %d", t + 1, i).isCloseTo(expected[t][i], within(1e-14));
            }
        }
        assertThat(adam.stepCount()).isEqualTo(3);
    }

    @Test
    void adamFirstStepIsLearningRateTimesSign() {
        double[] theta = {0.0, 0.0, 0.0};
        new Adam(3, 0.01, 0.5, 0.9, 0.0).step(theta, new double[] {5.0, -1e-3, 0.0});
        assertThat(theta[0]).isCloseTo(-0.01, within(1e-15));
        assertThat(theta[1]).isCloseTo(0.01, within(1e-15));
        assertThat(theta[2]).isNaN(); // 0/0 with eps = 0, as in torch
    }

    @Test
    void adamConvergesOnAnIllConditionedQuadratic() {
        // f = ½ Σ a_i (θ_i − c_i)², curvatures spanning three decades
        double[] a = {1.0, 10.0, 0.1, 100.0};
        double[] c = {1.0, -2.0, 3.0, 0.5};
        double[] theta = new double[4];
        double[] g = new double[4];
        Adam adam = new Adam(4, 0.05);
        for (int t = 0; t < 5000; t++) {
            for (int i = 0; i < 4; i++) {
                g[i] = a[i] * (theta[i] - c[i]);
            }
            adam.step(theta, g);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(theta[i]).isCloseTo(c[i], within(1e-4));
        }
    }

    @Test
    void adamResetAndLearningRate() {
        Adam adam = new Adam(1, 0.1);
        double[] theta = {0.0};
        adam.step(theta, new double[] {1.0});
        adam.setLearningRate(0.2);
        assertThat(adam.learningRate()).isEqualTo(0.2);
        adam.reset();
        assertThat(adam.stepCount()).isZero();
        theta[0] = 0.0;
        adam.step(theta, new double[] {-4.0});
        assertThat(theta[0]).isCloseTo(0.2, within(1e-9)); // a fresh first step
        assertThatThrownBy(() -> adam.step(new double[2], new double[2])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Adam(1, 0.1, 1.0, 0.999, 1e-8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sgdOneStep() {
        double[] theta = {1.0, -2.0, 0.25};
        Sgd sgd = new Sgd(0.5);
        sgd.step(theta, new double[] {2.0, -1.0, 0.0});
        assertThat(theta).containsExactly(0.0, -1.5, 0.25);
        sgd.setLearningRate(0.0);
        sgd.step(theta, new double[] {2.0, -1.0, 0.0});
        assertThat(theta).containsExactly(0.0, -1.5, 0.25);
        assertThatThrownBy(() -> new Sgd(-1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void adamTrainsAnMlpToFitAFunction() {
        // regression of y = sin(x0) + x1² on 64 fixed points; the loss must drop by two orders of magnitude
        java.util.SplittableRandom rng = new java.util.SplittableRandom(8);
        Mlp net = Mlp.of(2, new int[] {32, 32}, 1, Activation.TANH, Activation.IDENTITY);
        net.initialize(Initializer.ORTHOGONAL, rng);
        int batch = 64;
        double[] x = FiniteDifferences.uniform(rng, batch * 2, -1.5, 1.5);
        double[] target = new double[batch];
        for (int b = 0; b < batch; b++) {
            target[b] = Math.sin(x[2 * b]) + x[2 * b + 1] * x[2 * b + 1];
        }
        Mlp.Workspace ws = net.workspace(batch);
        Adam adam = new Adam(net.parameterCount(), 3e-3);
        double[] grad = new double[batch];
        double first = Double.NaN;
        double last = Double.NaN;
        for (int it = 0; it < 1500; it++) {
            double[] y = net.forward(ws, x, batch);
            double loss = 0.0;
            for (int b = 0; b < batch; b++) {
                double e = y[b] - target[b];
                loss += e * e / batch;
                grad[b] = 2.0 * e / batch;
            }
            if (it == 0) {
                first = loss;
            }
            last = loss;
            net.zeroGradients();
            net.backward(ws, grad, batch);
            adam.step(net.parameters(), net.gradients());
        }
        assertThat(last).isLessThan(first / 100.0);
    }
}
