package dev.bilevel.problems.json;

import static dev.bilevel.problems.json.Fixtures.MAPPER;
import static dev.bilevel.problems.json.Fixtures.NODES;
import static dev.bilevel.problems.json.Fixtures.baseCmdp;
import static dev.bilevel.problems.json.Fixtures.baseGame;
import static dev.bilevel.problems.json.Fixtures.mutate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.Hypergradient;
import dev.bilevel.core.cmdp.ConfigurableMdp;
import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.cmdp.LinearFeatureReward;
import dev.bilevel.core.cmdp.ParametricReward;
import dev.bilevel.core.game.ExactGameHypergradient;
import dev.bilevel.core.game.FollowerOperator;
import dev.bilevel.core.game.MarkovGame;
import dev.bilevel.core.tabular.TabularDynamics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Reading the documented layout into core models, writing it back, and round trips. */
class ProblemFilesTest {

    @Test
    void configurableMdpFieldsLandWhereTheFormatSays() {
        ConfigurableMdpProblem p = (ConfigurableMdpProblem) ProblemFiles.parse(baseCmdp());
        ConfigurableMdp mdp = p.mdp();
        JsonNode file = MAPPER.readTree(baseCmdp());
        int states = 3;
        int actions = 2;
        assertThat(mdp.states()).isEqualTo(states);
        assertThat(mdp.actions()).isEqualTo(actions);
        assertThat(mdp.dimension()).isEqualTo(2);
        for (int s = 0; s < states; s++) {
            for (int a = 0; a < actions; a++) {
                for (int next = 0; next < states; next++) {
                    assertThat(mdp.dynamics().probability(s * actions + a, next))
                            .isEqualTo(file.get("transitions").get(s).get(a).get(next).doubleValue());
                }
            }
        }
        // r_F(s,a;x) = followerReward[s][a] + Σ_j incentiveFeatures[s][a][j]·x_j, likewise for the leader.
        double[] x = {0.3, -0.7};
        double[] follower = mdp.followerReward().evaluate(x);
        double[] leader = mdp.leaderReward().evaluate(x);
        for (int s = 0; s < states; s++) {
            for (int a = 0; a < actions; a++) {
                double expectedFollower = file.get("followerReward").get(s).get(a).doubleValue();
                double expectedLeader = file.get("leaderReward").get(s).get(a).doubleValue();
                for (int j = 0; j < 2; j++) {
                    expectedFollower += file.get("incentiveFeatures").get(s).get(a).get(j).doubleValue() * x[j];
                    expectedLeader += file.get("leaderFeatures").get(s).get(a).get(j).doubleValue() * x[j];
                }
                assertThat(follower[s * actions + a]).isEqualTo(expectedFollower);
                assertThat(leader[s * actions + a]).isEqualTo(expectedLeader);
            }
        }
        assertThat(mdp.dynamics().initialDistribution()).containsExactly(1.0, 0.0, 0.0);
        assertThat(terminal(mdp.dynamics())).containsExactly(false, false, true);
        assertThat(mdp.followerDiscount()).isEqualTo(0.9);
        assertThat(mdp.leaderDiscount()).isEqualTo(0.95);
        assertThat(mdp.temperature()).isEqualTo(0.5);
        assertThat(p.parameters0()).containsExactly(0.1, -0.2);
        assertThat(p.kind()).isEqualTo("configurable-mdp");
        assertThat(p.leaderDecision()).containsExactly(0.1, -0.2);
    }

