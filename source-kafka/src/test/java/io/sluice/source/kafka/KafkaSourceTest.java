package io.sluice.source.kafka;

import static io.sluice.testkit.Pipelines.runToEnd;
import static io.sluice.testkit.Pipelines.runToFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.metrics.ProgressReporter;
import io.sluice.engine.pipeline.Pipeline;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.OptionPairs;
import io.sluice.testkit.SharedSluice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The kafka source against a real broker, read by a real local SparkSession. */
@ExtendWith(EmbeddedKafkaExtension.class)
class KafkaSourceTest {
    private static final AtomicInteger TOPICS = new AtomicInteger();
    /** The dead letter's words for {"id":2, — the field and what was wrong, read again for bad records only. */
    private static final String TRUNCATED =
            "not JSON: Unexpected end-of-input within/between Object entries (column 9)";

    private static Sluice sluice;
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.withCollectingSink();
    }

    private static String topic(int partitions) {
        return kafka.newTopic("source-test", partitions);
    }

    private static Map<String, String> options(String... pairs) {
        return kafka.sourceOptions(pairs);
    }

    private static PipelineBuilder pipeline(String table, Map<String, String> source) {
        return sluice.pipeline(table).source("kafka", source).sink("collect");
    }

    private static List<Row> table(String sql) {
        return sluice.spark().sql(sql).collectAsList();
    }

    @Test
    void producesTheSevenFixedColumnsWithSparksTypes() throws Exception {
        String topic = topic(1);
        kafka.produce(topic, List.of(KafkaRecord.of("k", "v").withTimestamp(1_700_000_000_000L)));
        runToEnd(pipeline("fixed_columns", options("subscribe", topic, "startingOffsets", "earliest")));

        assertEquals(
                "struct<key:binary,value:binary,topic:string,partition:int,offset:bigint,timestamp:timestamp,timestampType:int>",
                sluice.spark().table("fixed_columns").schema().simpleString());
        assertEquals(
                "[[v,k," + topic + ",0,0,1700000000000,0]]",
                table(
                                "SELECT CAST(value AS STRING), CAST(key AS STRING), topic, partition, offset, unix_millis(timestamp), timestampType"
                                        + " FROM fixed_columns")
                        .toString());
    }

    @Test
    void stringDecodingAndHeaders() throws Exception {
        String topic = topic(1);
        kafka.produce(topic, List.of(KafkaRecord.of("k1", "hello").withHeaders(Map.of("trace", "t-1"))));
        runToEnd(pipeline(
                "headers",
                options(
                        "subscribe",
                        topic,
                        "startingOffsets",
                        "earliest",
                        "key.format",
                        "string",
                        "value.format",
                        "string",
                        "includeHeaders",
                        "true")));

        assertEquals(
                "struct<key:string,value:string,topic:string,partition:int,offset:bigint,timestamp:timestamp,timestampType:int,"
                        + "headers:array<struct<key:string,value:binary>>>",
                sluice.spark().table("headers").schema().simpleString());
        assertEquals(
                "[[hello,k1,trace,t-1]]",
                table("SELECT value, key, headers[0].key, CAST(headers[0].value AS STRING) FROM headers")
                        .toString());
    }

    @Test
    void earliestReadsWhatIsThereLatestOnlyWhatComesAfterStart() throws Exception {
        String topic = topic(2);
        kafka.produceValues(topic, List.of("old-1", "old-2"));
        try (PipelineHandle earliest = pipeline(
                                "from_earliest",
                                options("subscribe", topic, "startingOffsets", "earliest", "value.format", "string"))
                        .build()
                        .start();
                PipelineHandle latest = pipeline("from_latest", options("subscribe", topic, "value.format", "string"))
                        .build()
                        .start()) {
            earliest.processAllAvailable();
            latest.processAllAvailable();
            kafka.produceValues(topic, List.of("new-1", "new-2", "new-3"));
            earliest.processAllAvailable();
            latest.processAllAvailable();
            assertEquals(5L, table("SELECT count(*) FROM from_earliest").get(0).getLong(0));
            assertEquals(
                    "[[new-1], [new-2], [new-3]]",
                    table("SELECT value FROM from_latest ORDER BY value").toString());
        }
    }

    @Test
    void subscribePatternPicksUpATopicCreatedAfterTheStart() throws Exception {
        String prefix = "pattern-" + TOPICS.incrementAndGet();
        kafka.createTopic(prefix + "-a", 1);
        kafka.produceValues(prefix + "-a", List.of("a1"));
        try (PipelineHandle handle = pipeline(
                        "by_pattern",
                        options(
                                "subscribePattern",
                                prefix + "-.*",
                                "startingOffsets",
                                "earliest",
                                "value.format",
                                "string",
                                "kafka.metadata.max.age.ms",
                                "200"))
                .trigger(StreamTrigger.processingTime(Duration.ofMillis(200)))
                .build()
                .start()) {
            handle.processAllAvailable();
            kafka.createTopic(prefix + "-b", 1);
            kafka.produceValues(prefix + "-b", List.of("b1", "b2"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (table("SELECT * FROM by_pattern").size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                handle.processAllAvailable();
            }
            assertEquals(
                    "[[" + prefix + "-a,a1], [" + prefix + "-b,b1], [" + prefix + "-b,b2]]",
                    table("SELECT topic, value FROM by_pattern ORDER BY topic, value")
                            .toString());
        }
    }

    @Test
    void assignReadsOnlyTheChosenPartitions() throws Exception {
        String topic = topic(3);
        kafka.produce(
                topic,
                List.of(
                        KafkaRecord.value("p0").toPartition(0),
                        KafkaRecord.value("p1").toPartition(1),
                        KafkaRecord.value("p2").toPartition(2)));
        runToEnd(pipeline(
                "assigned",
                options(
                        "assign",
                        "{\"" + topic + "\":[0,2]}",
                        "startingOffsets",
                        "earliest",
                        "value.format",
                        "string")));
        assertEquals(
                "[[0,p0], [2,p2]]",
                table("SELECT partition, value FROM assigned ORDER BY partition")
                        .toString());
    }

    @Test
    void maxOffsetsPerTriggerBoundsEveryBatch() throws Exception {
        String topic = topic(1);
        kafka.produceValues(
                topic, IntStream.range(0, 100).mapToObj(i -> "v" + i).toList());
        PipelineHandle handle = runToEnd(pipeline(
                "bounded", options("subscribe", topic, "startingOffsets", "earliest", "maxOffsetsPerTrigger", "30")));
        List<Long> sizes = handle.recentProgress().stream()
                .map(StreamingQueryProgress::numInputRows)
                .filter(n -> n > 0)
                .toList();
        assertEquals(List.of(30L, 30L, 30L, 10L), sizes);
        assertEquals(100L, table("SELECT count(*) FROM bounded").get(0).getLong(0));
    }

    @Test
    void jsonValuesWithNestedAndArrayFieldsBecomeTypedColumns() throws Exception {
        String topic = topic(1);
        kafka.produce(
                topic,
                List.of(
                        KafkaRecord.of(
                                "{\"region\":\"eu\"}",
                                "{\"id\":7,\"customer\":{\"name\":\"Ann\",\"tier\":2},\"items\":[{\"sku\":\"A-1\",\"qty\":3},{\"sku\":\"B-2\",\"qty\":1}]}")));
        runToEnd(pipeline(
                "nested",
                options(
                        "subscribe",
                        topic,
                        "startingOffsets",
                        "earliest",
                        "value.format",
                        "json",
                        "value.schema",
                        "id BIGINT, customer STRUCT<name: STRING, tier: INT>, items ARRAY<STRUCT<sku: STRING, qty: INT>>",
                        "key.format",
                        "json",
                        "key.schema",
                        "region STRING")));

        assertEquals(
                "struct<id:bigint,customer:struct<name:string,tier:int>,items:array<struct<sku:string,qty:int>>,"
                        + "key:struct<region:string>,topic:string,partition:int,offset:bigint,timestamp:timestamp,timestampType:int>",
                sluice.spark().table("nested").schema().simpleString());
        assertEquals(
                "[[7,Ann,2,A-1,4,eu,0]]",
                table(
                                "SELECT id, customer.name, customer.tier, items[0].sku, aggregate(items, 0, (acc, i) -> acc + i.qty), key.region, offset"
                                        + " FROM nested")
                        .toString());
    }

    /** Three good records and five bad ones: malformed, wrong type, tombstone, a bare number, an empty value. */
    private static String topicWithBadRecords() {
        String topic = topic(1);
        kafka.produce(
                topic,
                List.of(
                        KafkaRecord.value("{\"id\":1,\"amount\":10.5}"),
                        KafkaRecord.value("{\"id\":2,"),
                        KafkaRecord.value("{\"id\":3,\"amount\":7}"),
                        KafkaRecord.value("{\"id\":\"four\",\"amount\":1}"),
                        KafkaRecord.value(null),
                        KafkaRecord.value("42"),
                        KafkaRecord.value("{\"id\":7}"),
                        KafkaRecord.value("")));
        return topic;
    }

    private static Map<String, String> jsonOptions(String topic, String... more) {
        return OptionPairs.with(
                kafka.readFromStart(topic, "value.format", "json", "value.schema", "id BIGINT, amount DOUBLE"), more);
    }

    /** A decoder counter's total over the run, as the handle reports it; the batches' sum of it must agree. */
    private static long counted(PipelineHandle handle, String counter) {
        String key = RecordDecoder.METRICS + "." + counter;
        long byBatch = handle.recentProgress().stream()
                .mapToLong(p -> handle.counts(p.batchId()).getOrDefault(key, 0L))
                .sum();
        assertEquals(byBatch, handle.countTotals().get(key), "the batches' counts add up to the total");
        return byBatch;
    }

    private static long rows(PipelineHandle handle) {
        return handle.recentProgress().stream().mapToLong(p -> p.numInputRows()).sum();
    }

    @Test
    void failPolicyStopsTheQueryNamingTheRecord() throws Exception {
        String topic = topicWithBadRecords();
        StreamingQueryException error = runToFailure(pipeline("fail_policy", jsonOptions(topic)));
        assertTrue(
                error.getMessage()
                        .contains(
                                "source 'kafka': cannot decode the record at topic " + topic
                                        + ", partition 0, offset 1:"
                                        + " value is not JSON matching value.schema (set badRecords to skip or dead_letter to keep the pipeline running)"),
                error.getMessage());
    }

    /** A filter on the value's fields runs after the policy: a bad record (all fields null) never slips out unseen. */
    @Test
    void aFilterOnValueFieldsDoesNotHideABadRecordFromThePolicy() throws Exception {
        String topic = topicWithBadRecords();
        StreamingQueryException error = runToFailure(
                pipeline("fail_policy_filtered", jsonOptions(topic)).sql("SELECT id FROM input WHERE amount > 0"));
        assertTrue(
                error.getMessage()
                        .contains("source 'kafka': cannot decode the record at topic " + topic
                                + ", partition 0, offset 1: value is not JSON matching value.schema"),
                error.getMessage());
    }

    @Test
    void skipPolicyCountsEveryBadRecordInTheProgress() throws Exception {
        String topic = topicWithBadRecords();
        PipelineHandle handle = runToEnd(pipeline("skip_policy", jsonOptions(topic, "badRecords", "skip")));
        assertEquals(
                "[[1,10.5], [3,7.0], [7,null]]",
                table("SELECT id, amount FROM skip_policy ORDER BY id").toString());
        assertEquals(8L, rows(handle));
        assertEquals(5L, counted(handle, "skipped"));
    }

    @Test
    void deadLetterPolicyKeepsEveryBadRecordWithItsCoordinatesAndError() throws Exception {
        String topic = topicWithBadRecords();
        Path deadLetter = dir.resolve("dead-letter");
        PipelineHandle handle = runToEnd(pipeline(
                        "dead_letter_policy",
                        jsonOptions(topic, "badRecords", "dead_letter", "deadLetter.path", deadLetter.toString()))
                .checkpointLocation(dir.resolve("checkpoint").toString()));

        assertEquals(3L, table("SELECT count(*) FROM dead_letter_policy").get(0).getLong(0));
        assertEquals(8L, rows(handle));
        assertEquals(5L, counted(handle, "deadLettered"));
        List<Row> dead = sluice.spark()
                .read()
                .json(deadLetter.toString())
                .selectExpr("offset", "value", "error", "topic", "partition")
                .orderBy("offset")
                .collectAsList();
        assertEquals(
                "[[1,{\"id\":2,,value is not JSON matching value.schema: " + TRUNCATED + "," + topic + ",0], "
                        + "[3,{\"id\":\"four\",\"amount\":1},value is not JSON matching value.schema: field 'id' is"
                        + " \"four\", not a BIGINT," + topic + ",0], "
                        + "[4,null,value is null," + topic + ",0], "
                        + "[5,42,value is not JSON matching value.schema: a JSON number, not an object," + topic
                        + ",0], "
                        + "[7,,value is not JSON matching value.schema: empty, not a JSON object," + topic + ",0]]",
                dead.toString());
    }

    @Test
    void deadLetterFromLatestKeepsTheBadRecordsProducedAfterStart() throws Exception {
        String topic = topic(2);
        kafka.produceValues(topic, List.of("{\"id\":0}", "before start, not read"));
        Path deadLetter = dir.resolve("dead-letter-latest");
        try (PipelineHandle handle = pipeline(
                        "dead_letter_latest",
                        options(
                                "subscribe",
                                topic,
                                "value.format",
                                "json",
                                "value.schema",
                                "id BIGINT",
                                "badRecords",
                                "dead_letter",
                                "deadLetter.path",
                                deadLetter.toString()))
                .checkpointLocation(dir.resolve("checkpoint-latest").toString())
                .build()
                .start()) {
            handle.processAllAvailable();
            kafka.produceValues(topic, List.of("{\"id\":1}", "oops", "{\"id\":2}"));
            handle.processAllAvailable();
            assertEquals(
                    "[[1], [2]]",
                    table("SELECT id FROM dead_letter_latest ORDER BY id").toString());
            assertEquals(
                    "[[oops]]",
                    sluice.spark()
                            .read()
                            .json(deadLetter.toString())
                            .selectExpr("value")
                            .collectAsList()
                            .toString());
        }
    }

    /** Attached and told to follow nothing, a reporter reports every pipeline: a program that never calls follow is not silent. */
    @Test
    void aReporterFollowingNothingReportsEveryPipeline() throws Exception {
        String topic = topicWithBadRecords();
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ProgressReporter reporter = ProgressReporter.attach(sluice.spark(), lines::add)) {
            runToEnd(pipeline("reported_unfollowed", jsonOptions(topic, "badRecords", "skip")));
            awaitLines(lines, 1);
        }
        assertTrue(
                lines.stream()
                        .anyMatch(line -> line.matches("\\[reported_unfollowed\\] batch 0: 8 records in at [0-9,]+/s,"
                                + " 3 rows written, 0 behind latest, kafka.decode: skipped=5")),
                lines.toString());
    }

    @Test
    void progressLinesShowRowsBacklogAndBadRecordCounts() throws Exception {
        String topic = topicWithBadRecords();
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ProgressReporter reporter = ProgressReporter.attach(sluice.spark(), lines::add)) {
            Pipeline reported = pipeline(
                            "reported", jsonOptions(topic, "badRecords", "skip", "maxOffsetsPerTrigger", "3"))
                    .trigger(StreamTrigger.availableNow())
                    .build();
            try (PipelineHandle handle = reported.start(reporter.follow(reported.validate()))) {
                assertTrue(handle.awaitTermination(java.time.Duration.ofMinutes(2)), "an available-now pipeline ends");
                awaitLines(lines, 3);
            }
            runToEnd(pipeline("not_followed", jsonOptions(topic, "badRecords", "skip")));
        }
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("[not_followed]")), lines.toString());
        List<String> withData =
                lines.stream().filter(line -> !line.contains(": 0 rows")).toList();
        assertEquals(3, withData.size(), lines.toString());
        assertTrue(
                withData.get(0)
                        .matches("\\[reported\\] batch 0: 3 records in at [0-9,]+/s, 2 rows written, 5 behind latest,"
                                + " kafka.decode: skipped=1"),
                withData.get(0));
        assertTrue(
                withData.get(1)
                        .matches("\\[reported\\] batch 1: 3 records in at [0-9,]+/s, 0 rows written, 2 behind latest,"
                                + " kafka.decode: skipped=3"),
                withData.get(1));
        assertTrue(
                withData.get(2)
                        .matches("\\[reported\\] batch 2: 2 records in at [0-9,]+/s, 1 row written, 0 behind latest,"
                                + " kafka.decode: skipped=1"),
                withData.get(2));
    }

    /** Spark's listener bus delivers a batch's progress on its own thread, possibly after the query has ended. */
    private static void awaitLines(List<String> lines, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (lines.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void aReplayedBatchKeepsItsBadRecordsOnceInParquet() throws Exception {
        String topic = topicWithBadRecords();
        Path deadLetter = dir.resolve("dead-letter-replayed");
        Path checkpoint = dir.resolve("checkpoint-replayed");
        PipelineBuilder pipeline = Sluice.using(
                        sluice.spark(), sluice.connectors().withSink(new IdSink()))
                .pipeline("replayed")
                .source(
                        "kafka",
                        jsonOptions(
                                topic,
                                "badRecords",
                                "dead_letter",
                                "deadLetter.path",
                                deadLetter.toString(),
                                "deadLetter.format",
                                "parquet"))
                .sink("ids")
                .checkpointLocation(checkpoint.toString());
        runToEnd(pipeline);
        // As after a crash between writing batch 0 and committing it: Spark runs batch 0 again.
        java.nio.file.Files.delete(checkpoint.resolve("commits/0"));
        java.nio.file.Files.deleteIfExists(checkpoint.resolve("commits/.0.crc")); // Spark's manager writes one
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        PipelineHandle replay;
        try (ProgressReporter reporter = ProgressReporter.attach(sluice.spark(), lines::add)) {
            Pipeline again = pipeline.trigger(StreamTrigger.availableNow()).build();
            replay = again.start(reporter.follow(again.validate()));
            assertTrue(replay.awaitTermination(java.time.Duration.ofMinutes(2)), "an available-now pipeline ends");
            awaitLines(lines, 1);
        }
        assertEquals(5L, counted(replay, "deadLettered"), "the batch was replayed");
        // a replayed batch's progress has no latest offsets: the line still says how far behind it is
        assertTrue(
                lines.stream()
                        .anyMatch(line -> line.matches("\\[replayed\\] batch 0: 8 records in at [0-9,]+/s,"
                                + " 0 behind latest, kafka.decode: deadLettered=5")),
                lines.toString());

        Dataset<Row> dead = sluice.spark().read().parquet(deadLetter.toString());
        assertEquals(
                "struct<topic:string,partition:int,offset:bigint,timestamp:timestamp,key:binary,value:binary,error:string>",
                dead.schema().simpleString());
        assertEquals(
                "[[1,value is not JSON matching value.schema: " + TRUNCATED + "], [3,value is not JSON matching"
                        + " value.schema: field 'id' is \"four\", not a BIGINT], [4,value is null], [5,value is not JSON"
                        + " matching value.schema: a JSON number, not an object], [7,value is not JSON matching"
                        + " value.schema: empty, not a JSON object]]",
                dead.select("offset", "error").orderBy("offset").collectAsList().toString());
    }

    @Test
    void aDeadLetterThatFailsStopsThePipelineAndIsTheFailureReported() throws Exception {
        String topic = topic(1);
        kafka.produceValues(topic, List.of("{\"id\":1,\"amount\":1.0}", "not json", "{\"id\":2,\"amount\":2.0}"));
        Path deadLetter = dir.resolve("dead-letter-fails");
        PipelineHandle handle = pipeline(
                        "dead_letter_fails",
                        jsonOptions(topic, "badRecords", "dead_letter", "deadLetter.path", deadLetter.toString()))
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .trigger(StreamTrigger.processingTime(Duration.ofMillis(200)))
                .build()
                .start();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!java.nio.file.Files.exists(deadLetter.resolve(topic + "-0-1.json"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            // the dead letter's directory becomes unwritable: a file where it was
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(deadLetter)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
            java.nio.file.Files.writeString(deadLetter, "not a directory");
            kafka.produceValues(topic, List.of("also not json", "{\"id\":3,\"amount\":3.0}"));

            StreamingQueryException failure =
                    assertThrows(StreamingQueryException.class, () -> handle.awaitTermination(Duration.ofMinutes(2)));
            assertTrue(
                    failure.getMessage()
                            .contains("cannot write a bad record to the dead letter (json files at " + deadLetter
                                    + "): " + deadLetter + ": a file is in the way (a directory is needed there)"),
                    failure.getMessage());
            assertTrue(
                    handle.failureMessage().orElseThrow().startsWith("query 'dead_letter_fails', batch "),
                    handle.failureMessage().orElseThrow());
            assertFalse(handle.isActive(), "the pipeline stopped");
            // counted though the task failed (Spark's countFailedValues): what the metrics endpoint reports
            assertEquals(
                    1L, handle.countTotals().get("kafka.deadLetter.writeFailures"), handle.countTotals()::toString);
        } finally {
            handle.stop();
        }
    }

    /** Keeps the ids it was given; unlike Spark's memory sink, it can be restarted from a checkpoint. */
    static final class IdSink implements io.sluice.core.BatchSink {
        static final java.util.Queue<Long> IDS = new java.util.concurrent.ConcurrentLinkedQueue<>();

        @Override
        public String name() {
            return "ids";
        }

        @Override
        public String description() {
            return "Keeps the ids of the rows it writes (test sink)";
        }

        @Override
        public io.sluice.core.BatchWriter writer(
                io.sluice.core.SinkContext context,
                io.sluice.core.option.ConnectorOptions options,
                org.apache.spark.sql.types.StructType schema) {
            return io.sluice.core.BatchWriter.perPartition(
                    (batch, partition, rows) -> rows.forEachRemaining(r -> IDS.add(r.getLong(0))));
        }
    }

    @Test
    void recordsDeletedByRetentionWhileStoppedAreNamedBeforeStart() throws Exception {
        String topic = topic(1);
        List<String> orders = IntStream.range(0, 100)
                .mapToObj(i -> "{\"id\":" + i + ",\"amount\":1.0}")
                .toList();
        kafka.produceValues(topic, orders.subList(0, 50));
        String checkpoint = dir.resolve("checkpoint").toString();
        Sluice withIds = Sluice.using(sluice.spark(), sluice.connectors().withSink(new IdSink()));
        java.util.function.Function<Map<String, String>, PipelineBuilder> retention =
                source -> withIds.pipeline("retention")
                        .source("kafka", source)
                        .sql("SELECT id FROM input")
                        .sink("ids")
                        .checkpointLocation(checkpoint);
        IdSink.IDS.clear();
        runToEnd(retention.apply(jsonOptions(topic)));
        assertEquals(50, IdSink.IDS.size());
        kafka.produceValues(topic, orders.subList(50, 100));
        kafka.admin()
                .deleteRecords(Map.of(
                        new org.apache.kafka.common.TopicPartition(topic, 0),
                        org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(80)))
                .all()
                .get();

        io.sluice.engine.definition.ValidationException refused = assertThrows(
                io.sluice.engine.definition.ValidationException.class,
                () -> retention
                        .apply(jsonOptions(topic))
                        .trigger(StreamTrigger.availableNow())
                        .build()
                        .start());
        assertEquals(
                "pipeline 'retention' is invalid: source 'kafka': records the checkpoint has not read"
                        + " yet are gone from Kafka (deleted by retention while the pipeline was stopped): " + topic
                        + " partition 0:"
                        + " 30 records (offsets 50 to 79) — set failOnDataLoss false to go on from the earliest records left, or replay"
                        + " them from a copy",
                refused.getMessage());

        IdSink.IDS.clear();
        runToEnd(retention.apply(jsonOptions(topic, "failOnDataLoss", "false")));
        assertEquals(
                LongStream.range(80, 100).boxed().toList(),
                IdSink.IDS.stream().sorted().toList());
    }
}
