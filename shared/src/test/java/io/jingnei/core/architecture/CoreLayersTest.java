package io.jingnei.core.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The core's packages point one way (docs/architecture.md, "Layers"): a newcomer can read a
 * package knowing only the ones below it. Two cycles grew before this test existed, through the
 * per-call context in llm and prices read by config.
 */
class CoreLayersTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jingnei.core");

    @Test
    void the_core_packages_are_free_of_cycles() {
        slices().matching("io.jingnei.core.(*)..").should().beFreeOfCycles().check(CORE);
    }

    /** The slices above leave out the root package; the instance and the functions are the top two layers. */
    @Test
    void only_the_functions_use_the_instance_and_nothing_in_the_core_uses_the_functions() {
        noClasses().that().resideInAPackage("io.jingnei.core..")
                .and().resideOutsideOfPackages("io.jingnei.core", "io.jingnei.core.entry..")
                .should().dependOnClassesThat().resideInAnyPackage("io.jingnei.core", "io.jingnei.core.entry..")
                .check(CORE);
    }
}
