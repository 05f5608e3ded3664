package dev.claudemaxapi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package directions of the design: {@code http -> api -> core <- engine}, with {@code store} (the database)
 * beside the core for what must outlive a restart. The neutral model imports none of the
 * others (and no JSON library), the dialects never import each other, the engine knows nothing of HTTP or of the
 * wire formats, and the HTTP layer never sees a process. Only {@code Main} wires them together.
 *
 * <p>Inside the engine: {@code process} (running a program) knows nothing of the CLI's protocol, {@code cli} (the
 * protocol: lines in and out, settings) knows nothing of reuse, and {@code pool} (who owns which process) builds on
 * both; only {@code CliEngine} at the top wires them.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.claudemaxapi");

    @Test
    void coreDependsOnNoOtherLayerAndNoJsonLibrary() {
        noClasses().that().resideInAPackage("dev.claudemaxapi.core..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.claudemaxapi.http..",
                        "dev.claudemaxapi.api..", "dev.claudemaxapi.engine..", "com.fasterxml..")
                .check(MAIN);
    }

    @Test
    void theEngineKnowsNothingOfHttpOrTheWireFormats() {
        noClasses().that().resideInAPackage("dev.claudemaxapi.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.claudemaxapi.http..", "dev.claudemaxapi.api..")
                .check(MAIN);
    }

    @Test
    void theDialectsKnowOnlyTheCore() {
        noClasses().that().resideInAPackage("dev.claudemaxapi.api..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.claudemaxapi.http..",
                        "dev.claudemaxapi.engine..")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.claudemaxapi.api.openai..")
                .should().dependOnClassesThat().resideInAPackage("dev.claudemaxapi.api.anthropic..")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.claudemaxapi.api.anthropic..")
                .should().dependOnClassesThat().resideInAPackage("dev.claudemaxapi.api.openai..")
                .check(MAIN);
    }

    @Test
    void theStoreKnowsOnlyTheCore() {
        noClasses().that().resideInAPackage("dev.claudemaxapi.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.claudemaxapi.http..",
                        "dev.claudemaxapi.api..", "dev.claudemaxapi.engine..", "com.fasterxml..")
                .check(MAIN);
    }

    @Test
    void theHttpLayerNeverSeesAProcess() {
        noClasses().that().resideInAPackage("dev.claudemaxapi.http..")
                .should().dependOnClassesThat().resideInAPackage("dev.claudemaxapi.engine..")
                .check(MAIN);
    }

    @Test
    void insideTheEngineProcessesKnowNoProtocolAndTheProtocolKnowsNoPool() {
        noClasses().that().resideInAPackage("dev.claudemaxapi.engine.process..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.claudemaxapi.engine.cli..",
                        "dev.claudemaxapi.engine.pool..", "dev.claudemaxapi.engine")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.claudemaxapi.engine.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.claudemaxapi.engine.pool..",
                        "dev.claudemaxapi.engine")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.claudemaxapi.engine.pool..")
                .should().dependOnClassesThat().resideInAPackage("dev.claudemaxapi.engine")
                .check(MAIN);
    }
}
