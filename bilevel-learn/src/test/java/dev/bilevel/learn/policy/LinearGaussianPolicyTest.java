package dev.bilevel.learn.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.core.random.SplitMixRandom;
import org.junit.jupiter.api.Test;

class LinearGaussianPolicyTest {

    @Test
    void scoreIsTheGainGradientOfTheLogDensity() {
        double[][] cases = {{0.7, -1.2}, {0.3, 0.1, -0.4, 2.0}};
        double[][] noises = {{0.05}, {0.5, 0.0, 0.2, 0.3}};
        SplitMixRandom rng = new SplitMixRandom(5);
        for (int c = 0; c < cases.length; c++) {
            LinearGaussianPolicy p = new LinearGaussianPolicy(2, cases[c], noises[c]);
            double[] x = {0.8, -1.5};
            double[] a = new double[p.actionDimension()];
            p.sample(x, 0, rng, a, 0);
            double[] grad = new double[cases[c].length];
            p.accumulateScore(x, 0, a, 0, 2.0, grad);
            double h = 1e-6;
            for (int k = 0; k < grad.length; k++) {
                double[] kp = cases[c].clone();
                double[] km = cases[c].clone();
                kp[k] += h;
                km[k] -= h;
                double fd = (new LinearGaussianPolicy(2, kp, noises[c]).logProb(x, 0, a, 0)
                        - new LinearGaussianPolicy(2, km, noises[c]).logProb(x, 0, a, 0)) / (2 * h);
                assertThat(grad[k]).as("case %d entry %d", c, k).isCloseTo(2.0 * fd, within(1e-5 * (1 + Math.abs(fd))));
            }
        }
    }

    @Test
    void drawsHaveMeanKxAndCovarianceWWt() {
        LinearGaussianPolicy p = new LinearGaussianPolicy(2, new double[] {1.5, -0.5}, new double[] {1e-3});
        double[] x = {0.4, 2.0};
        double[] a = new double[1];
        SplitMixRandom rng = new SplitMixRandom(9);
        int n = 100_000;
        double sum = 0.0;
        double sq = 0.0;
        double logSum = 0.0;
        for (int i = 0; i < n; i++) {
            p.sample(x, 0, rng, a, 0);
            double d = a[0] - (1.5 * 0.4 - 0.5 * 2.0);
            sum += d;
            sq += d * d;
            logSum += p.logProb(x, 0, a, 0);
        }
        assertThat(sum / n).isCloseTo(0.0, within(4e-3 / Math.sqrt(n)));
        assertThat(Math.sqrt(sq / n)).isCloseTo(1e-3, within(2e-5));
        assertThat(-logSum / n).isCloseTo(p.entropy(), within(0.01));
        assertThat(p.entropy()).isCloseTo(0.5 * Math.log(2 * Math.PI * Math.E * 1e-6), within(1e-12));
    }

    @Test
    void polyakMovesTowardsTheOnlineGain() {
        LinearGaussianPolicy online = new LinearGaussianPolicy(2, new double[] {1, 2}, new double[] {0.1});
        LinearGaussianPolicy target = new LinearGaussianPolicy(2, new double[] {0, 0}, new double[] {0.1});
        target.polyak(online, 0.25);
        assertThat(target.gain()).containsExactly(0.25, 0.5);
        assertThatThrownBy(() -> new LinearGaussianPolicy(2, new double[] {1, 2}, new double[] {0.0}))
                .hasMessageContaining("invertible");
    }
}
