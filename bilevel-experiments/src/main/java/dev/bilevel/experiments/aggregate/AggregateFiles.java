package dev.bilevel.experiments.aggregate;

import dev.bilevel.experiments.run.AtomicFiles;
import dev.bilevel.experiments.stats.SampleStat;
import dev.bilevel.experiments.stats.TwoSampleTest;
import dev.bilevel.experiments.sweep.TrialRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tables of an {@link Aggregate}: {@code points.csv} (one row per grid point and metric),
 * {@code selected.csv} (the best point per setting and method, with the paper's number, the 95 %
 * confidence interval of its mean and its test against the setting's best method),
 * {@code aggregate.json} (all of it), written atomically into {@code DIR/aggregate/}; and a markdown
 * table for the console. Numbers are written as the shortest text that reads back exactly; an unknown
 * number is an empty cell (CSV) or {@code null} (JSON).
 */
public final class AggregateFiles {

    /** One row per point and metric. */
    public static final String POINTS_CSV = "points.csv";
    /** One row per setting and method. */
    public static final String SELECTED_CSV = "selected.csv";
    /** Everything. */
    public static final String JSON_FILE = "aggregate.json";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private AggregateFiles() {
    }

    static void write(Aggregate a, Path out) {
        AtomicFiles.writeString(out.resolve(POINTS_CSV), pointsCsv(a));
        AtomicFiles.writeString(out.resolve(SELECTED_CSV), selectedCsv(a));
        AtomicFiles.writeString(out.resolve(JSON_FILE), json(a));
    }

    /**
     * {@code points.csv}.
     *
     * @param a the aggregate
     * @return the CSV text
     */
    public static String pointsCsv(Aggregate a) {
        StringBuilder csv = new StringBuilder("point");
        for (String k : a.settingKeys()) {
            csv.append(',').append(k);
        }
        csv.append(',').append(a.methodColumn());
        for (String k : a.hyperKeys()) {
            csv.append(',').append(k);
        }
        csv.append(",seeds,failed,metric,last_window_mean,last_window_se,final_mean,final_se,all_mean,all_se")
                .append(",last_window_ci_low,last_window_ci_high,final_ci_low,final_ci_high,all_ci_low,all_ci_high\n");
        for (Aggregate.Point p : a.points()) {
            StringBuilder prefix = new StringBuilder(p.name());
            p.setting().values().forEach(v -> prefix.append(',').append(csvCell(v)));
            prefix.append(',').append(csvCell(p.method()));
            p.hyper().values().forEach(v -> prefix.append(',').append(csvCell(v)));
            prefix.append(',').append(p.seeds().size()).append(',').append(p.failed().size());
            if (p.metrics().isEmpty()) {
                csv.append(prefix).append(',').append(a.metric()).append(",,,,,,,,,,,,\n");
            }
            for (Aggregate.MetricSummary m : p.metrics()) {
                csv.append(prefix).append(',').append(m.metric());
                for (SampleStat st : List.of(m.lastWindow(), m.last(), m.all())) {
                    csv.append(',').append(Aggregate.cell(st.mean()))
                            .append(',').append(Aggregate.cell(st.populationSe()));
                }
                for (SampleStat st : List.of(m.lastWindow(), m.last(), m.all())) {
                    csv.append(',').append(Aggregate.cell(st.ciLow())).append(',').append(Aggregate.cell(st.ciHigh()));
                }
                csv.append('\n');
            }
        }
        return csv.toString();
    }

    /**
     * {@code selected.csv}.
     *
     * @param a the aggregate
     * @return the CSV text
     */
    public static String selectedCsv(Aggregate a) {
        StringBuilder csv = new StringBuilder();
        for (String k : a.settingKeys()) {
            csv.append(k).append(',');
        }
        csv.append(a.methodColumn());
        for (String k : a.hyperKeys()) {
            csv.append(',').append(k);
        }
        csv.append(",point,candidates,seeds,failed,score_mean,score_se,paper_mean,paper_se")
                .append(",score_ci_low,score_ci_high,versus,test,t,df,p_value,hedges_g\n");
        for (Aggregate.Selection s : a.selected()) {
            for (String v : s.setting().values()) {
                csv.append(csvCell(v)).append(',');
            }
            csv.append(csvCell(s.method()));
            Aggregate.Point p = s.point();
            for (String k : a.hyperKeys()) {
                csv.append(',').append(p == null ? "" : csvCell(p.hyper().get(k)));
            }
            csv.append(',').append(p == null ? "" : p.name()).append(',').append(s.candidates())
                    .append(',').append(p == null ? 0 : p.seeds().size())
                    .append(',').append(p == null ? 0 : p.failed().size())
                    .append(',').append(p == null ? "" : Aggregate.cell(p.score().mean()))
                    .append(',').append(p == null ? "" : Aggregate.cell(p.score().populationSe()))
                    .append(',').append(s.paper() == null ? "" : Aggregate.cell(s.paper().mean()))
                    .append(',').append(s.paper() == null ? "" : Aggregate.cell(s.paper().se()))
                    .append(',').append(p == null ? "" : Aggregate.cell(p.score().ciLow()))
                    .append(',').append(p == null ? "" : Aggregate.cell(p.score().ciHigh()));
            TwoSampleTest test = s.versusBest();
            if (test == null) {
                csv.append(",,,,,,");
            } else {
                csv.append(',').append(csvCell(s.best())).append(',').append(test.design().label())
                        .append(',').append(Aggregate.cell(test.t())).append(',').append(Aggregate.cell(test.df()))
                        .append(',').append(Aggregate.cell(test.p()))
                        .append(',').append(Aggregate.cell(test.hedgesG()));
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    /**
     * {@code aggregate.json}.
     *
     * @param a the aggregate
     * @return the JSON text
     */
    public static String json(Aggregate a) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("problem", a.profile().problem());
        root.put("objective", a.metric());
        root.put("maximize", a.profile().maximize());
        root.put("rule", a.rule().id());
        root.put("rule_description", a.rule().describe(a.window()));
        root.put("window", a.window());
        root.put("standard_error", "population standard deviation over seeds / sqrt(seeds), as the reference");
        root.put("confidence_interval", "95 % Student t, seeds - 1 degrees of freedom, sample standard deviation");
        root.put("test", "per setting, each method against the best one: paired t-test where every method has the "
                + "same seeds, Welch t-test otherwise; two-sided p; effect size Hedges' g (pooled standard deviation)");
        root.put("setting_keys", a.settingKeys());
        root.put("method_keys", a.methodKeys());
        root.put("hyperparameter_keys", a.hyperKeys());
        root.put("selected_over", a.selectedOver());
        root.put("curve_metrics", a.curveMetrics());
        Map<String, Object> trials = new LinkedHashMap<>();
        trials.put("expected", a.expected() < 0 ? null : a.expected());
        trials.put("completed", a.completed());
        trials.put("failed", a.failures().size());
        root.put("trials", trials);
        List<Object> points = new ArrayList<>();
        for (Aggregate.Point p : a.points()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("point", p.name());
            m.put("setting", p.setting());
            m.put("method", p.method());
            m.put("hyperparameters", p.hyper());
            m.put("config", p.config());
            m.put("score", stat(p.score()));
            List<Object> seeds = new ArrayList<>();
            for (Aggregate.Seed s : p.seeds()) {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("seed", s.seed());
                sm.put("dir", s.dir());
                sm.put("score", number(s.score()));
                seeds.add(sm);
            }
            m.put("seeds", seeds);
            List<Object> failed = new ArrayList<>();
            for (Aggregate.Seed s : p.failed()) {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("seed", s.seed());
                sm.put("dir", s.dir());
                sm.put("error", s.error());
                failed.add(sm);
            }
            m.put("failed_seeds", failed);
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (Aggregate.MetricSummary ms : p.metrics()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("last_window", stat(ms.lastWindow()));
                x.put("final", stat(ms.last()));
                x.put("all", stat(ms.all()));
                metrics.put(ms.metric(), x);
            }
            m.put("metrics", metrics);
            m.put("curves", p.curveFile());
            points.add(m);
        }
        root.put("points", points);
        List<Object> selected = new ArrayList<>();
        for (Aggregate.Selection s : a.selected()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("setting", s.setting());
            m.put("method", s.method());
            m.put("point", s.point() == null ? null : s.point().name());
            m.put("hyperparameters", s.point() == null ? null : s.point().hyper());
            m.put("candidates", s.candidates());
            m.put("score", s.point() == null ? null : stat(s.point().score()));
            m.put("best", s.best());
            m.put("versus_best", s.versusBest() == null ? null : test(s.versusBest()));
            if (s.paper() == null) {
                m.put("paper", null);
            } else {
                Map<String, Object> paper = new LinkedHashMap<>();
                paper.put("mean", number(s.paper().mean()));
                paper.put("se", number(s.paper().se()));
                m.put("paper", paper);
            }
            selected.add(m);
        }
        root.put("selected", selected);
        List<Object> failures = new ArrayList<>();
        for (TrialRecord r : a.failures()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("label", r.label());
            m.put("error", r.error());
            failures.add(m);
        }
        root.put("failures", failures);
        return JSON.writeValueAsString(root) + "\n";
    }

    /**
     * The selected points as a markdown table: one row per setting, per method our number and, where
     * the profile has one, the paper's.
     *
     * @param a the aggregate
     * @return markdown text ending with a newline
     */
    public static String markdown(Aggregate a) {
        ProblemProfile profile = a.profile();
        List<String> methods = a.methods();
        boolean paper = a.selected().stream().anyMatch(s -> s.paper() != null);
        StringBuilder md = new StringBuilder();
        md.append("| ");
        for (String k : a.settingKeys()) {
            md.append(profile.keyLabel(k)).append(" | ");
        }
        for (String m : methods) {
            md.append(profile.methodLabel(m)).append(paper ? " (ours) | " + profile.methodLabel(m) + " (paper) | " : " | ");
        }
        md.setLength(md.length() - 1);
        md.append("\n|");
        int columns = a.settingKeys().size() + methods.size() * (paper ? 2 : 1);
        md.append("---|".repeat(Math.max(columns, 1))).append('\n');
        for (Map.Entry<Map<String, String>, List<Aggregate.Selection>> row : a.selectionsBySetting().entrySet()) {
            md.append("| ");
            for (String v : profile.valueLabels(row.getKey())) {
                md.append(v).append(" | ");
            }
            for (String m : methods) {
                Aggregate.Selection s = row.getValue().stream().filter(x -> x.method().equals(m)).findFirst().orElse(null);
                md.append(s == null || s.point() == null ? "–" : ours(s.point())).append(" | ");
                if (paper) {
                    md.append(s == null || s.paper() == null ? "–" : s.paper().text()).append(" | ");
                }
            }
            md.setLength(md.length() - 1);
            md.append('\n');
        }
        return md.toString();
    }

    /** {@code 0.546 ± 0.004 (3 seeds)}. */
    static String ours(Aggregate.Point p) {
        SampleStat s = p.score();
        if (Double.isNaN(s.mean())) {
            return "failed";
        }
        return String.format(Locale.ROOT, "%.3f ± %.3f (%d seed%s%s)", s.mean(), s.populationSe(), s.n(), s.n() == 1 ? "" : "s",
                p.failed().isEmpty() ? "" : ", " + p.failed().size() + " failed");
    }

    /** {@code 0.545 ± 0.009}, or {@code 0.001} without an SE. */
    private static Map<String, Object> stat(SampleStat s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", number(s.mean()));
        m.put("se", number(s.populationSe()));
        m.put("n", s.n());
        m.put("ci_low", number(s.ciLow()));
        m.put("ci_high", number(s.ciHigh()));
        return m;
    }

    private static Map<String, Object> test(TwoSampleTest t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test", t.design().label());
        m.put("t", number(t.t()));
        m.put("df", number(t.df()));
        m.put("p", number(t.p()));
        m.put("hedges_g", number(t.hedgesG()));
        return m;
    }

    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String csvCell(String text) {
        if (text == null) {
            return "";
        }
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
