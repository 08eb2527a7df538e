package io.sluice.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.OutputMode;
import io.sluice.core.SinkContext;
import io.sluice.core.StreamSink;
import io.sluice.core.StreamTrigger;
import io.sluice.core.option.ConnectorOptions;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Part;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.definition.ValidationException;
import io.sluice.engine.plan.PipelineDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipelines on a real local SparkSession, from the test source through transforms to the test sinks. */
class PipelineTest {
    private static final String SCHEMA = "id INT, customer STRING, amount DOUBLE";
    private static Sluice sluice;

    @TempDir
    Path dir;

    @BeforeAll
    static void session() {
        sluice = Sluice.embedded();
    }

    private Path input(String... lines) throws IOException {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Files.write(in.resolve("part-1.json"), List.of(lines));
        return in;
    }

    private PipelineBuilder fromInput(String name, Path in) {
        return sluice.pipeline(name).source("json-dir", Map.of("path", in.toString(), "schema", SCHEMA));
    }

    private static List<String> texts(List<Problem> problems) {
        return problems.stream().map(Problem::toString).toList();
    }

    @Test
    void runsSourceThroughSqlAndFunctionToSinkAndReportsThroughTheHandle() throws Exception {
        Path in = input(
                "{\"id\":1,\"customer\":\"ann\",\"amount\":10.0}",
                "{\"id\":2,\"customer\":\"bob\",\"amount\":2.5}",
                "{\"id\":3,\"customer\":\"cid\",\"amount\":7.0}");
        Pipeline pipeline = fromInput("doubling", in)
                .sql("SELECT id, customer, amount * 2 AS doubled FROM input WHERE amount > 5")
                .transform(
                        "upper-case customers",
                        data -> data.withColumn("customer", functions.upper(data.col("customer"))))
                .sink("table")
                .queryName("doubled_orders")
                .trigger(StreamTrigger.availableNow())
                .build();
        assertEquals(List.of(), pipeline.validate().problems());

        try (PipelineHandle handle = pipeline.start()) {
            assertTrue(handle.awaitTermination(Duration.ofMinutes(2)), "an available-now pipeline stops by itself");
            assertEquals("doubled_orders", handle.name());
            assertFalse(handle.isActive());
            assertTrue(handle.exception().isEmpty());
            StreamingQueryProgress last = handle.lastProgress().orElseThrow();
            assertFalse(handle.recentProgress().isEmpty());
            assertEquals(handle.id(), last.id());
            assertEquals("doubled_orders", last.name());
            assertTrue(
                    last.sink().description().contains("MemorySink"),
                    last.sink().description());
        }
        List<Row> rows = sluice.spark()
                .sql("SELECT id, customer, doubled FROM doubled_orders ORDER BY id")
                .collectAsList();
        assertEquals("[[1,ANN,20.0], [3,CID,14.0]]", rows.toString());
    }

    @Test
    void processAllAvailableAndStopOnAContinuousTrigger() throws Exception {
        Path in = input("{\"id\":1,\"customer\":\"ann\",\"amount\":1.0}");
        PipelineHandle handle = fromInput("continuous", in)
                .sink("table")
                .queryName("continuous_orders")
                .trigger(StreamTrigger.processingTime(Duration.ofMillis(100)))
                .build()
                .start();
        handle.processAllAvailable();
        assertTrue(handle.isActive());
        assertEquals(
                1L,
                sluice.spark()
                        .sql("SELECT count(*) FROM continuous_orders")
                        .first()
                        .getLong(0));
        Files.write(in.resolve("part-2.json"), List.of("{\"id\":2,\"customer\":\"bob\",\"amount\":2.0}"));
        handle.processAllAvailable();
        assertEquals(
                2L,
                sluice.spark()
                        .sql("SELECT count(*) FROM continuous_orders")
                        .first()
                        .getLong(0));
        assertTrue(handle.status().message().length() > 0);
        handle.stop();
        assertFalse(handle.isActive());
    }