    @Test
    void markovGameUsesCoreJointActionLayout() {
        MarkovGameProblem p = (MarkovGameProblem) ProblemFiles.parse(baseGame());
        MarkovGame game = p.game();
        JsonNode file = MAPPER.readTree(baseGame());
        int states = 2;
        int nb = 2;
        int na = 3;
        assertThat(game.states()).isEqualTo(states);
        assertThat(game.leaderActions()).isEqualTo(nb);
        assertThat(game.followerActions()).isEqualTo(na);
        for (int s = 0; s < states; s++) {
            for (int b = 0; b < nb; b++) {
                for (int a = 0; a < na; a++) {
                    int row = s * (nb * na) + b * na + a;
                    for (int next = 0; next < states; next++) {
                        assertThat(game.dynamics().probability(row, next))
                                .isEqualTo(file.get("transitions").get(s).get(b).get(a).get(next).doubleValue());
                    }
                    assertThat(game.followerReward()[row])
                            .isEqualTo(file.get("followerReward").get(s).get(b).get(a).doubleValue());
                    assertThat(game.leaderReward()[row])
                            .isEqualTo(file.get("leaderReward").get(s).get(b).get(a).doubleValue());
                }
            }
        }
        assertThat(p.leaderLogits()).containsExactly(0.1, -0.1, 0.0, 0.5);
        assertThat(game.operator()).isEqualTo(FollowerOperator.AVERAGED);
        assertThat(terminal(game.dynamics())).containsExactly(false, false);
        assertThat(game.leaderDiscount()).isEqualTo(0.8);
        assertThat(p.kind()).isEqualTo("markov-game");
    }

    @Test
    void defaults() {
        String noOptional = mutate(baseCmdp(), r -> {
            r.remove("terminal");
            r.remove("leaderFeatures");
            r.remove("description");
        });
        ConfigurableMdp mdp = ((ConfigurableMdpProblem) ProblemFiles.parse(noOptional)).mdp();
        assertThat(terminal(mdp.dynamics())).containsExactly(false, false, false);
        double[] leaderAtZero = mdp.leaderReward().evaluate(new double[2]);
        assertThat(mdp.leaderReward().evaluate(new double[] {5.0, -3.0})).containsExactly(leaderAtZero);
        assertThat(mdp.leaderReward()).isInstanceOf(LinearFeatureReward.class);

        String sequential = mutate(baseGame(), r -> r.remove("followerOperator"));
        assertThat(((MarkovGameProblem) ProblemFiles.parse(sequential)).game().operator())
                .isEqualTo(FollowerOperator.SEQUENTIAL);
        String emptyTerminal = mutate(baseGame(), r -> r.set("terminal", NODES.arrayNode()));
        assertThat(terminal(((MarkovGameProblem) ProblemFiles.parse(emptyTerminal)).game().dynamics()))
                .containsExactly(false, false);
    }

    @Test
    void terminalAsBooleansOrIndicesGivesTheSameModel() {
        String indices = mutate(baseCmdp(), r -> r.set("terminal", NODES.arrayNode().add(2).add(0)));
        String booleans = mutate(baseCmdp(),
                r -> r.set("terminal", NODES.arrayNode().add(true).add(false).add(true)));
        TabularProblem fromIndices = ProblemFiles.parse(indices);
        TabularProblem fromBooleans = ProblemFiles.parse(booleans);
        assertThat(terminal(((ConfigurableMdpProblem) fromIndices).mdp().dynamics()))
                .containsExactly(true, false, true);
        assertThat(ProblemFiles.write(fromIndices)).isEqualTo(ProblemFiles.write(fromBooleans));
        Hypergradient a = exact(fromIndices);
        Hypergradient b = exact(fromBooleans);
        assertThat(a.objective()).isEqualTo(b.objective());
        assertThat(a.gradient()).containsExactly(b.gradient());
    }

    @ParameterizedTest
    @ValueSource(strings = {"base-cmdp.json", "base-game.json"})
    void handWrittenFilesRoundTrip(String resource) {
        TabularProblem original = ProblemFiles.parse(Fixtures.resource(resource));
        String written = ProblemFiles.write(original);
        TabularProblem reread = ProblemFiles.parse(written);
        assertThat(ProblemFiles.write(reread)).isEqualTo(written);
        assertSameModel(reread, original);
        // Everything but the description survives, value for value.
        JsonNode before = MAPPER.readTree(Fixtures.resource(resource));
        JsonNode after = MAPPER.readTree(written);
        for (String field : before.propertyNames()) {
            if (field.equals("description") || field.equals("terminal")) {
                continue;
            }
            assertThat(after.get(field)).as(field).isEqualTo(before.get(field));
        }
        assertThat(after.propertyNames()).doesNotContain("description");
    }

