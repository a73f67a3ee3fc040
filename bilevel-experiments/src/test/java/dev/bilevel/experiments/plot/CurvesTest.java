package dev.bilevel.experiments.plot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CurvesTest {

    @Test
    void rollingMeanExpandsAtTheStartAndThinningKeepsTheEnds() {
        assertThat(Curves.rollingMean(new double[] {1, 2, 3, 4, 5}, 2)).containsExactly(1, 1.5, 2.5, 3.5, 4.5);
        assertThat(Curves.rollingMean(new double[] {1, 2, 3}, 1)).containsExactly(1, 2, 3);
        double[] x = new double[10000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        double[][] thin = Curves.thin(300, x, x, x);
        assertThat(thin).hasNumberOfRows(3);
        assertThat(thin[0].length).isLessThanOrEqualTo(301);
        assertThat(thin[0][0]).isZero();
        assertThat(thin[0][thin[0].length - 1]).isEqualTo(9999);
        assertThat(thin[2]).isEqualTo(thin[0]);
        assertThat(Curves.defaultWindow(10000)).isEqualTo(100);
        assertThat(Curves.defaultWindow(50)).isEqualTo(1);
    }
}
