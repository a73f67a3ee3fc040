package dev.bilevel.learn.critic;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.state.StateReader;
import dev.bilevel.core.state.StateWriter;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A vector-valued critic {@code Ψ(z) ∈ R^k} quadratic in its input, fitted by least-squares temporal differences
 * (LSTD) on one batch of episodes: with features {@code f(z) = (1, z_i, z_i z_j for i ≤ j)},
 *
 * <pre>
 * θ = ( Σ_r f(z_r) (f(z_r) − γ f(z_{succ(r)}))ᵀ + εI )⁻¹ Σ_r f(z_r) c_rᵀ      Ψ(z) = θᵀ f(z)
 * </pre>
 *
 * over the rows with a successor, the TD fixed point of {@code Ψ(z) = E[c + γΨ(z')]} in the span of the
 * features ({@code ε} is a relative ridge of {@code 10⁻¹⁰} of the matrix's mean diagonal, for conditioning
 * only). Under linear-Gaussian dynamics and a linear-Gaussian policy a quadratic reward has a state value and a
 * state–action value of exactly this form, so on linear-quadratic problems (BuildingThermalControl's leader
 * reward; the follower's sensitivity {@code ∇_w V_F} of a soft-LQR follower) the fit is exact up to the batch's
 * sampling noise: no gradient steps, no learning rate. The fit keeps no state between batches; the steps,
 * minibatch and random stream of {@link #fit} are ignored. {@link #fitLstd} fits the same {@code θ} without
 * the mean squared TD error that {@link #fit} reports, for callers that do not read it.
 */
public final class QuadraticTdCritic implements TdCritic {

    private static final double RIDGE = 1e-10;

    private final int n;
    private final int outputs;
    private final int features;
    private final double discount;
    private final double[] theta;

    /**
     * @param inputDimension the input width {@code n}
     * @param outputs {@code k}
     * @param discount {@code γ}
     */
    public QuadraticTdCritic(int inputDimension, int outputs, double discount) {
        if (inputDimension < 1 || outputs < 1) {
            throw new IllegalArgumentException("dimensions must be ≥ 1: " + inputDimension + ", " + outputs);
        }
        if (!(discount >= 0.0 && discount < 1.0)) {
            throw new IllegalArgumentException("discount must be in [0, 1): " + discount);
        }
        this.n = inputDimension;
        this.outputs = outputs;
        this.features = 1 + n + n * (n + 1) / 2;
        this.discount = discount;
        this.theta = new double[features * outputs];
    }

    /** @return the number of features, {@code 1 + n + n(n+1)/2} */
    public int features() {
        return features;
    }

    /**
     * Fits {@code θ} to one batch in closed form (previous fits are discarded), as {@link #fitLstd}, and reports
     * the fit's mean squared TD error (the leader's critic losses of the thermal estimator).
     *
     * @param inputs row-major inputs, {@code [rows·n]}
     * @param successors each row's successor row, or {@code −1} (the row is left out)
     * @param rewards row-major per-step vector rewards {@code c_r}, {@code [rows·k]}
     * @param rows the number of rows
     * @param steps ignored
     * @param batchSize ignored
     * @param rng ignored
     * @return 0 steps and the mean squared TD error of the fit
     * @throws ArithmeticException if the system is singular (too few distinct inputs) or the solution not finite
     */
    @Override
    public FitResult fit(double[] inputs, int[] successors, double[] rewards, int rows, int steps, int batchSize,
            SplitMixRandom rng) {
        fitLstd(inputs, successors, rewards, rows);
        return new FitResult(0, tdError(inputs, successors, rewards, rows));
    }

    /**
     * Fits {@code θ} to one batch in closed form (previous fits are discarded), without evaluating the fit.
     *
     * @param inputs row-major inputs, {@code [rows·n]}
     * @param successors each row's successor row, or {@code −1} (the row is left out)
     * @param rewards row-major per-step vector rewards {@code c_r}, {@code [rows·k]}
     * @param rows the number of rows
     * @throws ArithmeticException if the system is singular (too few distinct inputs) or the solution not finite
     */
    public void fitLstd(double[] inputs, int[] successors, double[] rewards, int rows) {
        DMatrixRMaj a = new DMatrixRMaj(features, features);
        DMatrixRMaj b = new DMatrixRMaj(features, outputs);
        double[] f = new double[features];
        double[] g = new double[features];
        double[] h = new double[features];
        double[] ad = a.data;
        double[] bd = b.data;
        for (int r = 0; r < rows; r++) {
            int s = successors[r];
            if (s < 0) {
                continue;
            }
            features(inputs, r * n, f);
            features(inputs, s * n, g);
            for (int j = 0; j < features; j++) {
                h[j] = f[j] - discount * g[j];
            }
            for (int i = 0; i < features; i++) {
                double fi = f[i];
                int row = i * features;
                for (int j = 0; j < features; j++) {
                    ad[row + j] += fi * h[j];
                }
                for (int o = 0; o < outputs; o++) {
                    bd[i * outputs + o] += fi * rewards[r * outputs + o];
                }
            }
        }
        double trace = 0.0;
        for (int i = 0; i < features; i++) {
            trace += Math.abs(ad[i * features + i]);
        }
        double ridge = RIDGE * trace / features;
        for (int i = 0; i < features; i++) {
            ad[i * features + i] += ridge;
        }
        DMatrixRMaj solution = new DMatrixRMaj(features, outputs);
        if (!CommonOps_DDRM.solve(a, b, solution)) {
            throw new ArithmeticException("LSTD system is singular (" + rows + " rows)");
        }
        for (int k = 0; k < theta.length; k++) {
            if (!Double.isFinite(solution.data[k])) {
                throw new ArithmeticException("LSTD solution is not finite");
            }
        }
        System.arraycopy(solution.data, 0, theta, 0, theta.length);
    }

    private double tdError(double[] inputs, int[] successors, double[] rewards, int rows) {
        double[] y = new double[rows * outputs];
        predict(inputs, rows, y);
        double sum = 0.0;
        long count = 0;
        for (int r = 0; r < rows; r++) {
            int s = successors[r];
            if (s < 0) {
                continue;
            }
            for (int o = 0; o < outputs; o++) {
                double e = y[r * outputs + o] - rewards[r * outputs + o] - discount * y[s * outputs + o];
                sum += e * e;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    @Override
    public void predict(double[] inputs, int rows, double[] out) {
        double[] f = new double[features];
        double[] y = new double[outputs];
        for (int r = 0; r < rows; r++) {
            predict(inputs, r * n, f, y);
            System.arraycopy(y, 0, out, r * outputs, outputs);
        }
    }

    /** Its weights. */
    @Override
    public void saveState(StateWriter out) {
        out.begin("QuadraticTdCritic").writeDoubles(theta);
    }

    @Override
    public void restoreState(StateReader in) {
        in.begin("QuadraticTdCritic").readDoubles(theta);
    }

    /** Forgets the fit ({@code θ = 0}); every {@link #fit} starts afresh anyway. */
    @Override
    public void reset() {
        java.util.Arrays.fill(theta, 0.0);
    }

    /**
     * @param x the input, from {@code offset}
     * @param offset where it starts
     * @param f scratch of length {@link #features()}
     * @param out receives {@code Ψ(x)}, length {@code k}
     */
    public void predict(double[] x, int offset, double[] f, double[] out) {
        features(x, offset, f);
        for (int o = 0; o < outputs; o++) {
            double s = 0.0;
            for (int i = 0; i < features; i++) {
                s += f[i] * theta[i * outputs + o];
            }
            out[o] = s;
        }
    }

    private void features(double[] x, int offset, double[] f) {
        f[0] = 1.0;
        System.arraycopy(x, offset, f, 1, n);
        int k = 1 + n;
        for (int i = 0; i < n; i++) {
            double xi = x[offset + i];
            for (int j = i; j < n; j++) {
                f[k++] = xi * x[offset + j];
            }
        }
    }
}
