package dev.bilevel.experiments.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Checked against Student's sleep data (Cushny and Peebles; R's {@code sleep}): the published outputs of
 * R's {@code t.test}, and the textbook formulas evaluated here, with p-values integrated numerically from
 * the t density, independently of the library.
 */
class TwoSampleTestTest {

    private static final double[] DRUG1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
    private static final double[] DRUG2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

    @Test
    void welchMatchesRAndTheFormulas() {
        TwoSampleTest w = TwoSampleTest.welch(DRUG1, DRUG2);
        assertThat(w.design()).isEqualTo(TwoSampleTest.Design.WELCH);
        // R: t = -1.8608, df = 17.776, p-value = 0.07939
        assertThat(w.t()).isCloseTo(-1.8608, within(5e-5));
        assertThat(w.df()).isCloseTo(17.776, within(5e-4));
        assertThat(w.p()).isCloseTo(0.07939, within(5e-6));
        double vx = variance(DRUG1) / DRUG1.length;
        double vy = variance(DRUG2) / DRUG2.length;
        double t = (mean(DRUG1) - mean(DRUG2)) / Math.sqrt(vx + vy);
        double df = (vx + vy) * (vx + vy) / (vx * vx / (DRUG1.length - 1) + vy * vy / (DRUG2.length - 1));
        assertThat(w.t()).isCloseTo(t, within(1e-12));
        assertThat(w.df()).isCloseTo(df, within(1e-9));
        assertThat(w.p()).isCloseTo(twoSidedP(t, df), within(1e-8));
    }

    @Test
    void pairedMatchesRAndTheFormulas() {
        TwoSampleTest p = TwoSampleTest.paired(DRUG1, DRUG2);
        assertThat(p.design()).isEqualTo(TwoSampleTest.Design.PAIRED);
        // R: t = -4.0621, df = 9, p-value = 0.002833
        assertThat(p.t()).isCloseTo(-4.0621, within(5e-5));
        assertThat(p.df()).isEqualTo(9.0);
        assertThat(p.p()).isCloseTo(0.002833, within(5e-7));
        double[] d = new double[DRUG1.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = DRUG1[i] - DRUG2[i];
        }
        double t = mean(d) / Math.sqrt(variance(d) / d.length);
        assertThat(p.t()).isCloseTo(t, within(1e-12));
        assertThat(p.p()).isCloseTo(twoSidedP(t, 9), within(1e-8));
        // Pairing removes the between-subject spread: a much smaller p than Welch's on the same numbers.
        assertThat(p.p()).isLessThan(TwoSampleTest.welch(DRUG1, DRUG2).p() / 10);
    }

    @Test
    void hedgesGIsCohensDWithThePooledSdTimesTheCorrection() {
        double pooled = Math.sqrt((9 * variance(DRUG1) + 9 * variance(DRUG2)) / 18);
        double g = (mean(DRUG1) - mean(DRUG2)) / pooled * (1 - 3.0 / (4 * 20 - 9));
        assertThat(g).isCloseTo(-0.797, within(5e-4)); // d = −0.832 (Cohen), × 0.9577
        assertThat(TwoSampleTest.welch(DRUG1, DRUG2).hedgesG()).isCloseTo(g, within(1e-12));
        assertThat(TwoSampleTest.paired(DRUG1, DRUG2).hedgesG()).isCloseTo(g, within(1e-12));
        assertThat(TwoSampleTest.welch(DRUG2, DRUG1).hedgesG()).isCloseTo(-g, within(1e-12));
    }

    @Test
    void tooFewValuesOrUnequalPairsAreRefused() {
        assertThatThrownBy(() -> TwoSampleTest.welch(new double[] {1}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two values");
        assertThatThrownBy(() -> TwoSampleTest.paired(new double[] {1, 2, 3}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different sizes");
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double variance(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return s / (v.length - 1);
    }

    /**
     * {@code P(|T| > |t|)} for Student's t with {@code df} degrees of freedom: with {@code x = √df·tan θ}
     * the density is proportional to {@code cos^(df−1) θ} on {@code (−π/2, π/2)}; Simpson's rule.
     */
    private static double twoSidedP(double t, double df) {
        double from = Math.atan(Math.abs(t) / Math.sqrt(df));
        return simpson(from, Math.PI / 2, df - 1) / simpson(0, Math.PI / 2, df - 1);
    }

    private static double simpson(double a, double b, double power) {
        int n = 20_000;
        double h = (b - a) / n;
        double sum = Math.pow(Math.cos(a), power) + Math.pow(Math.cos(b), power);
        for (int i = 1; i < n; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * Math.pow(Math.cos(a + i * h), power);
        }
        return sum * h / 3;
    }
}
