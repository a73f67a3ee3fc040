package dev.bilevel.experiments.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SampleStatTest {

    /** {2, 4, 4, 4, 5, 5, 7, 9}: mean 5, squared deviations summing to 32. */
    private static final double[] EIGHT = {2, 4, 4, 4, 5, 5, 7, 9};

    @Test
    void meanStandardDeviationAndBothStandardErrors() {
        SampleStat s = SampleStat.of(EIGHT);
        assertThat(s.mean()).isEqualTo(5.0);
        assertThat(s.n()).isEqualTo(8);
        assertThat(s.sd()).isCloseTo(Math.sqrt(32.0 / 7), within(1e-15));
        assertThat(s.se()).isCloseTo(Math.sqrt(32.0 / 7 / 8), within(1e-15));
        // The reference's convention: population standard deviation (2) over √8.
        assertThat(s.populationSe()).isCloseTo(2.0 / Math.sqrt(8), within(1e-15));
    }

    @Test
    void confidenceIntervalUsesStudentTWithNMinusOneDegreesOfFreedom() {
        SampleStat s = SampleStat.of(EIGHT);
        // t(0.975, 7) = 2.3646 in printed t tables; a normal quantile (1.96) would be far off.
        double half = 2.3646 * Math.sqrt(32.0 / 7 / 8);
        assertThat(s.ciLow()).isCloseTo(5.0 - half, within(1e-4));
        assertThat(s.ciHigh()).isCloseTo(5.0 + half, within(1e-4));
        // n = 2: t(0.975, 1) = 12.7062.
        SampleStat two = SampleStat.of(new double[] {1, 3});
        assertThat(two.ciHalfWidth()).isCloseTo(12.7062 * 1.0, within(1e-4));
        assertThat(SampleStat.of(new double[] {7}).ciLow()).isNaN();
    }

    @Test
    void oneValueAndNoValue() {
        SampleStat one = SampleStat.of(new double[] {7});
        assertThat(one.mean()).isEqualTo(7.0);
        assertThat(one.se()).isNaN();
        assertThat(one.populationSe()).isZero();
        assertThat(SampleStat.of(new double[0])).isEqualTo(SampleStat.EMPTY);
        assertThat(SampleStat.EMPTY.populationSe()).isNaN();
    }

    @Test
    void ofFiniteLeavesOutWhatOfPropagates() {
        double[] values = {1, 2, 3, Double.NaN, Double.POSITIVE_INFINITY};
        assertThat(SampleStat.of(values).mean()).isNaN();
        SampleStat finite = SampleStat.ofFinite(values);
        assertThat(finite).isEqualTo(SampleStat.of(new double[] {1, 2, 3}));
        assertThat(finite.n()).isEqualTo(3);
    }

    @Test
    void scaledChangesTheUnit() {
        SampleStat ms = SampleStat.of(new double[] {0.001, 0.003}).scaled(1e3);
        assertThat(ms.mean()).isCloseTo(2.0, within(1e-12));
        assertThat(ms.se()).isCloseTo(1.0, within(1e-12));
        assertThat(ms.n()).isEqualTo(2);
    }
}
