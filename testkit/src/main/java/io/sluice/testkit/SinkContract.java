package io.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sluice.core.StreamSink;
import io.sluice.core.catalog.ConnectorRegistry;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.pipeline.Pipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every sink keeps, as tests a plugin inherits: extend it, say which sink and
 * which options, and JUnit runs the checks.
 *
 * <pre>{@code
 * class MySinkTest extends SinkContract {
 *     protected StreamSink sink() { return new MySink(); }
 *     protected Map<String, String> validOptions() { return Map.of("path", workDir.toString()); }
 *     protected List<RefusedOptions> refusedOptions() {
 *         return List.of(RefusedOptions.of(Map.of(), "sink 'my': missing required option 'path'"));
 *     }
 * }
 * }</pre>
 *
 * <p>Options are checked the way a pipeline checks them — through a real pipeline's
 * {@code validate()} on the shared session, over a stream of {@link #schema()} — so a
 * message pinned here is the message a user sees. For sinks that write batches themselves,
 * {@link BatchSinkContract} adds delivery checks.
 */
public abstract class SinkContract {
    /** A fresh directory per test, for options that name a place to write. */
    @TempDir
    protected Path workDir;

    /** A new instance of the sink under test. */
    protected abstract StreamSink sink();

    /** Options under which the sink writes (into {@link #workDir} if it writes files). */
    protected abstract Map<String, String> validOptions();

    /** Options the sink must refuse, each with every message a user sees; at least one case. */
    protected abstract List<RefusedOptions> refusedOptions();

    /** The schema of the stream the sink is validated against and, for batch sinks, written. */
    protected StructType schema() {
        return StructType.fromDDL("id BIGINT, name STRING, amount DOUBLE");
    }

    @Test
    void followsTheConventions() {
        assertEquals(List.of(), ConnectorConventions.violations(sink()));
    }

    @Test
    void isRegisteredForServiceLoader() {
        StreamSink sink = sink();
        ConnectorRegistry registry = ConnectorRegistry.load(sink.getClass().getClassLoader());
        assertEquals(List.of(), registry.problems(), "every connector on the class path loads");
        assertEquals(
                sink.getClass(),
                registry.sink(sink.name()).connector().map(Object::getClass).orElse(null),
                "sink '" + sink.name() + "' is found by name: register it with @AutoService(StreamSink.class)");
    }

    @Test
    void acceptsItsValidOptions() {
        assertEquals(List.of(), problems(validOptions()));
    }

    @TestFactory
    Stream<DynamicTest> refusesWhatItMustWithTheMessageUsersSee() {
        List<RefusedOptions> cases = refusedOptions();
        assertFalse(cases.isEmpty(), "refusedOptions() lists at least one case");
        return cases.stream()
                .map(refused -> DynamicTest.dynamicTest(
                        refused.options().toString(),
                        () -> assertEquals(refused.messages(), problems(refused.options()))));
    }

    /**
     * Every problem a pipeline over {@link #schema()} into this sink with {@code options}
     * has, as users read them.
     */
    protected final List<String> problems(Map<String, String> options) {
        Sluice shared = SharedSluice.get();
        ConnectorRegistry registry = ConnectorRegistry.of(List.of(new RateSource()), List.of(sink()));
        Pipeline pipeline = Sluice.using(shared.spark(), registry)
                .pipeline("contract")
                .source("rate")
                .sql("SELECT " + columns(schema()) + " FROM input")
                .sink(sink().name(), options)
                .checkpointLocation(workDir.resolve("checkpoint").toString())
                .build();
        return pipeline.validate().problems().stream().map(Problem::toString).toList();
    }

    private static String columns(StructType schema) {
        return Stream.of(schema.fields()).map(SinkContract::nullColumn).collect(Collectors.joining(", "));
    }

    private static String nullColumn(StructField field) {
        return "CAST(NULL AS " + field.dataType().sql() + ") AS `"
                + field.name().replace("`", "``") + "`";
    }
}
