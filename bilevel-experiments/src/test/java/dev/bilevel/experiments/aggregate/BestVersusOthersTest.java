package dev.bilevel.experiments.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.experiments.stats.SampleStat;
import dev.bilevel.experiments.stats.TwoSampleTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.inference.TTest;
import org.junit.jupiter.api.Test;

class BestVersusOthersTest {

    private static final double[] A = {1.0, 1.4, 0.9, 1.3};
    private static final double[] B = {0.5, 1.1, 0.2, 0.8};
    private static final double[] C = {0.7, 0.6, 1.0, 0.4};

    @Test
    void sameSeedsEverywhereArePaired() {
        Map<String, Aggregate.Point> setting = new LinkedHashMap<>();
        setting.put("b", point("b", new String[] {"0", "1", "2", "3"}, B));
        setting.put("a", point("a", new String[] {"0", "1", "2", "3"}, A));
        setting.put("c", point("c", new String[] {"0", "1", "2", "3"}, C));
        BestVersusOthers c = BestVersusOthers.of(setting, true);
        assertThat(c.best()).isEqualTo("a");
        assertThat(c.tests()).containsOnlyKeys("b", "c");
        TwoSampleTest b = c.tests().get("b");
        assertThat(b.design()).isEqualTo(TwoSampleTest.Design.PAIRED);
        TTest.Result expected = TTest.withDefaults().pairedTest(B, A);
        assertThat(b.t()).isEqualTo(expected.getStatistic()).isNegative();
        assertThat(b.p()).isEqualTo(expected.getPValue());
        assertThat(b.df()).isEqualTo(3.0);
    }

    @Test
    void differentSeedsInAnyMethodMakeTheWholeSettingWelch() {
        Map<String, Aggregate.Point> setting = new LinkedHashMap<>();
        setting.put("a", point("a", new String[] {"0", "1", "2", "3"}, A));
        setting.put("b", point("b", new String[] {"0", "1", "2", "3"}, B));
        setting.put("c", point("c", new String[] {"0", "1", "2", "4"}, C));
        BestVersusOthers c = BestVersusOthers.of(setting, true);
        assertThat(c.tests().values()).extracting(TwoSampleTest::design).containsOnly(TwoSampleTest.Design.WELCH);
        TTest.Result expected = TTest.withDefaults().test(B, A);
        assertThat(c.tests().get("b").t()).isEqualTo(expected.getStatistic());
        assertThat(c.tests().get("b").df()).isEqualTo(expected.getDegreesOfFreedom());
        assertThat(c.tests().get("b").p()).isEqualTo(expected.getPValue());
    }

    @Test
    void aNonFiniteScoreCountsAsAMissingSeed() {
        Map<String, Aggregate.Point> setting = new LinkedHashMap<>();
        setting.put("a", point("a", new String[] {"0", "1", "2", "3"}, A));
        setting.put("b", point("b", new String[] {"0", "1", "2", "3"}, new double[] {0.5, Double.NaN, 0.2, 0.8}));
        TwoSampleTest b = BestVersusOthers.of(setting, true).tests().get("b");
        assertThat(b.design()).isEqualTo(TwoSampleTest.Design.WELCH);
        assertThat(b.t()).isEqualTo(TTest.withDefaults().test(new double[] {0.5, 0.2, 0.8}, A).getStatistic());
    }

    @Test
    void minimisingPicksTheSmallestMeanAndTooFewSeedsAreNotTested() {
        Map<String, Aggregate.Point> setting = new LinkedHashMap<>();
        setting.put("a", point("a", new String[] {"0", "1", "2", "3"}, A));
        setting.put("b", point("b", new String[] {"0", "1", "2", "3"}, B));
        setting.put("one", point("one", new String[] {"0"}, new double[] {5.0}));
        setting.put("none", null);
        BestVersusOthers c = BestVersusOthers.of(setting, false);
        assertThat(c.best()).isEqualTo("b");
        assertThat(c.tests()).containsOnlyKeys("a");
        assertThat(c.tests().get("a").t()).isPositive();
        assertThat(BestVersusOthers.of(Map.of("x", point("x", new String[0], new double[0])), true).best()).isNull();
    }

    private static Aggregate.Point point(String method, String[] seeds, double[] scores) {
        List<Aggregate.Seed> list = new ArrayList<>();
        for (int i = 0; i < seeds.length; i++) {
            list.add(new Aggregate.Seed("id" + i, "trials/" + i, seeds[i], scores[i], null));
        }
        return new Aggregate.Point("point-" + method, Map.of(), Map.of(), method, Map.of(), list, List.of(), List.of(),
                SampleStat.ofFinite(scores), null);
    }
}
