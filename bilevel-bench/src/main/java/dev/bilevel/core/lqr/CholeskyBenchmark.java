package dev.bilevel.core.lqr;

import dev.bilevel.core.random.SplitMixRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
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
 * The factorisation and log-determinant that the leader-aware Riccati iteration takes of {@code S} every sweep, at
 * the sizes the LQR game and thermal use: the package's own {@link Cholesky} on a flat array against EJML's
 * lower Cholesky decomposition (reused, so neither allocates). Lives in the package to reach {@code Cholesky}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CholeskyBenchmark {

    @Param({"1", "2", "4"})
    public int n;

    private double[] a;
    private double[] lower;
    private DMatrixRMaj matrix;
    private DMatrixRMaj work;
    private CholeskyDecomposition_F64<DMatrixRMaj> ejml;

    @Setup
    public void setUp() {
        SplitMixRandom rng = new SplitMixRandom(7);
        double[] b = new double[n * n];
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.nextGaussian();
        }
        a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? 1.0 : 0.0;
                for (int k = 0; k < n; k++) {
                    s += b[i * n + k] * b[j * n + k];
                }
                a[i * n + j] = s;
            }
        }
        lower = new double[n * n];
        matrix = new DMatrixRMaj(n, n, true, a);
        work = new DMatrixRMaj(n, n);
        ejml = DecompositionFactory_DDRM.chol(n, true);
    }

    /** Ours: factor and log-determinant in one pass over the flat array. */
    @Benchmark
    public double own() {
        return Cholesky.factorLogDeterminant(a, n, lower);
    }

    /** EJML's: a copy into its (reused) matrix, since it factors in place, then the decomposition and the log-det. */
    @Benchmark
    public double ejml() {
        work.setTo(matrix);
        if (!ejml.decompose(work)) {
            return Double.NaN;
        }
        double logDet = 0.0;
        for (int i = 0; i < n; i++) {
            logDet += 2.0 * Math.log(work.unsafe_get(i, i));
        }
        return logDet;
    }
}
