package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.metrics.ProgressReporter;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.ConfluentFrames;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.OptionPairs;
import io.sluice.testkit.Pipelines;
import io.sluice.testkit.SchemaRegistry;
import io.sluice.testkit.SchemaRegistryExtension;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer registers a second version of the value's schema (an added field) while a pipeline
 * reads its topic — Kafka (Avro, a real registry) → SQL → parquet, and → Delta with a dead letter.
 * The pipeline restarts by itself from its checkpoint with the new version as its reader schema,
 * and every record arrives exactly once: none lost, none written twice, the new field filled from
 * the records that carry it. The restart redoes the batch that met the new id.
 */
@ExtendWith({EmbeddedKafkaExtension.class, SchemaRegistryExtension.class})
class SchemaChangeTest {
    private static final String V1 = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"amount\",\"type\":\"double\"}]}";
    private static final String V2 = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"amount\",\"type\":\"double\"},"
            + "{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    /** Records per phase; {@code -Dsluice.schemaChange.records=100000} runs it bigger. */
    private static final int RECORDS = Integer.getInteger("sluice.schemaChange.records", 300);

    private static EmbeddedKafka kafka;
    private static SchemaRegistry registry;
    private static Sluice sluice;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker, SchemaRegistry schemaRegistry) {
        kafka = broker;
        registry = schemaRegistry;
        sluice = SharedSluice.get();
    }

    private static byte[] v1(int v1Id, long id) {
        Schema schema = new Schema.Parser().parse(V1);
        return ConfluentFrames.avro(
                v1Id,
                schema,
                new GenericRecordBuilder(schema)
                        .set("id", id)
                        .set("amount", id + 0.5)
                        .build());
    }

    private static byte[] v2(int v2Id, long id) {
        Schema schema = new Schema.Parser().parse(V2);
        return ConfluentFrames.avro(
                v2Id,
                schema,
                new GenericRecordBuilder(schema)
                        .set("id", id)
                        .set("amount", id + 0.5)
                        .set("email", "c" + id + "@example.com")
                        .build());
    }

    private Map<String, String> source(String topic, String... more) {
        return OptionPairs.with(
                kafka.readFromStart(
                        topic,
                        "value.format",
                        "avro",
                        "schemaRegistry.url",
                        registry.url(),
                        "maxOffsetsPerTrigger",
                        String.valueOf(Math.max(50, RECORDS / 3))),
                more);
    }

    /** Phase 1: v1 records; phase 2 (after v2 is registered, mid-run): v2 records, v1 records and a broken frame. */
    private void runThroughASchemaChange(String topic, int v1, PipelineHandle handle) throws Exception {
        kafka.produceBytes(
                topic, IntStream.range(0, RECORDS).mapToObj(i -> v1(v1, i)).toList());
        handle.processAllAvailable();
        int v2 = registry.register(topic + "-value", V2);
        List<byte[]> second = new ArrayList<>();
        for (int i = RECORDS; i < 3 * RECORDS; i++) {
            second.add(i % 2 == 0 ? v2(v2, i) : v1(v1, i));
        }
        kafka.produceBytes(topic, second);
        awaitAllRead(handle, topic);
        assertTrue(handle.isActive(), "running again after the restart");
        assertEquals(1, handle.restarts().size(), String.join("\n", handle.restarts()));
        assertTrue(
                handle.restarts()
                        .get(0)
                        .endsWith("because value records of subject '" + topic + "-value' are written with schema id "
                                + v2 + ", new since the pipeline started (it read version 1); columns added: email"
                                + " (string)"),
                handle.restarts().get(0));
    }

    /**
     * Waits until the pipeline has committed a batch ending at the topic's end offsets: Spark's
     * processAllAvailable alone can return on a trigger that asked for offsets before the last records.
     */
    private static void awaitAllRead(PipelineHandle handle, String topic) throws Exception {
        long end = kafka.endOffsets(topic).values().stream()
                .mapToLong(Long::longValue)
                .sum();
        long deadline = System.nanoTime() + Pipelines.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            handle.processAllAvailable();
            long read = 0;
            if (handle.lastProgress().isPresent()) {
                String offsets = handle.lastProgress().get().sources()[0].endOffset();
                for (com.fasterxml.jackson.databind.JsonNode offset :
                        JSON.readTree(offsets).path(topic)) {
                    read += offset.asLong();
                }
            }
            if (read == end) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the pipeline did not read " + topic + " to its end within " + Pipelines.TIMEOUT);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** Every id once; the v2 records (even ids from RECORDS on) with their email, every other row without. */
    private static void assertExactlyOnce(List<Row> rows) {
        assertEquals(3 * RECORDS, rows.size(), "rows written (every record once)");
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertEquals((long) i, row.getLong(0), "id of row " + i);
            String email = i >= RECORDS && i % 2 == 0 ? "c" + i + "@example.com" : null;
            assertEquals(email, row.getString(1), "email of id " + i);
        }
    }

    @Test
    void kafkaAvroToParquetPicksUpAnAddedFieldByItselfExactlyOnce() throws Exception {
        String topic = kafka.newTopic("schema-change-parquet", 2);
        int v1 = registry.register(topic + "-value", V1);
        Path out = dir.resolve("out");
        PipelineHandle handle = sluice.pipeline("schema_change_parquet")
                .source("kafka", source(topic))
                .sql("SELECT * EXCEPT (key, topic, partition, offset, timestamp, timestampType) FROM input"
                        + " WHERE amount >= 0")
                .sink("parquet", Map.of("path", out.toString()))
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .build()
                .start();
        try {
            runThroughASchemaChange(topic, v1, handle);
        } finally {
            handle.stop();
        }
        assertExactlyOnce(sluice.spark()
                .read()
                .option("mergeSchema", "true")
                .parquet(out.toString())
                .selectExpr("id", "email")
                .orderBy("id")
                .collectAsList());
    }

    /**
     * What an operator sees of the restart on {@code sluice run}'s console, in a JVM of its own: one
     * line saying it and why, between the batches' lines — not the engine's log lines besides, and
     * no ERROR line.
     */
    @Test
    void theCommandPrintsARestartAsOneLine() throws Exception {
        String topic = kafka.newTopic("schema-change-console", 1);
        int v1 = registry.register(topic + "-value", V1);
        kafka.produceBytes(
                topic, IntStream.range(0, 20).mapToObj(i -> v1(v1, i)).toList());
        Path file = java.nio.file.Files.writeString(dir.resolve("orders.yaml"), """
                pipelines:
                  - name: console_restart
                    source:
                      connector: kafka
                      options:
                        kafka.bootstrap.servers: %s
                        subscribe: %s
                        startingOffsets: earliest
                        value.format: avro
                        schemaRegistry.url: %s
                    transforms:
                      - sql: SELECT id, amount FROM input
                    sink:
                      connector: parquet
                      options:
                        path: %s
                    checkpointLocation: %s
                    trigger: 500 milliseconds
                """.formatted(
                kafka.bootstrapServers(), topic, registry.url(), dir.resolve("out"), dir.resolve("checkpoint")));
        try (io.sluice.testkit.JavaProcess run = io.sluice.testkit.JavaProcess.start(
                "sluice run",
                dir.resolve("run.out"),
                Map.of(),
                List.of("-Xmx1g", "-Dsluice.log.file=" + dir.resolve("sluice.log")),
                io.sluice.testkit.JavaProcess.testClassPath(),
                Main.class.getName(),
                List.of("run", file.toString()))) {
            run.awaitLine(
                    java.util.regex.Pattern.compile("^\\[console_restart\\] batch 0: "),
                    java.time.Duration.ofMinutes(2));
            int v2 = registry.register(topic + "-value", V2);
            kafka.produceBytes(
                    topic, IntStream.range(20, 40).mapToObj(i -> v2(v2, i)).toList());
            run.awaitLine(
                    java.util.regex.Pattern.compile("^restarted pipeline 'console_restart'"),
                    java.time.Duration.ofMinutes(2));
            long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
            while (!afterRestart(run.output()).contains("records in") && System.nanoTime() < deadline) {
                Thread.sleep(200); // the restarted run's first batch
            }
            run.terminate();
            run.awaitExit(java.time.Duration.ofMinutes(1));
            List<String> lines = run.output().lines().toList();
            assertEquals(
                    1,
                    lines.stream().filter(line -> line.contains("restarted")).count(),
                    "one line says the restart:\n" + run.output());
            assertEquals(
                    List.of(),
                    lines.stream()
                            .filter(line ->
                                    line.contains("ERROR") || line.contains(" WARN ") || line.startsWith("\tat "))
                            .toList(),
                    "no log lines on the console:\n" + run.output());
            assertTrue(afterRestart(run.output()).contains("records in"), "batches go on after it:\n" + run.output());
        }
    }

    private static String afterRestart(String output) {
        int at = output.indexOf("restarted pipeline");
        return at < 0 ? "" : output.substring(at + output.substring(at).indexOf('\n') + 1);
    }

    @Test
    void kafkaAvroToDeltaWithADeadLetterPicksUpAnAddedFieldByItselfExactlyOnce() throws Exception {
        String topic = kafka.newTopic("schema-change-delta", 2);
        int v1 = registry.register(topic + "-value", V1);
        Path table = dir.resolve("table");
        Path deadLetter = dir.resolve("dead-letter");
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        ProgressReporter reporter = ProgressReporter.attach(sluice.spark(), lines::add);
        var pipeline = sluice.pipeline("schema_change_delta")
                .source("kafka", source(topic, "badRecords", "dead_letter", "deadLetter.path", deadLetter.toString()))
                .sql("SELECT * EXCEPT (key, topic, partition, offset, timestamp, timestampType) FROM input")
                .sink("delta", Map.of("path", table.toString(), "mergeSchema", "true"))
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .build();
        PipelineHandle handle = pipeline.start(reporter.follow(pipeline.validate()));
        try {
            runThroughASchemaChange(topic, v1, handle);
            kafka.produceBytes(topic, List.of(new byte[] {1, 2, 3}));
            awaitAllRead(handle, topic);
            long deadline = System.nanoTime() + Pipelines.TIMEOUT.toNanos();
            while (lines.stream().noneMatch(line -> line.contains("deadLettered=1")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            handle.stop();
            reporter.close();
        }
        assertTrue(
                lines.stream()
                        .anyMatch(line -> line.matches(
                                "\\[schema_change_delta\\] batch \\d+: 1 record in.*, kafka.decode: deadLettered=1")),
                "after the restart, the progress line counts the restarted run's dead letter: " + lines);
        assertEquals(Long.valueOf(1), handle.countTotals().get("kafka.decode.deadLettered"));
        assertExactlyOnce(sluice.spark()
                .read()
                .format("delta")
                .load(table.toString())
                .selectExpr("id", "email")
                .orderBy("id")
                .collectAsList());
        assertEquals(
                List.of("[value is not in Confluent's wire format (it starts with 0x010203): a registry's serializer"
                        + " writes the magic byte 0 and a 4-byte schema id before the datum]"),
                sluice.spark().read().json(deadLetter.toString()).select("error").collectAsList().stream()
                        .map(Row::toString)
                        .toList(),
                "the dead letter holds the broken frame only: no record of the new schema went there");
    }

    /** With onNewSchema: fail the pipeline stops, naming subject, version and id, and what to do. */
    @Test
    void withOnNewSchemaFailThePipelineStopsInWords() throws Exception {
        String topic = kafka.newTopic("schema-change-fail", 1);
        int v1 = registry.register(topic + "-value", V1);
        kafka.produceBytes(topic, List.of(v1(v1, 0)));
        PipelineHandle handle = sluice.pipeline("schema_change_fail")
                .source("kafka", source(topic, "value.onNewSchema", "fail"))
                .sink("parquet", Map.of("path", dir.resolve("out").toString()))
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .build()
                .start();
        try {
            handle.processAllAvailable();
            int v2 = registry.register(topic + "-value", V2);
            kafka.produceBytes(topic, List.of(v2(v2, 1)));
            assertThrows(StreamingQueryException.class, () -> handle.awaitTermination(Pipelines.TIMEOUT));
            assertEquals(
                    "query 'schema_change_fail', batch 1: source 'kafka': the record at topic " + topic
                            + ", partition 0, offset 1: value was written with schema id " + v2 + ", which subject '"
                            + topic + "-value' did not have when the pipeline started (version 1; ids " + v1
                            + "): start the pipeline again to read it with the subject's latest version, or set"
                            + " value.onNewSchema to restart to do that by itself",
                    handle.failureMessage().orElseThrow());
            assertEquals(List.of(), handle.restarts());
        } finally {
            handle.stop();
        }
    }

    /**
     * An id that is no version of the subject even after the restart (a producer writing under
     * another subject) fails the pipeline in words after one restart, instead of restarting forever.
     */
    @Test
    void anIdTheRestartDoesNotResolveFailsThePipelineAfterOneRestart() throws Exception {
        String topic = kafka.newTopic("schema-change-stranger", 1);
        registry.register(topic + "-value", V1);
        int stranger = registry.register(topic + "-other", V2);
        kafka.produceBytes(topic, List.of(v2(stranger, 1)));
        PipelineHandle handle = sluice.pipeline("schema_change_stranger")
                .source("kafka", source(topic))
                .sink("parquet", Map.of("path", dir.resolve("out").toString()))
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .trigger(StreamTrigger.availableNow())
                .build()
                .start();
        assertThrows(StreamingQueryException.class, () -> handle.awaitTermination(Pipelines.TIMEOUT));
        assertEquals(1, handle.restarts().size(), String.join("\n", handle.restarts()));
        assertEquals(
                "query 'schema_change_stranger', batch 0: value written with schema id " + stranger + " is not a"
                        + " version of subject '" + topic + "-value' even after the pipeline restarted to read it: its"
                        + " producer writes under another subject (set value.subject to that one), or the registry"
                        + " lost the schema; set value.onNewSchema to bad_record to let badRecords take such records",
                handle.failureMessage().orElseThrow());
    }

    /**
     * The registry goes down mid-run: records of the ids known at start keep being read (their
     * schemas were resolved when the pipeline started; executors never ask the registry), and a
     * record of a new id fails the pipeline in words after the restart was tried for about 15 s —
     * nothing of its batch written.
     */
    @Test
    void aRegistryDownWhenANewSchemaArrivesFailsThePipelineInWordsAfterItsRetries() throws Exception {
        String topic = kafka.newTopic("schema-change-registry-down", 1);
        Path out = dir.resolve("out");
        try (SchemaRegistry own = SchemaRegistry.start()) {
            int v1 = own.register(topic + "-value", V1);
            kafka.produceBytes(topic, List.of(v1(v1, 0)));
            PipelineHandle handle = sluice.pipeline("schema_change_registry_down")
                    .source("kafka", OptionPairs.with(source(topic), "schemaRegistry.url", own.url()))
                    .sink("parquet", Map.of("path", out.toString()))
                    .checkpointLocation(dir.resolve("checkpoint").toString())
                    .build()
                    .start();
            try {
                handle.processAllAvailable();
                int v2 = own.register(topic + "-value", V2);
                own.close();
                kafka.produceBytes(topic, List.of(v1(v1, 1)));
                handle.processAllAvailable();
                assertEquals(
                        2,
                        sluice.spark().read().parquet(out.toString()).count(),
                        "v1 records read without the registry");

                kafka.produceBytes(topic, List.of(v2(v2, 2)));
                assertThrows(StreamingQueryException.class, () -> handle.awaitTermination(Pipelines.TIMEOUT));
                assertEquals(
                        "query 'schema_change_registry_down', batch 2: value records of subject '" + topic
                                + "-value' are written with schema id " + v2 + ", new since the pipeline started (it"
                                + " read version 1), and starting it again failed: source 'kafka': cannot read the stream:"
                                + " cannot reach the schema registry at " + own.url()
                                + ": ConnectException — check schemaRegistry.url"
                                + " and that the registry is up",
                        handle.failureMessage().orElseThrow());
                assertEquals(List.of(), handle.restarts());
                assertEquals(2, sluice.spark().read().parquet(out.toString()).count(), "nothing of the failed batch");
            } finally {
                handle.stop();
            }
        }
    }
}
