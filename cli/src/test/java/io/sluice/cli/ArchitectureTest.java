package io.sluice.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape DESIGN.md draws, held by the build: {@code core} (what a connector implements or
 * receives, and the ServiceLoader catalogue) stands alone, the engine never knows a connector,
 * connectors know {@code core} (and kafka-common) and neither the engine nor each other, nothing
 * below the applications imports them, no two packages import each other, and the engine's
 * layers point one way: definition (problems, the definition's parts) under catalog (options
 * checked) under plan (what a pipeline is and how it is analysed) under run (a query's
 * checkpoint, guard, commits and failures) under pipeline (built, planned, started, handled)
 * under metrics (observing) under the facade {@code Sluice}. Every production class of every module on this class path (all but bench) is
 * checked; a rule broken names the class and the dependency.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sluice");
        for (Class<?> layer : List.of(
                io.sluice.core.StreamSink.class,
                io.sluice.engine.Sluice.class,
                io.sluice.source.kafka.KafkaSource.class,
                io.sluice.sink.delta.DeltaSink.class,
                io.sluice.kafka.KafkaPlaces.class,
                Main.class,
                io.sluice.testkit.EmbeddedKafka.class,
                io.sluice.examples.Demo.class)) {
            assertTrue(classes.contain(layer), "the rules see " + layer.getName());
        }
    }

    @Test
    void coreImportsNothingOfSluicesButItself() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.sluice.engine..",
                        "io.sluice.kafka..",
                        "io.sluice.source..",
                        "io.sluice.sink..",
                        "io.sluice.cli..",
                        "io.sluice.testkit..",
                        "io.sluice.examples..",
                        "io.sluice.bench..")
                .check(classes);
    }

    @Test
    void theEngineNeverImportsAConnectorOrAnApplication() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.sluice.kafka..",
                        "io.sluice.source..",
                        "io.sluice.sink..",
                        "io.sluice.cli..",
                        "io.sluice.testkit..",
                        "io.sluice.examples..",
                        "io.sluice.bench..")
                .check(classes);
    }

    @Test
    void connectorsKnowCoreAndNotTheEngineNorEachOther() {
        noClasses()
                .that()
                .resideInAnyPackage("io.sluice.source..", "io.sluice.sink..", "io.sluice.kafka..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.sluice.engine..", "io.sluice.cli..", "io.sluice.testkit..", "io.sluice.examples..")
                .check(classes);
        slices().matching("io.sluice.(source|sink).(*)..")
                .namingSlices("$1 '$2'")
                .should()
                .notDependOnEachOther()
                .check(classes);
    }

    @Test
    void nothingBelowTheApplicationsImportsThem() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.sluice.cli..", "io.sluice.examples..", "io.sluice.bench..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.sluice.cli..", "io.sluice.examples..", "io.sluice.bench..")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.sluice.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theEngineIsLayeredDefinitionCatalogPlanRunPipelineMetricsFacade() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("facade")
                .definedBy("io.sluice.engine")
                .layer("metrics")
                .definedBy("io.sluice.engine.metrics..")
                .layer("pipeline")
                .definedBy("io.sluice.engine.pipeline..")
                .layer("run")
                .definedBy("io.sluice.engine.run..")
                .layer("plan")
                .definedBy("io.sluice.engine.plan..")
                .layer("catalog")
                .definedBy("io.sluice.engine.catalog..")
                .layer("definition")
                .definedBy("io.sluice.engine.definition..")
                .whereLayer("facade")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("metrics")
                .mayOnlyBeAccessedByLayers("facade")
                .whereLayer("pipeline")
                .mayOnlyBeAccessedByLayers("metrics", "facade")
                .whereLayer("run")
                .mayOnlyBeAccessedByLayers("pipeline", "metrics", "facade")
                .whereLayer("plan")
                .mayOnlyBeAccessedByLayers("run", "pipeline", "metrics", "facade")
                .whereLayer("catalog")
                .mayOnlyBeAccessedByLayers("plan", "run", "pipeline", "metrics", "facade")
                .check(classes);
    }
}
