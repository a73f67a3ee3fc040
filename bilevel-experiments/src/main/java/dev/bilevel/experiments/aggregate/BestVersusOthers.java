package dev.bilevel.experiments.aggregate;

import dev.bilevel.experiments.stats.TwoSampleTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comparisons of one setting: its best method (the selected point with the best mean score; the first
 * in method order on a tie) against each other method, on the per-seed scores of the selected points.
 * The paired t-test is used when every method of the setting has exactly the same seeds with a finite
 * score, Welch's t-test otherwise; a method with fewer than two such seeds (or a best one with fewer) is
 * not tested.
 *
 * @param best the best method, or {@code null} when no method has a finite score
 * @param tests per other method, its scores against the best's ({@code t > 0}: the other method's mean is
 *     larger), in method order
 */
record BestVersusOthers(String best, Map<String, TwoSampleTest> tests) {

    /**
     * Compares the selected points of one setting.
     *
     * @param selected per method, in method order, its selected point or {@code null}
     * @param maximize whether a larger score is better
     * @return the best method and the tests
     */
    static BestVersusOthers of(Map<String, Aggregate.Point> selected, boolean maximize) {
        String best = null;
        double bestScore = Double.NaN;
        for (Map.Entry<String, Aggregate.Point> e : selected.entrySet()) {
            double s = e.getValue() == null ? Double.NaN : e.getValue().score().mean();
            if (!Double.isNaN(s) && (best == null || (maximize ? s > bestScore : s < bestScore))) {
                best = e.getKey();
                bestScore = s;
            }
        }
        Map<String, TwoSampleTest> tests = new LinkedHashMap<>();
        if (best == null) {
            return new BestVersusOthers(null, tests);
        }
        boolean paired = selected.values().stream().filter(p -> p != null).map(BestVersusOthers::seeds)
                .distinct().count() == 1;
        double[] reference = scores(selected.get(best));
        for (Map.Entry<String, Aggregate.Point> e : selected.entrySet()) {
            if (e.getKey().equals(best) || e.getValue() == null) {
                continue;
            }
            double[] other = scores(e.getValue());
            if (other.length >= 2 && reference.length >= 2) {
                tests.put(e.getKey(), paired ? TwoSampleTest.paired(other, reference)
                        : TwoSampleTest.welch(other, reference));
            }
        }
        return new BestVersusOthers(best, tests);
    }

    /** The seeds with a finite score, in seed order. */
    private static List<String> seeds(Aggregate.Point p) {
        return p.seeds().stream().filter(s -> Double.isFinite(s.score())).map(Aggregate.Seed::seed).toList();
    }

    /** The finite scores, in seed order. */
    private static double[] scores(Aggregate.Point p) {
        return p.seeds().stream().mapToDouble(Aggregate.Seed::score).filter(Double::isFinite).toArray();
    }
}
