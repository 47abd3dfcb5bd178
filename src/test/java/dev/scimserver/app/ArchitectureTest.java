package dev.scimserver.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** DESIGN.md's arrows, as tests: each package imports only what lies inward of it. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.scimserver");

    @Test
    void scimIsPureProtocol() {
        noClasses().that().resideInAPackage("dev.scimserver.scim..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.scimserver.directory..",
                        "dev.scimserver.store..", "dev.scimserver.http..", "dev.scimserver.app..", "io.javalin..",
                        "org.jdbi..", "java.sql..", "javax.sql..")
                .check(CLASSES);
    }

    @Test
    void directoryKnowsNoStorageOrWeb() {
        noClasses().that().resideInAPackage("dev.scimserver.directory..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.scimserver.store..", "dev.scimserver.http..",
                        "dev.scimserver.app..", "io.javalin..", "org.jdbi..")
                .check(CLASSES);
    }

    @Test
    void storeKnowsNoWeb() {
        noClasses().that().resideInAPackage("dev.scimserver.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.scimserver.http..", "dev.scimserver.app..",
                        "io.javalin..")
                .check(CLASSES);
    }

    @Test
    void httpKnowsNoStorage() {
        noClasses().that().resideInAPackage("dev.scimserver.http..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.scimserver.store..", "dev.scimserver.app..",
                        "org.jdbi..", "java.sql..")
                .check(CLASSES);
    }

    @Test
    void onlyStoreSpeaksSql() {
        noClasses().that().resideOutsideOfPackage("dev.scimserver.store..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.jdbi..", "org.flywaydb..",
                        "com.zaxxer..")
                .check(CLASSES);
    }
}
