package dev.bilevel.experiments.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.random.SplitMixRandom;
import dev.bilevel.experiments.method.TabularEstimators.Kind;
import dev.bilevel.learn.critic.ExactLeaderCritic;
import dev.bilevel.learn.critic.SarsaCritic;
import dev.bilevel.learn.estimator.Estimate;
import dev.bilevel.learn.estimator.Estimation;
import dev.bilevel.learn.estimator.Estimator;
import dev.bilevel.learn.estimator.method.ZeroOrderEstimator;
import dev.bilevel.learn.estimator.term.Normalization;
import dev.bilevel.learn.estimator.term.RewardDesignTerms;
import dev.bilevel.learn.estimator.term.TabularDirectTerm;
import dev.bilevel.learn.follower.TabularResponse;
import dev.bilevel.learn.sampling.TabularBatch;
import dev.bilevel.learn.sampling.TabularSampler;
import dev.bilevel.learn.testing.Instances.Instance;
import dev.bilevel.learn.testing.Instances.Spec;
import dev.bilevel.learn.testing.Instances;
import dev.bilevel.learn.testing.TabularMethods;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The factory builds the estimator each name and setting promise: same numbers as built by hand. */
class TabularEstimatorsTest {

    private final Instance inst = Instances.cmdp(401, Spec.of(6, 3, 4, 1, 0.9, 0.85, 0.5));
    private final TabularResponse follower = inst.response();
    private final TabularSampler sampler = new TabularSampler(inst.dynamics(), 25);
    private final TabularBatch batch = sampler.sample(follower.policy(), 3, 80, new SplitMixRandom(402));
    private final double[] uniform = uniformStart();

    private double[] uniformStart() {
        double[] u = new double[inst.states()];
        Arrays.fill(u, 1.0 / u.length);
        return u;
    }

    private Estimate run(Estimator<double[], TabularResponse, TabularBatch> estimator) {
        return estimator.estimate(new Estimation<>(0, inst.x(), follower, batch, new SplitMixRandom(403)));
    }

    private void assertSame(Kind kind, boolean exactCritic, boolean episodic, Supplier<Estimator<double[],
            TabularResponse, TabularBatch>> byHand) {
        RewardDesignTerms.OracleAccess oracle = new RewardDesignTerms.OracleAccess(sampler, uniform, 2, 50);
        Estimator<double[], TabularResponse, TabularBatch> built = TabularEstimators.create(inst.mdp(),
                new TabularEstimators.Settings(kind, exactCritic, 0.3, 0.5, episodic), oracle,
                new SplitMixRandom(404));
        Estimate a = run(built);
        Estimate b = run(byHand.get());
        assertThat(a.direct()).as("%s episodic=%s direct", kind, episodic).isEqualTo(b.direct());
        assertThat(a.response()).as("%s episodic=%s response", kind, episodic).isEqualTo(b.response());
    }

    @Test
    void referenceSettingsMatchTheReferenceOptions() {
        TabularDirectTerm start = TabularDirectTerm.EPISODE_START_MEAN;
        RewardDesignTerms.OracleAccess oracle = new RewardDesignTerms.OracleAccess(sampler, uniform, 2, 50);
        assertSame(Kind.BCHG, false, false, () -> TabularMethods.bchg(inst.mdp(), new SarsaCritic(inst.states(),
                inst.actions(), 0.3, new SplitMixRandom(404)), RewardDesignTerms.Options.reference()));
        assertSame(Kind.HPGD_MC, false, false, () -> TabularMethods.hpgdMonteCarlo(inst.mdp(), start));
        assertSame(Kind.HPGD_SARSA, false, false, () -> TabularMethods.hpgdCritic(inst.mdp(),
                new SarsaCritic(inst.states(),
                inst.actions(), 0.3, new SplitMixRandom(404)), start));
        assertSame(Kind.HPGD_ORACLE, false, false, () -> TabularMethods.hpgd(inst.mdp(), null,
                RewardDesignTerms.Advantage.ORACLE, oracle, start));
        assertSame(Kind.NAIVE, false, false, () -> TabularMethods.naive(inst.mdp(), start,
                Normalization.COMPLETED_EPISODES));
        assertSame(Kind.SOBIRL, false, false, () -> TabularMethods.sobirl(inst.mdp(), start));
        assertSame(Kind.EXACT, false, false, () -> TabularMethods.exact(inst.mdp()));
        assertSame(Kind.ZERO_ORDER, false, false,
                () -> new ZeroOrderEstimator<TabularResponse,
                        TabularBatch>(x -> ExactHypergradient.objective(inst.mdp(), x), 0.5));
    }

    @Test
    void episodicSettingsMatchTheUnbiasedOptions() {
        TabularDirectTerm perStep = TabularDirectTerm.PER_STEP;
        assertSame(Kind.BCHG, false, true, () -> TabularMethods.bchg(inst.mdp(),
                SarsaCritic.zeroInitialized(inst.states(), inst.actions(), 0.3), RewardDesignTerms.Options.unbiased()));
        assertSame(Kind.BCHG, true, true, () -> TabularMethods.bchg(inst.mdp(),
                new ExactLeaderCritic(inst.dynamics()), RewardDesignTerms.Options.unbiased()));
        assertSame(Kind.HPGD_MC, false, true, () -> TabularMethods.hpgdMonteCarlo(inst.mdp(), perStep));
        assertSame(Kind.HPGD_SARSA, true, true, () -> TabularMethods.hpgdCritic(inst.mdp(),
                new ExactLeaderCritic(inst.dynamics()), perStep));
        assertSame(Kind.NAIVE, false, true, () -> TabularMethods.naive(inst.mdp(), perStep,
                Normalization.STARTED_EPISODES));
        assertSame(Kind.SOBIRL, false, true, () -> TabularMethods.sobirl(inst.mdp(), perStep));
    }

    @Test
    void aZeroInitializedCriticStartsFromZero() {
        // One α = 1 pass on a one-row batch: the row becomes f exactly, every other entry stays 0.
        SarsaCritic critic = SarsaCritic.zeroInitialized(inst.states(), inst.actions(), 1.0);
        TabularBatch one = new TabularBatch(1, 1);
        double[] reward = new double[inst.states() * inst.actions()];
        reward[0] = 0.7;
        double[] q = critic.update(one, reward, follower.policy(), 0.9, new SplitMixRandom(1));
        assertThat(q[0]).isEqualTo(0.7);
        assertThat(Arrays.copyOfRange(q, 1, q.length)).containsOnly(0.0);
    }

    @Test
    void namesParseCaseInsensitivelyAndUnknownNamesAreListed() {
        for (Kind kind : Kind.values()) {
            assertThat(Kind.parse(kind.id(), "method")).isEqualTo(kind);
            assertThat(Kind.parse(kind.id().toUpperCase(java.util.Locale.ROOT), "method")).isEqualTo(kind);
        }
        assertThat(Kind.BCHG.usesSarsa()).isTrue();
        assertThat(Kind.HPGD_SARSA.usesSarsa()).isTrue();
        assertThat(Kind.HPGD_MC.usesSarsa()).isFalse();
        assertThatThrownBy(() -> Kind.parse("bc-hg", "--estimator")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--estimator").hasMessageContaining("'bc-hg'").hasMessageContaining("hpgd-oracle");
    }

    @Test
    void theOracleVariantNeedsResetAnywhereAccess() {
        assertThatThrownBy(() -> TabularEstimators.create(inst.mdp(),
                new TabularEstimators.Settings(Kind.HPGD_ORACLE, false, 0.3, 0.5, false), null,
                        new SplitMixRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hpgd-oracle");
    }
}
