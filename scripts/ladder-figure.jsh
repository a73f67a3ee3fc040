// Draws a ladder figure: a metrics.csv column per iteration (mean ± SE over seeds) of each setting of one or more
// sweeps, one band per setting (a trial's label without its seed). Run from the repository root after the sweeps:
//   the LQR game (docs/results/lqr-game.md, "The ladder"):
//   SWEEPS="runs/lqr-game-critic-ladder runs/lqr-game-model-critic" SEEDS=40 OUT=docs/results/figures \
//     BASE=lqr-game-ladder jshell -J-Djava.awt.headless=true --class-path bilevel-cli/target/bilevel.jar \
//     scripts/ladder-figure.jsh
//   building thermal control (docs/results/thermal.md, "The ladder"):
//   SWEEPS=runs/thermal-ladder COLUMN=exact_leader_return TITLE="Building thermal control: the ladder (BC-HG, lr 0.1)" \
//     OUT=docs/results/figures BASE=thermal-ladder jshell -J-Djava.awt.headless=true \
//     --class-path bilevel-cli/target/bilevel.jar scripts/ladder-figure.jsh
//   GuidedCartPole-v1 (docs/results/learning-followers.md, the wind leaders):
//   SWEEPS="runs/guided-cartpole-baselines runs/guided-cartpole-leaders" COLUMN=leader_objective SEEDS=10 \
//     NAMES="method=bchg=>BC-HG wind;method=naive=>Naive-PGD wind;method=zero-wind=>no wind;method=random-wind=>random wind" \
//     TITLE="GuidedCartPole-v1: the leader's target return" OUT=docs/results/figures BASE=guided-cartpole-leaders \
//     jshell -J-Djava.awt.headless=true --class-path bilevel-cli/target/bilevel.jar scripts/ladder-figure.jsh
import dev.bilevel.experiments.plot.*;
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

// Readable names of the settings the docs' ladder has (any other setting keeps its label).
Map<String, String> names = Map.ofEntries(
        Map.entry("covariance_pairs=0 exact_terms=measure", "exact benefit; pathwise direct"),
        Map.entry("covariance_pairs=0 exact_terms=direct", "exact benefit; exact direct"),
        Map.entry("covariance_pairs=8 exact_terms=measure", "exact benefit, drawn covariance; pathwise direct"),
        Map.entry("covariance_pairs=8 exact_terms=direct", "exact benefit, drawn covariance; exact direct"),
        Map.entry("method=bchg", "model critic (BC-HG, the default)"),
        Map.entry("method=naive", "Naive-PGD, model-critic direct"),
        Map.entry("critic.kind=mlp estimator.sensitivity=monte-carlo", "MLP critics, Monte-Carlo Φ (the reference)"),
        Map.entry("critic.kind=mlp estimator.sensitivity=centred", "MLP critics, centred Φ"),
        Map.entry("critic.kind=mlp estimator.sensitivity=model", "MLP critics, model sensitivity"),
        Map.entry("critic.kind=quadratic estimator.sensitivity=monte-carlo", "quadratic critics, Monte-Carlo Φ"),
        Map.entry("critic.kind=quadratic estimator.sensitivity=centred", "quadratic critics, centred Φ"),
        Map.entry("critic.kind=quadratic estimator.sensitivity=model", "quadratic critics, model sensitivity"));
// NAMES="label=>name;label=>name" replaces them (another sweep's settings).
if (System.getenv("NAMES") != null) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String entry : System.getenv("NAMES").split(";")) {
        String[] pair = entry.split("=>", 2);
        given.put(pair[0].trim(), pair[1].trim());
    }
    names = given;
}
String column = System.getenv().getOrDefault("COLUMN", "exact_leader_return_undiscounted");
String title = System.getenv().getOrDefault("TITLE", "LQR game: the ladder's critic rungs");
int seeds = Integer.parseInt(System.getenv().getOrDefault("SEEDS", "1000000"));
Pattern labelPattern = Pattern.compile("\"label\" : \"([^\"]*)\"");
Map<String, List<double[]>> curves = new TreeMap<>();
for (String sweep : System.getenv("SWEEPS").trim().split("\\s+")) {
    try (DirectoryStream<Path> trials = Files.newDirectoryStream(Path.of(sweep, "trials"))) {
        for (Path trial : trials) {
            Matcher m = labelPattern.matcher(Files.readString(trial.resolve("trial.json")));
            if (!m.find() || !Files.exists(trial.resolve("metrics.csv"))) continue;
            String label = m.group(1);
            int seed = Integer.parseInt(label.replaceAll(".*seed=(\\d+).*", "$1"));
            if (seed >= seeds) continue;
            label = label.replaceAll("\\s*seed=\\d+", "").replace("leader.", "").trim();
            label = names.getOrDefault(label, label);
            List<String> lines = Files.readAllLines(trial.resolve("metrics.csv"));
            int col = Arrays.asList(lines.get(0).split(",")).indexOf(column);
            double[] y = new double[lines.size() - 1];
            for (int i = 1; i < lines.size(); i++) y[i - 1] = Double.parseDouble(lines.get(i).split(",")[col]);
            curves.computeIfAbsent(label, k -> new ArrayList<>()).add(y);
        }
    }
}
List<Plots.Band> bands = new ArrayList<>();
int colour = 0;
for (Map.Entry<String, List<double[]>> e : curves.entrySet()) {
    List<double[]> runs = e.getValue();
    int len = runs.get(0).length;
    double[] x = new double[len], mean = new double[len], se = new double[len];
    for (int t = 0; t < len; t++) {
        double s = 0, sq = 0;
        for (double[] r : runs) { s += r[t]; sq += r[t] * r[t]; }
        int n = runs.size();
        x[t] = t;
        mean[t] = s / n;
        se[t] = n > 1 ? Math.sqrt(Math.max(0, (sq - s * s / n) / (n - 1)) / n) : Double.NaN;
    }
    bands.add(new Plots.Band(e.getKey() + " (" + runs.size() + " seeds)", Palette.ordinal(colour++), x, mean, se, null));
}
Plots.write(Plots.bandChart(title, "iteration", column + " (mean ± SE)", bands, 0), Path.of(System.getenv("OUT")), System.getenv("BASE"));
/exit
