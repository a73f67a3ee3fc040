package dev.bilevel.learn.estimator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.learn.critic.ExactLeaderCritic;
import dev.bilevel.learn.estimator.term.Normalization;
import dev.bilevel.learn.estimator.term.RewardDesignTerms;
import dev.bilevel.learn.estimator.term.TabularDirectTerm;
import dev.bilevel.learn.estimator.term.TrajectorySums;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.learn.testing.BruteForce;
import dev.bilevel.learn.testing.Instances.Instance;
import dev.bilevel.learn.testing.Instances.Spec;
import dev.bilevel.learn.testing.Instances;
import dev.bilevel.learn.testing.TabularMethods;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each batch estimator against its defining formula (method.md §2.4, §3.1; reference spec §3.1–3.7)
 * evaluated naively on the same batch: per-row d-vectors (tail sums {@code G_t}, leader gradient returns
 * {@code H_t}) formed explicitly, every-visit tables by double loops. This checks the scalar-weight
 * (linearity) implementation exactly, on batches with partial episodes, terminal states and time-outs.
 * Different follower and leader discounts catch a swapped {@code γ}.
 */
class EstimatorFormulasTest {

    private static final double TOL = 1e-11;

    record Setup(Instance inst, TabularResponse follower, TabularBatch batch, double[] q, double[] v) {

        int d() {
            return inst.dimension();
        }

        int actions() {
            return inst.actions();
        }

        double[] rowLeaderRewards() {
            double[] f = inst.mdp().leaderReward().evaluate(inst.x());
            return TrajectorySums.rowValues(batch, f, actions());
        }

        Estimation<double[], TabularResponse, TabularBatch> context(long seed) {
            return new Estimation<>(0, inst.x(), follower, batch, new SplitMixRandom(seed));
        }

        double[][] followerTails() {
            return BruteForce.tails(batch, inst.followerFeatures(), actions(), d(), follower.discount());
        }

        double[][] leaderTails() {
            return BruteForce.tails(batch, inst.leaderFeatures(), actions(), d(), inst.mdp().leaderDiscount());
        }

        double[] gammaL() {
            double[] w = new double[batch.size()];
            for (int i : BruteForce.usedRows(batch)) {
                w[i] = Math.pow(inst.mdp().leaderDiscount(), batch.times()[i]);
            }
            return w;
        }

        /** Exact {@code Q_L − V_L} at each row. */
        double[] benefit() {
            double[] b = new double[batch.size()];
            for (int i : BruteForce.usedRows(batch)) {
                int s = batch.states()[i];
                b[i] = q[s * actions() + batch.actions()[i]] - v[s];
            }
            return b;
        }
    }

    static Setup setup(String kind) {
        Instance inst = Instances.cmdp(41, Spec.of(6, 3, 5, 1, 0.85, 0.8, 0.5));
        TabularResponse follower = inst.response();
        TabularSampler sampler = new TabularSampler(inst.dynamics(), 9);
        TabularBatch batch = kind.equals("streams")
                ? sampler.sample(follower.policy(), 3, 80, new SplitMixRandom(42))
                : sampler.sampleEpisodes(follower.policy(), 40, 15, new SplitMixRandom(43));
        var values = PolicyEvaluation.evaluate(inst.dynamics(), follower.policy(),
                inst.mdp().leaderReward().evaluate(inst.x()), inst.mdp().leaderDiscount());
        return new Setup(inst, follower, batch, values.actionValues(), values.stateValues());
    }

    static Stream<Arguments> kinds() {
        return Stream.of(Arguments.of("streams"), Arguments.of("episodes"));
    }

    private static double[] scaled(double[] v, double c) {
        double[] out = v.clone();
        for (int j = 0; j < out.length; j++) {
            out[j] *= c;
        }
        return out;
    }

