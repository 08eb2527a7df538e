package io.sluice.sink.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.sluice.core.OutputMode;
import io.sluice.core.StreamTrigger;
import io.sluice.engine.Sluice;
import io.sluice.engine.definition.Problem;
import io.sluice.engine.pipeline.PipelineBuilder;
import io.sluice.engine.pipeline.PipelineHandle;
import io.sluice.testkit.ConnectorConventions;
import io.sluice.testkit.EmbeddedKafka;
import io.sluice.testkit.EmbeddedKafkaExtension;
import io.sluice.testkit.KafkaRecord;
import io.sluice.testkit.Pipelines;
import io.sluice.testkit.ReadmeTables;
import io.sluice.testkit.SharedSluice;
import io.sluice.testkit.TaskBlocker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Kafka → Delta in each mode on a real session; every table read back with Delta itself, not through Sluice. */
@ExtendWith(EmbeddedKafkaExtension.class)
class KafkaToDeltaTest {
    private static final String SCHEMA = "id BIGINT, customer STRING, amount DOUBLE, op STRING";
    private static EmbeddedKafka kafka;
    private static Sluice sluice;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        sluice = SharedSluice.get();
    }

    private static List<String> orders(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> "{\"id\":" + i + ",\"customer\":\"c" + (i % 4) + "\",\"amount\":1.0,\"op\":\"upsert\"}")
                .toList();
    }

    private PipelineBuilder fromKafka(String name, String topic, String... more) {
        String[] options = java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(
                                "value.format", "json", "value.schema", SCHEMA, "maxOffsetsPerTrigger", "100"),
                        java.util.stream.Stream.of(more))
                .toArray(String[]::new);
        return sluice.pipeline(name)
                .source("kafka", kafka.readFromStart(topic, options))
                .checkpointLocation(dir.resolve("checkpoint").toString())
                .trigger(StreamTrigger.availableNow());
    }

    private Dataset<Row> table(String name) {
        return sluice.spark().read().format("delta").load(dir.resolve(name).toString());
    }

    private long versions(String name) {
        return DeltaTable.forPath(sluice.spark(), dir.resolve(name).toString())
                .history()
                .count();
    }

    @Test
    void followsTheConventionsAndIsDocumented() {
        assertEquals(List.of(), ConnectorConventions.violations(new DeltaSink()));
        assertEquals("", ReadmeTables.checkDocs(new DeltaSink()));
        assertTrue(
                SharedSluice.get()
                        .spark()
                        .conf()
                        .get("spark.sql.extensions")
                        .contains("io.delta.sql.DeltaSparkSessionExtension"),
                "Sluice.embedded() sets what the delta connector declares");
    }

    @Test
    void appendWritesEveryRecordOnceWithOneTableVersionPerBatch() throws Exception {
        String topic = kafka.newTopic("delta-append", 2);
        kafka.produceValues(topic, orders(0, 500));
        PipelineHandle handle = Pipelines.runToEnd(fromKafka("append", topic)
                .sql("SELECT id, customer, amount, partition, offset FROM input")
                .sink("delta", Map.of("path", dir.resolve("append").toString(), "partitionBy", "customer")));
        long batches = handle.recentProgress().stream()
                .filter(p -> p.numInputRows() > 0)
                .count();
        assertEquals(500, table("append").count());
        assertEquals(
                500, table("append").select("partition", "offset").distinct().count());
        assertEquals(batches, versions("append"), "one table version per batch");
        long first = handle.recentProgress().stream()
                .filter(p -> p.numInputRows() > 0)
                .findFirst()
                .orElseThrow()
                .numInputRows();
        assertEquals(
                first,
                sluice.spark()
                        .read()
                        .format("delta")
                        .option("versionAsOf", 0)
                        .load(dir.resolve("append").toString())
                        .count(),
                "time travel: the first batch alone (Spark splits maxOffsetsPerTrigger over the partitions, rounding down)");
    }

    @Test
    void completeReplacesTheTableWithTheLatestResult() throws Exception {
        String topic = kafka.newTopic("delta-complete", 1);
        kafka.produceValues(topic, orders(0, 300));
        Pipelines.runToEnd(fromKafka("complete", topic)
                .sql("SELECT customer, count(*) AS orders FROM input GROUP BY customer")
                .sink("delta", Map.of("path", dir.resolve("complete").toString()))
                .outputMode(OutputMode.COMPLETE));
        assertEquals(
                List.of("[c0,75]", "[c1,75]", "[c2,75]", "[c3,75]"),
                table("complete").orderBy("customer").collectAsList().stream()
                        .map(Row::toString)
                        .toList());
    }

    @Test
    void mergeUpsertsUpdateModeResultsAndDeletesFlaggedKeysAcrossRestarts() throws Exception {
        String topic = kafka.newTopic("delta-merge", 1);
        kafka.produceValues(topic, orders(0, 200));
        Map<String, String> sink = Map.of("path", dir.resolve("merge").toString(), "mergeKeys", "customer");
        Pipelines.runToEnd(fromKafka("merge", topic)
                .sql("SELECT customer, count(*) AS orders FROM input GROUP BY customer")
                .sink("delta", sink)
                .outputMode(OutputMode.UPDATE));
        assertEquals(
                List.of("[c0,50]", "[c1,50]", "[c2,50]", "[c3,50]"),
                table("merge").orderBy("customer").collectAsList().stream()
                        .map(Row::toString)
                        .toList());

        kafka.produceValues(topic, orders(200, 40));
        Pipelines.runToEnd(fromKafka("merge", topic)
                .sql("SELECT customer, count(*) AS orders FROM input GROUP BY customer")
                .sink("delta", sink)
                .outputMode(OutputMode.UPDATE));
        assertEquals(
                List.of("[c0,60]", "[c1,60]", "[c2,60]", "[c3,60]"),
                table("merge").orderBy("customer").collectAsList().stream()
                        .map(Row::toString)
                        .toList());

        String changes = kafka.newTopic("delta-changes", 1);
        kafka.produceValues(
                changes,
                List.of(
                        "{\"id\":1,\"customer\":\"ann\",\"amount\":5.0,\"op\":\"upsert\"}",
                        "{\"id\":2,\"customer\":\"bob\",\"amount\":7.0,\"op\":\"upsert\"}"));
        Map<String, String> byId =
                Map.of("path", dir.resolve("changes").toString(), "mergeKeys", "id", "deleteColumn", "deleted");
        Pipelines.runToEnd(sluice.pipeline("changes")
                .source("kafka", kafka.readFromStart(changes, "value.format", "json", "value.schema", SCHEMA))
                .sql("SELECT id, customer, amount, op = 'delete' AS deleted, partition, offset FROM input")
                .sink("delta", byId)
                .checkpointLocation(dir.resolve("changes-checkpoint").toString()));
        kafka.produceValues(
                changes,
                List.of(
                        "{\"id\":1,\"customer\":\"ann\",\"amount\":0.0,\"op\":\"delete\"}",
                        "{\"id\":2,\"customer\":\"bob\",\"amount\":8.0,\"op\":\"upsert\"}"));
        Pipelines.runToEnd(sluice.pipeline("changes")
                .source("kafka", kafka.readFromStart(changes, "value.format", "json", "value.schema", SCHEMA))
                .sql("SELECT id, customer, amount, op = 'delete' AS deleted, partition, offset FROM input")
                .sink("delta", byId)
                .checkpointLocation(dir.resolve("changes-checkpoint").toString()));
        assertEquals(
                List.of("[2,bob,8.0]"),
                table("changes").select("id", "customer", "amount").collectAsList().stream()
                        .map(Row::toString)
                        .toList());
    }

    /** An event of each of 20 keys per round, keyed so a key stays in its partition; some keys deleted and recreated. */
    private static List<KafkaRecord> changeEvents(int fromRound, int toRound) {
        List<KafkaRecord> events = new java.util.ArrayList<>();
        for (int round = fromRound; round < toRound; round++) {
            for (int id = 0; id < 20; id++) {
                boolean delete = (id % 5 == 0 && round == 11) || (id % 7 == 0 && round == 4);
                events.add(KafkaRecord.of(
                        String.valueOf(id),
                        "{\"id\":" + id + ",\"customer\":\"c" + id + "\",\"amount\":" + round + ",\"op\":\""
                                + (delete ? "delete" : "upsert") + "\"}"));
            }
        }
        return events;
    }

    @Test
    void aChangeStreamWithManyEventsPerKeyLeavesTheLastEventOfEachKeyAcrossBatchesAndARestart() throws Exception {
        String topic = kafka.newTopic("delta-cdc", 2);
        kafka.produce(topic, changeEvents(0, 6));
        Map<String, String> sink =
                Map.of("path", dir.resolve("cdc").toString(), "mergeKeys", "id", "deleteColumn", "deleted");
        String sql = "SELECT id, customer, amount, op = 'delete' AS deleted, partition, offset FROM input";
        PipelineHandle first =
                Pipelines.runToEnd(fromKafka("cdc", topic).sql(sql).sink("delta", sink));
        assertTrue(
                first.recentProgress().stream()
                                .filter(p -> p.numInputRows() > 0)
                                .count()
                        >= 2,
                "several batches, every key in each");
        assertEquals(
                20, table("cdc").count(), "one row per key after the first run (the first batch created the table)");
        assertEquals(
                List.of(5.0),
                table("cdc").select("amount").distinct().collectAsList().stream()
                        .map(r -> r.getDouble(0))
                        .toList());

        kafka.produce(topic, changeEvents(6, 12));
        Pipelines.runToEnd(fromKafka("cdc", topic).sql(sql).sink("delta", sink));
        List<String> expected = IntStream.range(0, 20)
                .filter(id -> id % 5 != 0)
                .mapToObj(id -> "[" + id + ",c" + id + ",11.0]")
                .toList();
        assertEquals(
                expected,
                table("cdc").select("id", "customer", "amount").orderBy("id").collectAsList().stream()
                        .map(Row::toString)
                        .toList(),
                "the last event of each key, the keys deleted last gone");
    }

    @Test
    void withSequenceByTheNewestEventOfAKeyWinsWhateverTheOrderItArrivesIn() throws Exception {
        String topic = kafka.newTopic("delta-sequence", 1);
        String schema = "id BIGINT, customer STRING, amount DOUBLE, op STRING, version INT";
        java.util.function.BiFunction<Integer, Integer, String> event = (id, version) -> "{\"id\":" + id
                + ",\"customer\":\"c\"," + "\"amount\":" + version + ",\"op\":\"upsert\",\"version\":" + version + "}";
        kafka.produceValues(topic, List.of(event.apply(1, 3), event.apply(1, 5), event.apply(1, 4), event.apply(2, 1)));
        Map<String, String> sink =
                Map.of("path", dir.resolve("sequenced").toString(), "mergeKeys", "id", "sequenceBy", "version");
        String sql = "SELECT id, amount, version FROM input";
        Pipelines.runToEnd(
                fromKafka("sequenced", topic, "value.schema", schema).sql(sql).sink("delta", sink));
        assertEquals(
                List.of("[1,5.0,5]", "[2,1.0,1]"),
                table("sequenced").orderBy("id").collectAsList().stream()
                        .map(Row::toString)
                        .toList());

        kafka.produceValues(topic, List.of(event.apply(1, 2), event.apply(2, 7)));
        Pipelines.runToEnd(
                fromKafka("sequenced", topic, "value.schema", schema).sql(sql).sink("delta", sink));
        assertEquals(
                List.of("[1,5.0,5]", "[2,7.0,7]"),
                table("sequenced").orderBy("id").collectAsList().stream()
                        .map(Row::toString)
                        .toList(),
                "a late, older event of key 1 changed nothing");
    }

    /** A windowed upsert keyed by the window's start, as users spell it: the plan proves it unique per batch. */
    @Test
    void aWindowedUpsertKeyedByTheWindowsStartIsAcceptedAndWritesOneRowPerWindowAndCustomer() throws Exception {
        String topic = kafka.newTopic("delta-windows", 2);
        kafka.produceValues(topic, orders(0, 40));
        PipelineBuilder pipeline = fromKafka("windowed_upsert", topic)
                .sql("SELECT window.start AS window_start, customer, sum(amount) AS total FROM input"
                        + " WATERMARK timestamp DELAY OF INTERVAL 1 MINUTE"
                        + " GROUP BY window(timestamp, '5 minutes'), customer")
                .sink("delta", Map.of("path", dir.resolve("windows").toString(), "mergeKeys", "window_start, customer"))
                .outputMode(OutputMode.UPDATE);
        assertEquals(List.of(), pipeline.build().validate().problems());
        Pipelines.runToEnd(pipeline);
        Dataset<Row> written = table("windows");
        assertEquals(
                written.select("window_start", "customer").distinct().count(),
                written.count(),
                "one row per window and customer");
        assertEquals(40.0, written.agg(functions.sum("total")).first().getDouble(0));
    }

    @Test
    void mergeKeysWithNothingToOrderTheRowsOfAKeyIsRefusedWithTheFix() {
        String topic = kafka.newTopic("delta-unordered", 1);
        List<String> problems = fromKafka("unordered", topic)
                .sql("SELECT id, customer, amount FROM input")
                .sink("delta", Map.of("path", dir.resolve("unordered").toString(), "mergeKeys", "id"))
                .build()
                .validate()
                .problems()
                .stream()
                .map(Problem::toString)
                .toList();
        assertEquals(
                List.of(
                        "sink 'delta': option 'mergeKeys' merges one row per key, and a batch of this query can hold several"
                                + " rows of a key with nothing to say which came last: set 'sequenceBy' to a column that orders them (an event time,"
                                + " a version), or pass the source's partition and offset columns through the query unchanged (SELECT ...,"
                                + " partition, offset), and the last row of each key is merged"),
                problems);
        assertEquals(
                List.of(
                        "sink 'delta': option 'sequenceBy' names column 'version', which the query does not have (columns: id,"
                                + " customer, amount)"),
                fromKafka("unordered", topic)
                        .sql("SELECT id, customer, amount FROM input")
                        .sink(
                                "delta",
                                Map.of(
                                        "path",
                                        dir.resolve("unordered").toString(),
                                        "mergeKeys",
                                        "id",
                                        "sequenceBy",
                                        "version"))
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Problem::toString)
                        .toList());
        assertEquals(
                List.of("sink 'delta': option 'sequenceBy' needs option 'mergeKeys'"),
                fromKafka("unordered", topic)
                        .sql("SELECT id, customer, amount FROM input")
                        .sink("delta", Map.of("path", dir.resolve("unordered").toString(), "sequenceBy", "amount"))
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Problem::toString)
                        .toList());
    }

    @Test
    void aBatchSparkReplaysInMergeModeChangesNothing() throws Exception {
        String topic = kafka.newTopic("delta-replay", 1);
        kafka.produceValues(topic, orders(0, 300));
        Map<String, String> sink = Map.of("path", dir.resolve("replay").toString(), "mergeKeys", "id");
        Pipelines.runToEnd(fromKafka("replay", topic)
                .sql("SELECT id, customer, amount, partition, offset FROM input")
                .sink("delta", sink));
        long versions = versions("replay");
        List<Row> before = table("replay").orderBy("id").collectAsList();

        Path commits = dir.resolve("checkpoint/commits");
        Files.delete(commits.resolve("2"));
        Files.deleteIfExists(commits.resolve(".2.crc"));
        PipelineHandle again = Pipelines.runToEnd(fromKafka("replay", topic)
                .sql("SELECT id, customer, amount, partition, offset FROM input")
                .sink("delta", sink));
        assertEquals(
                List.of(2L),
                again.recentProgress().stream().map(p -> p.batchId()).distinct().toList(),
                "Spark replayed batch 2");
        assertEquals(versions, versions("replay"), "Delta skipped the replayed commit");
        assertEquals(before, table("replay").orderBy("id").collectAsList());
    }

    @Test
    void exactlyOnceForEveryReaderWhenKilledWhileABatchIsBeingWritten() throws Exception {
        String topic = kafka.newTopic("delta-killed", 2);
        List<String> values = orders(0, 400);
        kafka.produce(
                topic,
                IntStream.range(0, 400)
                        .mapToObj(i -> KafkaRecord.value(values.get(i)).toPartition(i % 2))
                        .toList());
        TaskBlocker.blockAt(1, 60);
        Map<String, String> sink = Map.of("path", dir.resolve("killed").toString());
        PipelineHandle first = fromKafka("killed", topic)
                .trigger(StreamTrigger.processingTime(Duration.ZERO))
                .sql("SELECT id, customer, amount, partition, offset FROM input")
                .transform("block one task", TaskBlocker::apply)
                .sink("delta", sink)
                .build()
                .start();
        try {
            assertTrue(
                    TaskBlocker.awaitBlocked(Duration.ofMinutes(2)), "partition 1's task reached the blocking record");
        } finally {
            first.stop();
            TaskBlocker.release();
        }
        TaskBlocker.disarm();
        Pipelines.runToEnd(fromKafka("killed", topic)
                .sql("SELECT id, customer, amount, partition, offset FROM input")
                .transform("block one task", TaskBlocker::apply)
                .sink("delta", sink));
        Dataset<Row> rows = table("killed");
        assertEquals(400, rows.count(), "a plain Delta reader sees every record");
        assertEquals(400, rows.select("partition", "offset").distinct().count(), "and none twice");
    }

    @Test
    void schemaAndModeMistakesAreReportedBeforeStartWithBothSchemas() throws Exception {
        String topic = kafka.newTopic("delta-schema", 1);
        kafka.produceValues(topic, orders(0, 10));
        Pipelines.runToEnd(fromKafka("schema", topic)
                .sql("SELECT id, customer FROM input")
                .sink("delta", Map.of("path", dir.resolve("typed").toString())));
        List<String> problems = fromKafka("schema", topic)
                .sql("SELECT CAST(id AS STRING) AS id, customer, amount FROM input")
                .sink("delta", Map.of("path", dir.resolve("typed").toString()))
                .build()
                .validate()
                .problems()
                .stream()
                .map(Problem::toString)
                .toList();
        assertEquals(
                List.of(
                        "sink 'delta': the query's rows do not fit the Delta table at " + dir.resolve("typed")
                                + ": column 'id' is"
                                + " string in the query but bigint in the table (cast it to BIGINT), column 'amount' is not in the table (set mergeSchema"
                                + " true to add it); table: (id bigint, customer string); query: (id string, customer string, amount double)"),
                problems);
        assertEquals(
                List.of(
                        "sink 'delta': output mode UPDATE rewrites rows, which Delta's streaming sink cannot: set 'mergeKeys'"
                                + " to upsert each batch by key"),
                fromKafka("update", topic)
                        .sql("SELECT customer, count(*) AS n FROM input GROUP BY customer")
                        .sink("delta", Map.of("path", dir.resolve("u").toString()))
                        .outputMode(OutputMode.UPDATE)
                        .build()
                        .validate()
                        .problems()
                        .stream()
                        .map(Problem::toString)
                        .toList());
    }
}
