package dev.scimserver.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** DESIGN.md's arrows, as tests: each package imports only what lies inward of it. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            // Not DO_NOT_INCLUDE_TESTS: it knows only target/test-classes, and -Dscim.buildDir moves them.
            .withImportOption(location -> !location.contains("/test-classes/"))
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
        // access is directory's peer: the web adapter turns a caller into an actor of the directory.
        noClasses().that().resideInAPackage("dev.scimserver.directory..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.scimserver.store..", "dev.scimserver.http..",
                        "dev.scimserver.app..", "dev.scimserver.access..", "io.javalin..", "org.jdbi..")
                .check(CLASSES);
    }

    @Test
    void accessKnowsNoStorageOrWeb() {
        noClasses().that().resideInAPackage("dev.scimserver.access..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.scimserver.directory..",
                        "dev.scimserver.store..", "dev.scimserver.http..", "dev.scimserver.app..", "io.javalin..",
                        "org.jdbi..", "java.sql..", "javax.sql..")
                .check(CLASSES);
    }

    @Test
    void eventsKnowNoStorageWebOrOutboundHttp() {
        noClasses().that().resideInAPackage("dev.scimserver.events..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.scimserver.store..", "dev.scimserver.http..",
                        "dev.scimserver.delivery..", "dev.scimserver.app..", "dev.scimserver.directory..",
                        "dev.scimserver.access..", "io.javalin..", "org.jdbi..", "java.sql..", "javax.sql..",
                        "java.net.http..")
                .check(CLASSES);
    }

    @Test
    void deliveryIsTheEventsAdapterOnly() {
        noClasses().that().resideInAPackage("dev.scimserver.delivery..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.scimserver.store..", "dev.scimserver.http..",
                        "dev.scimserver.app..", "dev.scimserver.directory..", "dev.scimserver.access..",
                        "io.javalin..", "org.jdbi..", "java.sql..", "javax.sql..")
                .check(CLASSES);
    }

    @Test
    void activityIsADomainOfItsOwn() {
        // The provisioning log and its figures: fed by the web adapter, stored by store, read by the admin API
        // and the console; it knows none of them, nor the directory or the credentials it records.
        noClasses().that().resideInAPackage("dev.scimserver.activity..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.scimserver.directory..",
                        "dev.scimserver.access..", "dev.scimserver.store..", "dev.scimserver.http..",
                        "dev.scimserver.app..", "io.javalin..", "org.jdbi..", "java.sql..", "javax.sql..",
                        "io.micrometer..")
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
    void theScimAdapterKnowsNothingOfTheAdminApiItServes() {
        noClasses().that().resideInAPackage("dev.scimserver.http.scim..")
                .should().dependOnClassesThat().resideInAPackage("dev.scimserver.http.admin..")
                .check(CLASSES);
    }

    @Test
    void theConsoleAndTheAdminApiKnowNothingOfEachOther() {
        // Both call the same services; neither reaches into the other's adapter, nor the SCIM adapter's insides.
        noClasses().that().resideInAPackage("dev.scimserver.http.console..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.scimserver.http.admin..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.scimserver.http.admin..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.scimserver.http.console..")
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("dev.scimserver.http.scim..")
                .should().dependOnClassesThat().resideInAPackage("dev.scimserver.http.console..")
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
