package dev.bilevel.bench;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.nn.Activation;
import dev.bilevel.nn.Adam;
import dev.bilevel.nn.Initializer;
import dev.bilevel.nn.Mlp;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full training step of a small critic-sized network with bilevel-nn: forward pass of a
 * {@code 6 → 64 → 64 → 2} ReLU MLP on a batch, the gradient of a mean-squared error, the backward pass and one
 * Adam step over its 4,738 parameters. Nothing allocates inside the step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdamStepBenchmark {

    @Param({"64", "256"})
    public int batch;

    private Mlp net;
    private Mlp.Workspace workspace;
    private Adam adam;
    private double[] input;
    private double[] target;
    private double[] gradOutput;

    @Setup
    public void setUp() {
        SplitMixRandom rng = new SplitMixRandom(7);
        net = Mlp.of(6, new int[] {64, 64}, 2, Activation.RELU, Activation.IDENTITY);
        net.initialize(Initializer.ORTHOGONAL, rng);
        workspace = net.workspace(batch);
        adam = new Adam(net.parameterCount(), 1e-4);
        input = new double[batch * 6];
        target = new double[batch * 2];
        gradOutput = new double[batch * 2];
        for (int i = 0; i < input.length; i++) {
            input[i] = rng.nextDouble(-1.0, 1.0);
        }
        for (int i = 0; i < target.length; i++) {
            target[i] = rng.nextDouble(-1.0, 1.0);
        }
    }

    @Benchmark
    public double adamStep() {
        double[] y = net.forward(workspace, input, batch);
        int n = batch * 2;
        double scale = 2.0 / n;
        double loss = 0.0;
        for (int i = 0; i < n; i++) {
            double e = y[i] - target[i];
            loss += e * e;
            gradOutput[i] = scale * e;
        }
        net.zeroGradients();
        net.backward(workspace, gradOutput, batch);
        adam.step(net.parameters(), net.gradients());
        return loss / n;
    }
}
