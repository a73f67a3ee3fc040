// Draws the sub-optimal-follower study's figure from an aggregated sweep: METRIC (mean of the last window ± SE over
// seeds) against the follower's rounds or sweeps X, one line per method, solid for reset-q and dashed for carry-q,
// one figure per sample count. Run from the repository root after `bilevel aggregate SWEEP --by ...`:
//   SWEEP=runs/four-rooms-subopt X=follower.rounds METRIC=leader_objective_optimal_follower \
//     OUT=docs/results/figures BASE=four-rooms-subopt \
//     jshell -J-Djava.awt.headless=true --class-path bilevel-cli/target/bilevel.jar scripts/subopt-figure.jsh
import dev.bilevel.experiments.plot.*;
import java.nio.file.*;
import java.util.*;

String sweep = System.getenv("SWEEP");
String xKey = System.getenv("X");
List<String> lines = Files.readAllLines(Path.of(sweep, "aggregate", "points.csv"));
List<String> header = Arrays.asList(lines.get(0).split(","));
int xCol = header.indexOf(xKey), method = header.indexOf("method"), mode = header.indexOf("follower.behaviour");
int samples = header.indexOf("samples"), mean = header.indexOf("last_window_mean"), se = header.indexOf("last_window_se");
int metric = header.indexOf("metric");
String wanted = System.getenv("METRIC");
// best point per (samples, mode, method, k) where a sweep also varies the learning rate
Map<String, double[]> best = new TreeMap<>();
for (String line : lines.subList(1, lines.size())) {
    String[] f = line.split(",");
    if (!f[metric].equals(wanted)) continue;
    String key = (samples >= 0 ? f[samples] : "-") + "|" + f[mode] + "|" + f[method] + "|" + f[xCol];
    double m = Double.parseDouble(f[mean]);
    if (!best.containsKey(key) || best.get(key)[0] < m) best.put(key, new double[] {m, Double.parseDouble(f[se])});
}
Set<String> sampleValues = new TreeSet<>();
best.keySet().forEach(k -> sampleValues.add(k.split("\\|")[0]));
for (String n : sampleValues) {
    List<Plots.Series> series = new ArrayList<>();
    for (String md : List.of("reset-q", "carry-q")) {
        for (String m : List.of("bchg", "hpgd-mc", "naive")) {
            List<double[]> pts = new ArrayList<>();
            best.forEach((k, v) -> {
                String[] p = k.split("\\|");
                if (p[0].equals(n) && p[1].equals(md) && p[2].equals(m)) pts.add(new double[] {Double.parseDouble(p[3]), v[0], v[1]});
            });
            pts.sort(Comparator.comparingDouble(p -> p[0]));
            if (pts.isEmpty()) continue;
            series.add(new Plots.Series(m + ", " + md, pts.stream().mapToDouble(p -> p[0]).toArray(),
                    pts.stream().mapToDouble(p -> p[1]).toArray(), pts.stream().mapToDouble(p -> p[2]).toArray(),
                    md.equals("carry-q"), Palette.method(m)));
        }
    }
    String title = n.equals("-") ? "" : n + " samples per iteration";
    Plots.write(Plots.chart(title, xKey + " per leader update", wanted + " (last window, mean ± SE)",
            true, false, series), Path.of(System.getenv("OUT")), System.getenv("BASE") + (n.equals("-") ? "" : "-" + n));
}
/exit