    static Stream<TabularProblem> randomProblems() {
        return Stream.of(
                RandomProblems.configurableMdp(1, 1, 1, 1, 0.0, 1.0),
                RandomProblems.configurableMdp(2, 5, 3, 2, 0.9, 0.1),
                RandomProblems.configurableMdp(3, 20, 4, 6, 0.99, 0.01),
                RandomProblems.markovGame(4, 1, 1, 1, 0.5, 1.0, FollowerOperator.SEQUENTIAL),
                RandomProblems.markovGame(5, 6, 2, 3, 0.9, 0.1, FollowerOperator.SEQUENTIAL),
                RandomProblems.markovGame(6, 7, 3, 2, 0.95, 0.3, FollowerOperator.AVERAGED));
    }

    @ParameterizedTest
    @MethodSource("randomProblems")
    void randomProblemsRoundTripBitForBit(TabularProblem problem) {
        String written = ProblemFiles.write(problem);
        TabularProblem reread = ProblemFiles.parse(written);
        assertThat(reread.getClass()).isEqualTo(problem.getClass());
        assertThat(ProblemFiles.write(reread)).isEqualTo(written);
        assertSameModel(reread, problem);
        Hypergradient expected = exact(problem);
        Hypergradient actual = exact(reread);
        assertThat(actual.objective()).isEqualTo(expected.objective());
        assertThat(actual.gradient()).containsExactly(expected.gradient());
    }

    @Test
    void writerOmitsZeroLeaderFeaturesAndWritesTerminalAsBooleans() {
        String noLeaderFeatures = mutate(baseCmdp(), r -> r.remove("leaderFeatures"));
        JsonNode written = MAPPER.readTree(ProblemFiles.write(ProblemFiles.parse(noLeaderFeatures)));
        assertThat(written.has("leaderFeatures")).isFalse();
        assertThat(written.get("terminal")).isEqualTo(MAPPER.readTree("[false, false, true]"));
        JsonNode withFeatures = MAPPER.readTree(ProblemFiles.write(ProblemFiles.parse(baseCmdp())));
        assertThat(withFeatures.has("leaderFeatures")).isTrue();
        assertThat(withFeatures.propertyNames()).containsExactly("kind", "transitions", "followerReward",
                "incentiveFeatures", "leaderReward", "leaderFeatures", "initialDistribution", "terminal",
                "followerDiscount", "leaderDiscount", "temperature", "parameters0");
        JsonNode game = MAPPER.readTree(ProblemFiles.write(ProblemFiles.parse(baseGame())));
        assertThat(game.propertyNames()).containsExactly("kind", "transitions", "followerReward", "leaderReward",
                "initialDistribution", "terminal", "followerDiscount", "leaderDiscount", "temperature",
                "followerOperator", "leaderLogits");
        assertThat(game.get("followerOperator").stringValue()).isEqualTo("averaged");
    }

    @Test
    void writtenFilesAreReadable() {
        String written = ProblemFiles.write(ProblemFiles.parse(baseCmdp()));
        assertThat(written).startsWith("{\n  \"kind\": \"configurable-mdp\",\n").endsWith("}\n");
        assertThat(written).contains("\"parameters0\": [0.1, -0.2]\n");
        assertThat(written).contains("\"followerReward\": [[0.1, -0.2], [0.0, 0.3], [1.0, 1.0]],\n");
        String large = ProblemFiles.write(RandomProblems.configurableMdp(9, 30, 3, 2, 0.9, 0.1));
        assertThat(large.lines()).allSatisfy(line -> assertThat(line.length() <= 100 || !line.strip()
                .startsWith("[[")).as(line).isTrue());
    }

