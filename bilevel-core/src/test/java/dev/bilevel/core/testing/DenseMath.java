package dev.bilevel.core.testing;

import dev.bilevel.core.tabular.TabularDynamics;

/**
 * Straightforward dense linear algebra for tests, written independently of the main code's EJML
 * wrapper: Gaussian elimination with partial pivoting and a few helpers.
 */
public final class DenseMath {

    private DenseMath() {
    }

    /** Solves {@code A X = B} for square {@code A} (n×n) and {@code B} (n×m); inputs are not modified. */
    public static double[][] solve(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] aa = new double[n][];
        double[][] bb = new double[n][];
        for (int i = 0; i < n; i++) {
            aa[i] = a[i].clone();
            bb[i] = b[i].clone();
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(aa[r][col]) > Math.abs(aa[pivot][col])) {
                    pivot = r;
                }
            }
            if (aa[pivot][col] == 0.0) {
                throw new ArithmeticException("singular");
            }
            double[] t = aa[col];
            aa[col] = aa[pivot];
            aa[pivot] = t;
            t = bb[col];
            bb[col] = bb[pivot];
            bb[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = aa[r][col] / aa[col][col];
                if (f == 0.0) {
                    continue;
                }
                for (int c = col; c < n; c++) {
                    aa[r][c] -= f * aa[col][c];
                }
                for (int c = 0; c < m; c++) {
                    bb[r][c] -= f * bb[col][c];
                }
            }
        }
        double[][] x = new double[n][m];
        for (int r = n - 1; r >= 0; r--) {
            for (int c = 0; c < m; c++) {
                double sum = bb[r][c];
                for (int k = r + 1; k < n; k++) {
                    sum -= aa[r][k] * x[k][c];
                }
                x[r][c] = sum / aa[r][r];
            }
        }
        return x;
    }

    /** Solves {@code A x = b} for a vector right-hand side. */
    public static double[] solve(double[][] a, double[] b) {
        double[][] bb = new double[b.length][1];
        for (int i = 0; i < b.length; i++) {
            bb[i][0] = b[i];
        }
        double[][] x = solve(a, bb);
        double[] out = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = x[i][0];
        }
        return out;
    }

    /** {@code Aᵀ}. */
    public static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /**
     * The state-action chain {@code I − γ·P̃Π} over rows {@code (s,a)}, with
     * {@code (P̃Π)[(s,a),(s',a')] = [s not terminal]·P(s'|s,a)·π(a'|s')}.
     */
    public static double[][] stateActionSystem(TabularDynamics dynamics, double[] policy, double discount) {
        int states = dynamics.states();
        int actions = dynamics.actions();
        int n = states * actions;
        double[][] m = new double[n][n];
        for (int row = 0; row < n; row++) {
            m[row][row] = 1.0;
            if (dynamics.isTerminal(row / actions)) {
                continue;
            }
            for (int next = 0; next < states; next++) {
                double p = dynamics.probability(row, next);
                for (int a = 0; a < actions; a++) {
                    m[row][next * actions + a] -= discount * p * policy[next * actions + a];
                }
            }
        }
        return m;
    }

    /** The state chain {@code I − γ·P_π} with terminal rows zero in {@code P_π}. */
    public static double[][] stateSystem(TabularDynamics dynamics, double[] policy, double discount) {
        int states = dynamics.states();
        int actions = dynamics.actions();
        double[][] m = new double[states][states];
        for (int s = 0; s < states; s++) {
            m[s][s] = 1.0;
            if (dynamics.isTerminal(s)) {
                continue;
            }
            for (int a = 0; a < actions; a++) {
                for (int next = 0; next < states; next++) {
                    m[s][next] -= discount * policy[s * actions + a] * dynamics.probability(s * actions + a, next);
                }
            }
        }
        return m;
    }

    /** {@code max_i |a_i − b_i|}. */
    public static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("length " + a.length + " vs " + b.length);
        }
        double m = 0.0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** {@code max_i |a_i|}. */
    public static double maxAbs(double[] a) {
        double m = 0.0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** {@code Σ_i a_i b_i}. */
    public static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
