package dev.bilevel.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Rules over the whole project (this module sees every other but the benchmarks): no package cycles anywhere, and
 * the library modules never reach up into the experiments layer or the command line. The leader–follower boundary
 * itself is checked in bilevel-learn ({@code BoundaryRulesTest}).
 */
@AnalyzeClasses(packages = "dev.bilevel", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.bilevel.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule libraryDoesNotReachUp = noClasses().that().resideInAnyPackage("dev.bilevel.core..",
            "dev.bilevel.nn..", "dev.bilevel.learn..", "dev.bilevel.problems..").should().dependOnClassesThat()
            .resideInAnyPackage("dev.bilevel.experiments..", "dev.bilevel.cli..", "dev.bilevel.hazelcast..")
            .because("experiments plug evaluators, configs and jobs into the library, never the other way round");
}
