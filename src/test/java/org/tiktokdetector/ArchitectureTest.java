package org.tiktokdetector;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package map of README "Working on the code", checked on the compiled classes. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() throws Exception {
        // The main classes' folder only: scanning every jar on the test classpath for the package takes most of a minute.
        classes = new ClassFileImporter().importPath(Path.of(DetectionJob.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("org.tiktokdetector.(**)").should().beFreeOfCycles().check(classes);
    }

    /** Each stage of the data path uses only the stages before it; the commands and the job wiring sit on top. */
    @Test
    void theDataPathRunsOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("commands").definedBy("org.tiktokdetector.cli..")
                .layer("job").definedBy("org.tiktokdetector")
                .layer("report").definedBy("org.tiktokdetector.report..")
                .layer("sources").definedBy("org.tiktokdetector.source..")
                .layer("emit").definedBy("org.tiktokdetector.emit..")
                .layer("aggregate").definedBy("org.tiktokdetector.aggregate..")
                .layer("match").definedBy("org.tiktokdetector.match..")
                .layer("privacy").definedBy("org.tiktokdetector.privacy..")
                .layer("flink mechanism").definedBy("org.tiktokdetector.flink..")
                .layer("decode").definedBy("org.tiktokdetector.decode..")
                .layer("records").definedBy("org.tiktokdetector.records..")
                .whereLayer("commands").mayNotBeAccessedByAnyLayer()
                .whereLayer("job").mayOnlyBeAccessedByLayers("commands")
                .whereLayer("report").mayOnlyBeAccessedByLayers("commands")
                .whereLayer("sources").mayOnlyBeAccessedByLayers("commands", "job")
                .whereLayer("emit").mayOnlyBeAccessedByLayers("commands", "job")
                .whereLayer("aggregate").mayOnlyBeAccessedByLayers("commands", "job", "sources")
                .whereLayer("match").mayOnlyBeAccessedByLayers("commands", "job", "sources", "aggregate")
                .whereLayer("privacy").mayOnlyBeAccessedByLayers("commands", "job", "aggregate")
                .whereLayer("decode").mayOnlyBeAccessedByLayers("commands", "job", "sources", "match", "aggregate", "flink mechanism")
                .check(classes);
    }

    /**
     * Decoders read hostile bytes and are tested and fuzzed as plain Java; records are their output; pseudonyms and
     * the report are plain Java that the commands use outside any job too.
     */
    @Test
    void decodersAndRecordsAreFreeOfFlink() {
        noClasses().that().resideInAnyPackage("org.tiktokdetector.decode..", "org.tiktokdetector.records..", "org.tiktokdetector.io..",
                        "org.tiktokdetector.privacy..", "org.tiktokdetector.report..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..")
                .check(classes);
    }
}
