package dev.bilevel.learn.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.bilevel.core.Hypergradient;
import dev.bilevel.core.cmdp.DynamicsDesign;
import dev.bilevel.core.cmdp.ExactHypergradient;
import dev.bilevel.core.cmdp.FollowerSolution;
import dev.bilevel.core.cmdp.FollowerSolver;
import dev.bilevel.core.cmdp.ModifiedSoftPolicyIteration;
import dev.bilevel.core.cmdp.ParametricReward;
import dev.bilevel.core.cmdp.RewardDesign;
import dev.bilevel.core.cmdp.RewardJacobian;
import dev.bilevel.core.cmdp.SoftPolicyIteration;
import dev.bilevel.core.cmdp.SoftValueIteration;
import dev.bilevel.core.game.ExactGameHypergradient;
import dev.bilevel.core.game.GameFollowerSolution;
import dev.bilevel.core.game.JointPolicy;
import dev.bilevel.core.game.LeaderGameModel;
import dev.bilevel.core.game.LeaderValue;
import dev.bilevel.core.game.LeaderValueModel;
import dev.bilevel.core.game.SoftQIteration;
import dev.bilevel.core.game.TabularSoftmaxPolicy;
import dev.bilevel.core.tabular.PolicyEvaluation;
import dev.bilevel.core.tabular.PolicyValues;
import dev.bilevel.core.tabular.TabularDynamics;
import dev.bilevel.learn.follower.FollowerResponse;

/**
 * The leader–follower boundary as rules the build checks (docs/architecture.md, "What crosses the boundary, and what never does"). The leader side (critics,
 * estimators, leaders, the loop, policies) sees the follower only through {@code learn.follower}'s {@code Follower}
 * and {@link FollowerResponse}, and the problem only through the leader-visible models ({@link RewardDesign},
 * {@link DynamicsDesign}, {@link LeaderGameModel}, and {@link LeaderValueModel} with its {@link LeaderValue}: the
 * leader's own closed-form value, fed the follower's observed policy) and the environment's transition table. No follower solver,
 * follower model or problem-specific class is reachable from it; a response holds plain data (and uses only
 * {@code core.math} numerics). The samplers play the environment, so they may read its models, but they never
 * solve for the follower. Package cycles are checked once, for every module, by the CLI module's
 * {@code PackageCyclesTest}.
 */
@AnalyzeClasses(packages = "dev.bilevel", importOptions = ImportOption.DoNotIncludeTests.class)
class BoundaryRulesTest {

    private static final String[] LEADER_SIDE = {"dev.bilevel.learn.critic..", "dev.bilevel.learn.estimator..",
        "dev.bilevel.learn.leader..", "dev.bilevel.learn.loop..", "dev.bilevel.learn.policy.."};

    /**
     * What of core the leader may know: its own models, the environment's transition table, numerics, random
     * streams and checkpoint state.
     */
    private static final DescribedPredicate<JavaClass> LEADER_VISIBLE_CORE = belongToAnyOf(RewardDesign.class,
            RewardJacobian.class, ParametricReward.class, DynamicsDesign.class, LeaderGameModel.class,
            LeaderValueModel.class, LeaderValue.class, TabularSoftmaxPolicy.class, JointPolicy.class, TabularDynamics.class, PolicyEvaluation.class,
            PolicyValues.class, Hypergradient.class).or(resideInAnyPackage("dev.bilevel.core.math..",
                    "dev.bilevel.core.random..", "dev.bilevel.core.state.."))
            .as("leader-visible core types");

    /** What solves for the follower: the planners, the exact solvers and the exact hypergradients. */
    private static final DescribedPredicate<JavaClass> FOLLOWER_SOLVERS = belongToAnyOf(FollowerSolver.class,
            FollowerSolution.class, SoftPolicyIteration.class, ModifiedSoftPolicyIteration.class,
            SoftValueIteration.class, ExactHypergradient.class, SoftQIteration.class, GameFollowerSolution.class,
            ExactGameHypergradient.class).or(resideInAnyPackage("dev.bilevel.core.lqr..",
                    "dev.bilevel.learn.follower.planning.."))
            .as("follower solvers");

    @ArchTest
    static final ArchRule leaderSideSeesOnlyLeaderVisibleModels = noClasses().that()
            .resideInAnyPackage(LEADER_SIDE).should().dependOnClassesThat(
                    resideInAPackage("dev.bilevel.core..").and(not(LEADER_VISIBLE_CORE)))
            .because("the leader knows its own reward, its own policy and the dynamics it controls, "
                    + "never the follower's reward, model or solver");

    @ArchTest
    static final ArchRule leaderSideNeverSolvesForTheFollower = noClasses().that()
            .resideInAnyPackage(LEADER_SIDE).or().resideInAPackage("dev.bilevel.learn.sampling..")
            .should().dependOnClassesThat(FOLLOWER_SOLVERS)
            .because("the leader observes the follower's response; only followers plan");

    @ArchTest
    static final ArchRule responsesHoldPlainData = classes().that(assignableTo(FollowerResponse.class))
            .or().resideInAPackage("dev.bilevel.learn.follower")
            .should().onlyDependOnClassesThat(resideInAnyPackage("java..", "dev.bilevel.learn.follower",
                    "dev.bilevel.core.math..", "dev.bilevel.core.random..", "dev.bilevel.nn.."))
            .because("a response is everything the leader receives: arrays, λ and γ_F, no solver object"
                    + " (numerics from core.math, random streams from core.random, and a neural follower's"
                    + " networks from nn, copied when the leader looks)");

    @ArchTest
    static final ArchRule problemsStayInTheirModule = noClasses().that().resideInAPackage("dev.bilevel.learn..")
            .should().dependOnClassesThat(resideInAPackage("dev.bilevel.problems.."))
            .because("problem-specific code lives in bilevel-problems");
}