    @Test
    void validateReportsEveryProblemOfEveryPartAtOnce() throws Exception {
        Path in = input("{}");
        Pipeline pipeline = sluice.pipeline("broken")
                .source("json-dir", Map.of("path", in.toString(), "maxFilesPerTriger", "3", "token", "s3cr3t-token"))
                .sink("tabel", Map.of())
                .build();
        assertEquals(
                List.of(
                        "source 'json-dir': unknown option 'maxFilesPerTriger' — did you mean 'maxFilesPerTrigger'? (options: maxFilesPerTrigger, path, schema, token)",
                        "source 'json-dir': missing required option 'schema'",
                        "no sink named 'tabel' — did you mean 'table'? (sinks: append-only, table, twin; could not load: io.sluice.engine.testing.BrokenSink, io.sluice.engine.testing.MissingSink)"),
                texts(pipeline.validate().problems()));

        ValidationException error = assertThrows(ValidationException.class, pipeline::start);
        assertEquals(
                "pipeline 'broken' is invalid (3 problems):\n"
                        + "  - source 'json-dir': unknown option 'maxFilesPerTriger' — did you mean 'maxFilesPerTrigger'? (options: maxFilesPerTrigger, path, schema, token)\n"
                        + "  - source 'json-dir': missing required option 'schema'\n"
                        + "  - no sink named 'tabel' — did you mean 'table'? (sinks: append-only, table, twin; could not load: io.sluice.engine.testing.BrokenSink, io.sluice.engine.testing.MissingSink)",
                error.getMessage());
        assertFalse(error.getMessage().contains("s3cr3t"));
        assertEquals(3, error.problems().size());
    }

    @Test
    void aTransformThatDoesNotAnalyseIsReportedWithItsStep() throws Exception {
        Pipeline pipeline = fromInput("typo", input("{}"))
                .sql("SELECT amout FROM input")
                .sink("table")
                .build();
        List<String> problems = texts(pipeline.validate().problems());
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(
                "pipeline 'typo': transform 1 (sql: SELECT amout FROM input) failed: column 'amout' does not exist — did"
                        + " you mean 'amount'? (columns: id, customer, amount)",
                problems.get(0));
    }

    @Test
    void outputModesAreCheckedAgainstTheQueryBeforeStart() throws Exception {
        Path in = input("{}");
        assertEquals(
                List.of("pipeline 'complete-no-agg': output mode COMPLETE needs an aggregation (it rewrites the whole"
                        + " result each batch): use APPEND or UPDATE"),
                texts(fromInput("complete-no-agg", in)
                        .sink("table")
                        .outputMode(OutputMode.COMPLETE)
                        .build()
                        .validate()
                        .problems()));

        assertEquals(
                List.of(
                        "pipeline 'append-agg': output mode APPEND cannot write an aggregation without a watermark:"
                                + " add a watermark on the event-time column (withWatermark, or WATERMARK in SQL) and group by a window of it, or use UPDATE or COMPLETE"),
                texts(fromInput("append-agg", in)
                        .sql("SELECT customer, sum(amount) FROM input GROUP BY customer")
                        .sink("table")
                        .build()
                        .validate()
                        .problems()));

        assertEquals(
                List.of(),
                texts(fromInput("update-agg", in)
                        .sql("SELECT customer, sum(amount) FROM input GROUP BY customer")
                        .sink("table")
                        .outputMode(OutputMode.UPDATE)
                        .build()
                        .validate()
                        .problems()));
    }

    @Test
    void sinkDeclaredModesCheckpointAndSchemaChecks() throws Exception {
        Path in = input("{}");
        assertEquals(
                List.of(
                        "sink 'append-only': output mode UPDATE is not supported (supported: APPEND): it only adds rows",
                        "sink 'append-only': missing required option 'checkpointLocation' (set it on the sink or on the pipeline): it is where the pipeline keeps how far it got, so that a restart goes on from there instead of writing its input again",
                        "sink 'append-only': option 'keyColumn' names column 'order_id', which the query does not have (columns: id, customer,"
                                + " amount)"),
                texts(fromInput("modes", in)
                        .sink("append-only", Map.of("keyColumn", "order_id"))
                        .outputMode(OutputMode.UPDATE)
                        .build()
                        .validate()
                        .problems()));

        assertEquals(
                List.of(),
                texts(fromInput("modes-ok", in)
                        .sink("append-only", Map.of("keyColumn", "id"))
                        .checkpointLocation(dir.resolve("cp").toString())
                        .build()
                        .validate()
                        .problems()));
        assertEquals(
                List.of(),
                texts(fromInput("modes-ok-on-sink", in)
                        .sink(
                                "append-only",
                                Map.of("checkpointLocation", dir.resolve("cp2").toString()))
                        .build()
                        .validate()
                        .problems()));
    }

    @Test
    void builderRequiresASourceAndASink() {
        IllegalStateException noSink = assertThrows(
                IllegalStateException.class,
                () -> sluice.pipeline("half").source("json-dir").build());
        assertEquals("pipeline 'half' has no sink: call sink(name, options)", noSink.getMessage());
    }