    @Test
    void writeRejectsRewardsItCannotRepresent() {
        ConfigurableMdp mdp = ((ConfigurableMdpProblem) ProblemFiles.parse(baseCmdp())).mdp();
        ParametricReward quadratic = new ParametricReward() {
            @Override
            public int states() {
                return 3;
            }

            @Override
            public int actions() {
                return 2;
            }

            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void evaluate(double[] x, double[] out) {
                java.util.Arrays.fill(out, x[0] * x[0]);
            }

            @Override
            public void accumulateGradient(double[] x, double[] weights, double[] gradient) {
                throw new UnsupportedOperationException();
            }
        };
        ConfigurableMdp custom = new ConfigurableMdp(mdp.dynamics(), quadratic, mdp.leaderReward(),
                mdp.followerDiscount(), mdp.leaderDiscount(), mdp.temperature());
        assertThatThrownBy(() -> ProblemFiles.write(new ConfigurableMdpProblem(custom, new double[2])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("followerReward: only a LinearFeatureReward can be written");

        double[] base = mdp.followerReward().evaluate(new double[2]);
        base[3] = Double.NaN;
        // Non-finite rewards cannot even be built, so there is nothing non-finite to write.
        assertThatThrownBy(() -> LinearFeatureReward.constant(3, 2, 2, base))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("base reward: contains the non-finite value NaN");
    }

    @Test
    void recordsValidateAndCopyTheirArrays() {
        ConfigurableMdpProblem p = (ConfigurableMdpProblem) ProblemFiles.parse(baseCmdp());
        assertThatThrownBy(() -> new ConfigurableMdpProblem(p.mdp(), new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("parameters0: expected 2 entries, got 3");
        assertThatThrownBy(() -> new ConfigurableMdpProblem(p.mdp(), new double[] {0.0, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("parameters0[1]:");
        double[] x = {1.0, 2.0};
        ConfigurableMdpProblem q = new ConfigurableMdpProblem(p.mdp(), x);
        x[0] = 5.0;
        q.parameters0()[1] = 7.0;
        assertThat(q.parameters0()).containsExactly(1.0, 2.0);
        assertThat(q).isEqualTo(new ConfigurableMdpProblem(p.mdp(), new double[] {1.0, 2.0}));

        MarkovGameProblem g = (MarkovGameProblem) ProblemFiles.parse(baseGame());
        assertThatThrownBy(() -> new MarkovGameProblem(g.game(), new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("leaderLogits: expected 4");
        assertThatThrownBy(() -> new MarkovGameProblem(g.game(), new double[] {0, 0, Double.POSITIVE_INFINITY, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("leaderLogits[1][0]:");
    }

    @Test
    void readsFilesAndReportsUnreadableOnes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("problem.json");
        Files.writeString(file, baseGame(), StandardCharsets.UTF_8);
        assertThat(ProblemFiles.read(file)).isInstanceOf(MarkovGameProblem.class);

        Path withBom = dir.resolve("bom.json");
        Files.writeString(withBom, "\uFEFF" + baseCmdp(), StandardCharsets.UTF_8);
        assertThat(ProblemFiles.read(withBom)).isInstanceOf(ConfigurableMdpProblem.class);

        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> ProblemFiles.read(missing)).isInstanceOf(ProblemFileException.class)
                .hasMessage("cannot read problem file " + missing + ": no such file");
        assertThatThrownBy(() -> ProblemFiles.read(dir)).isInstanceOf(ProblemFileException.class)
                .hasMessageStartingWith("cannot read problem file " + dir + ":");
        Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, new byte[] {'{', '"', (byte) 0xE9, '"', '}'});
        assertThatThrownBy(() -> ProblemFiles.read(latin1)).isInstanceOf(ProblemFileException.class)
                .hasMessage("cannot read problem file " + latin1 + ": not valid UTF-8");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"kind\": \"markov-game\"}");
        assertThatThrownBy(() -> ProblemFiles.read(broken)).isInstanceOf(ProblemFileException.class)
                .hasMessage("missing field 'transitions'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"chain-cmdp.json", "matching-game.json"})
    void documentedExamplesAreValid(String name) {
        // Surefire runs in the module directory; the examples live in the repository's docs/.
        Path example = Path.of("..", "docs", "examples", name);
        assertThat(example).exists();
        TabularProblem problem = ProblemFiles.read(example);
        Hypergradient h = exact(problem);
        assertThat(h.objective()).isFinite();
        assertThat(h.gradient()).hasSize(problem.leaderDecision().length);
        assertThat(boxed(h.gradient())).allSatisfy(v -> assertThat(v).isFinite());
        assertThat(ProblemFiles.parse(ProblemFiles.write(problem)).leaderDecision())
                .containsExactly(problem.leaderDecision());
    }

    @Test
    void chainExampleHasAnInteriorOptimalIncentive() {
        // Documented: F rises from x0 = 0.1 and peaks near x = 0.88, so the hypergradient changes sign.
        ConfigurableMdpProblem chain = (ConfigurableMdpProblem) ProblemFiles.read(
                Path.of("..", "docs", "examples", "chain-cmdp.json"));
        assertThat(ExactHypergradient.compute(chain.mdp(), chain.parameters0()).gradient()[0]).isPositive();
        assertThat(ExactHypergradient.compute(chain.mdp(), new double[] {0.8}).gradient()[0]).isPositive();
        assertThat(ExactHypergradient.compute(chain.mdp(), new double[] {0.95}).gradient()[0]).isNegative();
    }

    private static Hypergradient exact(TabularProblem problem) {
        if (problem instanceof ConfigurableMdpProblem p) {
            return ExactHypergradient.compute(p.mdp(), p.parameters0());
        }
        MarkovGameProblem p = (MarkovGameProblem) problem;
        return ExactGameHypergradient.compute(p.game(), p.leaderLogits());
    }

    private static boolean[] terminal(TabularDynamics dynamics) {
        boolean[] terminal = new boolean[dynamics.states()];
        for (int s = 0; s < terminal.length; s++) {
            terminal[s] = dynamics.isTerminal(s);
        }
        return terminal;
    }

    /** Same kernel, rewards (at x₀ and their features), constants and leader decision, bit for bit. */
    private static void assertSameModel(TabularProblem actual, TabularProblem expected) {
        assertThat(actual.leaderDecision()).containsExactly(expected.leaderDecision());
        TabularDynamics da;
        TabularDynamics de;
        if (actual instanceof ConfigurableMdpProblem a) {
            ConfigurableMdpProblem e = (ConfigurableMdpProblem) expected;
            da = a.mdp().dynamics();
            de = e.mdp().dynamics();
            int d = e.mdp().dimension();
            assertThat(a.mdp().dimension()).isEqualTo(d);
            for (int j = -1; j < d; j++) {
                double[] x = new double[d];
                if (j >= 0) {
                    x[j] = 1.0;
                }
                assertThat(a.mdp().followerReward().evaluate(x)).containsExactly(e.mdp().followerReward().evaluate(x));
                assertThat(a.mdp().leaderReward().evaluate(x)).containsExactly(e.mdp().leaderReward().evaluate(x));
            }
            assertThat(a.mdp().followerDiscount()).isEqualTo(e.mdp().followerDiscount());
            assertThat(a.mdp().leaderDiscount()).isEqualTo(e.mdp().leaderDiscount());
            assertThat(a.mdp().temperature()).isEqualTo(e.mdp().temperature());
        } else {
            MarkovGame a = ((MarkovGameProblem) actual).game();
            MarkovGame e = ((MarkovGameProblem) expected).game();
            da = a.dynamics();
            de = e.dynamics();
            assertThat(a.leaderActions()).isEqualTo(e.leaderActions());
            assertThat(a.followerActions()).isEqualTo(e.followerActions());
            assertThat(a.followerReward()).containsExactly(e.followerReward());
            assertThat(a.leaderReward()).containsExactly(e.leaderReward());
            assertThat(a.followerDiscount()).isEqualTo(e.followerDiscount());
            assertThat(a.leaderDiscount()).isEqualTo(e.leaderDiscount());
            assertThat(a.temperature()).isEqualTo(e.temperature());
            assertThat(a.operator()).isEqualTo(e.operator());
        }
        assertThat(da.states()).isEqualTo(de.states());
        assertThat(da.actions()).isEqualTo(de.actions());
        for (int row = 0; row < de.states() * de.actions(); row++) {
            for (int next = 0; next < de.states(); next++) {
                assertThat(da.probability(row, next)).isEqualTo(de.probability(row, next));
            }
        }
        assertThat(da.initialDistribution()).containsExactly(de.initialDistribution());
        assertThat(terminal(da)).containsExactly(terminal(de));
    }

    private static java.util.List<Double> boxed(double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