    private static void assertClose(double[] actual, double[] expected, String what) {
        double scale = 1.0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int j = 0; j < expected.length; j++) {
            assertThat(Math.abs(actual[j] - expected[j])).as(what + "[" + j + "]: " + actual[j] + " vs " + expected[j])
                    .isLessThanOrEqualTo(TOL * scale);
        }
    }

    /** {@code (1/N)·Σ_t γ_L^τ ∇f(s_t,a_t)}. */
    private static double[] perStepDirect(Setup st, double n) {
        double[][] grad = new double[st.batch.size()][];
        for (int i : BruteForce.usedRows(st.batch)) {
            grad[i] = BruteForce.at(st.batch, i, st.inst.leaderFeatures(), st.actions(), st.d());
        }
        return scaled(BruteForce.weightedSum(st.batch, st.gammaL(), grad, st.d()), 1.0 / n);
    }

    /** Mean over episode-start rows of the every-visit state mean of {@code H_t}. */
    private static double[] episodeStartDirect(Setup st) {
        double[][] hBar = BruteForce.meanByState(st.batch, st.leaderTails());
        double[] out = new double[st.d()];
        int starts = 0;
        for (int i : BruteForce.usedRows(st.batch)) {
            if (st.batch.times()[i] == 0) {
                for (int j = 0; j < out.length; j++) {
                    out[j] += hBar[i][j];
                }
                starts++;
            }
        }
        return scaled(out, 1.0 / starts);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void bchgUnbiasedIsTheTailSumFormula(String kind) {
        Setup st = setup(kind);
        Estimate est = TabularMethods.bchg(st.inst.mdp(), new ExactLeaderCritic(st.inst.dynamics()),
                RewardDesignTerms.Options.unbiased()).estimate(st.context(1));
        double n = st.batch.startedEpisodes();
        double[] c = st.gammaL();
        double[] b = st.benefit();
        for (int i = 0; i < c.length; i++) {
            c[i] *= b[i] / (st.follower.temperature() * n);
        }
        assertClose(est.response(), BruteForce.weightedSum(st.batch, c, st.followerTails(), st.d()), "response");
        assertClose(est.direct(), perStepDirect(st, n), "direct");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void bchgReferenceUsesEveryVisitTailMeansAndCompletedEpisodes(String kind) {
        Setup st = setup(kind);
        Estimate est = TabularMethods.bchg(st.inst.mdp(), new ExactLeaderCritic(st.inst.dynamics()),
                RewardDesignTerms.Options.reference()).estimate(st.context(1));
        double n = Math.max(1, st.batch.completedEpisodes());
        double[] c = st.gammaL();
        double[] b = st.benefit();
        for (int i = 0; i < c.length; i++) {
            c[i] *= b[i] / (st.follower.temperature() * n);
        }
        double[][] gBar = BruteForce.meanByPair(st.batch, st.followerTails(), st.actions());
        assertClose(est.response(), BruteForce.weightedSum(st.batch, c, gBar, st.d()), "response");
        assertClose(est.direct(), episodeStartDirect(st), "direct");
    }

    /** {@code (1/(λN))·Σ_t γ_L^τ·adv_t·(Ḡ_Q(s_t,a_t) − Ḡ_V(s_t))} with the tables from {@code st.batch}. */
    private static double[] hpgdResponse(Setup st, double[] advantage) {
        double n = Math.max(1, st.batch.completedEpisodes());
        double[][] tails = st.followerTails();
        double[][] gq = BruteForce.meanByPair(st.batch, tails, st.actions());
        double[][] gv = BruteForce.meanByState(st.batch, tails);
        double[][] diff = new double[st.batch.size()][];
        double[] c = st.gammaL();
        for (int i : BruteForce.usedRows(st.batch)) {
            diff[i] = new double[st.d()];
            for (int j = 0; j < st.d(); j++) {
                diff[i][j] = gq[i][j] - gv[i][j];
            }
            c[i] *= advantage[i] / (st.follower.temperature() * n);
        }
        return BruteForce.weightedSum(st.batch, c, diff, st.d());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void hpgdMonteCarloCentresOnTheFollowerSide(String kind) {
        Setup st = setup(kind);
        Estimate est = TabularMethods.hpgdMonteCarlo(st.inst.mdp(),
                TabularDirectTerm.EPISODE_START_MEAN).estimate(st.context(1));
        double[] returns = BruteForce.returns(st.batch, st.rowLeaderRewards(), st.inst.mdp().leaderDiscount());
        double[][] qMc = BruteForce.meanByPair(st.batch, BruteForce.column(st.batch, returns), st.actions());
        double[][] vMc = BruteForce.meanByState(st.batch, BruteForce.column(st.batch, returns));
        double[] adv = new double[st.batch.size()];
        for (int i : BruteForce.usedRows(st.batch)) {
            adv[i] = qMc[i][0] - vMc[i][0];
        }
        assertClose(est.response(), hpgdResponse(st, adv), "response");
        assertClose(est.direct(), episodeStartDirect(st), "direct");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void hpgdSarsaUsesTheCriticsAdvantage(String kind) {
        Setup st = setup(kind);
        Estimate est = TabularMethods.hpgdCritic(st.inst.mdp(), new ExactLeaderCritic(st.inst.dynamics()),
                TabularDirectTerm.PER_STEP)
                .estimate(st.context(1));
        assertClose(est.response(), hpgdResponse(st, st.benefit()), "response");
        assertClose(est.direct(), perStepDirect(st, Math.max(1, st.batch.completedEpisodes())), "direct");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void hpgdOracleReadsTablesFromTheResetAnywhereBatch(String kind) {
        Setup st = setup(kind);
        TabularSampler sampler = new TabularSampler(st.inst.dynamics(), 9);
        double[] reset = new double[st.inst.states()];
        java.util.Arrays.fill(reset, 1.0 / reset.length);
        RewardDesignTerms.OracleAccess access = new RewardDesignTerms.OracleAccess(sampler, reset, 2, 120);
        Estimate est = TabularMethods.hpgd(st.inst.mdp(), null, RewardDesignTerms.Advantage.ORACLE, access,
                TabularDirectTerm.PER_STEP).estimate(st.context(77));
        // The oracle batch is the first thing drawn from the context's randomness: replay it.
        TabularBatch oracle = sampler.sample(st.follower.policy(), 2, 120, reset, new SplitMixRandom(77));

        int actions = st.actions();
        int d = st.d();
        double[] oracleReturns = BruteForce.returns(oracle, TrajectorySums.rowValues(oracle,
                st.inst.mdp().leaderReward().evaluate(st.inst.x()), actions), st.inst.mdp().leaderDiscount());
        double[][] oracleTails = BruteForce.tails(oracle, st.inst.followerFeatures(), actions, d,
                st.follower.discount());
        double n = Math.max(1, st.batch.completedEpisodes());
        double[] expected = new double[d];
        for (int i : BruteForce.usedRows(st.batch)) {
            int s = st.batch.states()[i];
            int a = st.batch.actions()[i];
            double qSum = 0.0;
            double vSum = 0.0;
            int qCount = 0;
            int vCount = 0;
            double[] gq = new double[d];
            double[] gv = new double[d];
            for (int u : BruteForce.usedRows(oracle)) {
                if (oracle.states()[u] != s) {
                    continue;
                }
                vSum += oracleReturns[u];
                vCount++;
                for (int j = 0; j < d; j++) {
                    gv[j] += oracleTails[u][j];
                }
                if (oracle.actions()[u] == a) {
                    qSum += oracleReturns[u];
                    qCount++;
                    for (int j = 0; j < d; j++) {
                        gq[j] += oracleTails[u][j];
                    }
                }
            }
            // Unvisited entries read 0 (reference behaviour).
            double adv = (qCount > 0 ? qSum / qCount : 0.0) - (vCount > 0 ? vSum / vCount : 0.0);
            double w = Math.pow(st.inst.mdp().leaderDiscount(), st.batch.times()[i]) * adv
                    / (st.follower.temperature() * n);
            for (int j = 0; j < d; j++) {
                double diff = (qCount > 0 ? gq[j] / qCount : 0.0) - (vCount > 0 ? gv[j] / vCount : 0.0);
                expected[j] += w * diff;
            }
        }
        assertClose(est.response(), expected, "response");
        assertClose(est.direct(), perStepDirect(st, n), "direct");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void soBiRlIsTheUndiscountedCentredTrajectorySum(String kind) {
        Setup st = setup(kind);
        Estimate est = TabularMethods.sobirl(st.inst.mdp(),
                TabularDirectTerm.EPISODE_START_MEAN).estimate(st.context(1));
        int actions = st.actions();
        int d = st.d();
        double[] returns = BruteForce.returns(st.batch, st.rowLeaderRewards(), st.inst.mdp().leaderDiscount());
        double[][] qMc = BruteForce.meanByPair(st.batch, BruteForce.column(st.batch, returns), actions);
        double[] pi = st.follower.policy();
        double[] phi = st.inst.followerFeatures();
        double[] expected = new double[d];
        List<int[]> episodes = BruteForce.episodes(st.batch);
        int starts = 0;
        for (int[] episode : episodes) {
            if (st.batch.times()[episode[0]] != 0) {
                continue; // only possible for a batch that starts mid-episode; none here
            }
            starts++;
            double[] f = new double[d];
            for (int k : episode) {
                int s = st.batch.states()[k];
                double[] g = BruteForce.at(st.batch, k, phi, actions, d);
                for (int j = 0; j < d; j++) {
                    double centred = g[j];
                    for (int b = 0; b < actions; b++) {
                        centred -= pi[s * actions + b] * phi[(s * actions + b) * d + j];
                    }
                    f[j] += centred;
                }
            }
            double c = qMc[episode[0]][0] / st.follower.temperature();
            for (int j = 0; j < d; j++) {
                expected[j] += c * f[j];
            }
        }
        assertThat(starts).isEqualTo(st.batch.startedEpisodes());
        assertClose(est.response(), scaled(expected, 1.0 / starts), "response");
        assertClose(est.direct(), episodeStartDirect(st), "direct");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void naivePolicyGradientIsTheDirectTermAlone(String kind) {
        Setup st = setup(kind);
        Estimate perStep = TabularMethods.naive(st.inst.mdp(), TabularDirectTerm.PER_STEP,
                Normalization.STARTED_EPISODES)
                .estimate(st.context(1));
        assertClose(perStep.direct(), perStepDirect(st, st.batch.startedEpisodes()), "per-step direct");
        assertThat(perStep.response()).containsOnly(0.0);
        Estimate completed = TabularMethods.naive(st.inst.mdp(), TabularDirectTerm.PER_STEP,
                Normalization.COMPLETED_EPISODES)
                .estimate(st.context(1));
        assertClose(completed.direct(), perStepDirect(st, Math.max(1, st.batch.completedEpisodes())),
                "per-step direct, completed episodes");
        Estimate start = TabularMethods.naive(st.inst.mdp(), TabularDirectTerm.EPISODE_START_MEAN,
                Normalization.STARTED_EPISODES)
                .estimate(st.context(1));
        assertClose(start.direct(), episodeStartDirect(st), "episode-start direct");
        assertClose(start.gradient(), start.direct(), "gradient = direct");
    }
}