    @Test
    void aDefinitionNeverPrintsAnOptionValue() throws IOException {
        Path in = input("{\"id\":1}");
        PipelineDefinition definition = fromInput("secretive", in)
                .sourceOption("token", "hunter2")
                .sink("table")
                .build()
                .definition();
        String text = definition.toString();
        assertFalse(text.contains("hunter2"), text);
        assertTrue(
                text.startsWith(
                        "PipelineDefinition[name=secretive, source=json-dir [path, schema, token], transforms=[],"
                                + " sink=table [], outputMode=APPEND, trigger=batches back to back"),
                text);
    }

    @Test
    void aPlanIsPlannedOnceStartsOnceAndOnlyForItsOwnPipeline() throws Exception {
        Path in = input("{\"id\":1,\"customer\":\"ann\",\"amount\":1.0}");
        Pipeline pipeline = fromInput("planned", in)
                .sql("SELECT id FROM input")
                .sink("table")
                .queryName("planned_rows")
                .build();
        PipelinePlan plan = pipeline.validate();
        assertTrue(plan.isReady(), plan.toString());
        assertEquals("planned_rows", plan.queryName());
        assertEquals("id INT", plan.schema().toDDL());
        assertEquals("pipeline 'planned' ready as query 'planned_rows'", plan.toString());

        IllegalArgumentException foreign = assertThrows(
                IllegalArgumentException.class,
                () -> fromInput("other", in).sink("table").build().start(plan));
        assertEquals(
                "pipeline 'other': the plan is pipeline 'planned''s: start a pipeline from its own validate()",
                foreign.getMessage());

        try (PipelineHandle handle = pipeline.start(plan)) {
            handle.processAllAvailable();
            assertEquals(1L, sluice.spark().table("planned_rows").count());
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> pipeline.start(plan));
            assertEquals(
                    "pipeline 'planned': this plan was started already; a plan starts once (its counters belong to that"
                            + " run): call validate() again to start again",
                    twice.getMessage());
        }
    }

    @Test
    void aRejectedPlanSaysWhereEachProblemIsAndStartsNothing() throws Exception {
        Pipeline pipeline = fromInput("rejected", input("{}"))
                .sql("SELECT nope FROM input")
                .sink("tabel")
                .build();
        PipelinePlan plan = pipeline.validate();
        assertFalse(plan.isReady());
        assertEquals(
                List.of(List.of("sink", "connector"), List.of("transforms", "1")),
                plan.problems().stream().map(Problem::path).toList());
        assertEquals(List.of(Part.TRANSFORMS), plan.problems().get(1).parts());
        assertEquals(java.util.Optional.of("1"), plan.problems().get(1).item());
        ValidationException refused = assertThrows(ValidationException.class, () -> pipeline.start(plan));
        assertEquals(plan.problems(), refused.problems());
        assertThrows(ValidationException.class, plan::schema);
    }

    @Test
    void preflightProblemsStopTheStartAndAreReportedLikeAnyOther() throws Exception {
        StreamSink guarded = new StreamSink() {
            @Override
            public String name() {
                return "guarded";
            }

            @Override
            public String description() {
                return "Refuses to start while its target is closed";
            }

            @Override
            public List<String> preflight(SinkContext context, ConnectorOptions options) {
                return List.of(
                        "the target of query '" + context.queryName() + "' is closed: open it, then start again");
            }

            @Override
            public org.apache.spark.sql.streaming.DataStreamWriter<org.apache.spark.sql.Row> write(
                    SinkContext context,
                    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> data,
                    ConnectorOptions options) {
                throw new AssertionError("a sink whose preflight failed is never asked to write");
            }
        };
        Pipeline pipeline = Sluice.using(sluice.spark(), sluice.connectors().withSink(guarded))
                .pipeline("guarded")
                .source("json-dir", Map.of("path", input("{}").toString(), "schema", SCHEMA))
                .sink("guarded")
                .build();
        assertEquals(List.of(), pipeline.validate().problems(), "validation stays offline: no preflight");
        ValidationException refused = assertThrows(ValidationException.class, pipeline::start);
        assertEquals(
                List.of("sink 'guarded': the target of query 'guarded' is closed: open it, then start again"),
                texts(refused.problems()));
        assertEquals(List.of(), List.of(sluice.spark().streams().active()), "nothing started");
    }
}
